// The exception barrier shared by every plugin entry point: run `body`, and turn anything
// thrown into an Error of kind internal that names the entry point.
#pragma once

#include <exception>
#include <string>

#include "payhost/sdk/result.hpp"

namespace payhost::sdk::detail {

inline Error error_from_current_exception(const char* where) {
  std::string what = "unknown exception";
  try {
    throw;
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  return make_error(ErrorKind::internal, "plugin_exception",
                    std::string(where) + " threw: " + what);
}

template <class R, class F>
R barrier(const char* where, F&& body) noexcept {
  try {
    return body();
  } catch (...) {
    try {
      return R(error_from_current_exception(where));
    } catch (...) {
      return R(Error{});  // allocation failed while reporting; still never throw
    }
  }
}

}  // namespace payhost::sdk::detail
