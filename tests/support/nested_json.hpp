// JSON text nested `levels` deep, for tests of the nesting limit (sdk::parse_json): by
// default `{"a":{"a":…1…}}`; pass "[" and "]" for arrays.
#pragma once

#include <string>
#include <string_view>

namespace payhost::testing {

inline std::string nested_json(int levels, std::string_view open = R"({"a":)",
                               std::string_view close = "}") {
  std::string text;
  text.reserve(static_cast<std::size_t>(levels) * (open.size() + close.size()) + 1);
  for (int i = 0; i < levels; ++i)
    text += open;
  text += '1';
  for (int i = 0; i < levels; ++i)
    text += close;
  return text;
}

}  // namespace payhost::testing
