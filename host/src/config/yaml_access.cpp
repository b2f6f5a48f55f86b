#include "config/yaml_access.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "config/config.hpp"

namespace payhost::host {

using sdk::Error;
using sdk::ErrorKind;
using sdk::Status;

std::string join_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

Error YamlReader::error(const std::string& key, const std::string& message) const {
  return sdk::make_error(ErrorKind::invalid_request, "config", file_ + ": " + key + ": " + message,
                         key);
}

Status YamlReader::require_map(const YAML::Node& node, const std::string& path) const {
  if (node && !node.IsNull() && !node.IsMap()) return error(path, "expected a mapping");
  return {};
}

namespace {

// Scalars compare by their text, as yaml-cpp's lookups do; other keys by their dump.
std::string key_text(const YAML::Node& key) {
  return key.IsScalar() ? key.Scalar() : YAML::Dump(key);
}

class DuplicateKeyFinder {
 public:
  explicit DuplicateKeyFinder(const YamlReader& reader) : reader_(reader) {}

  Status walk(const YAML::Node& node, const std::string& path) {
    if (!node.IsMap() && !node.IsSequence()) return {};
    // An alias is the node it names, at the anchor's position: walk each node once.
    if (!visited_.insert(node.Mark().pos).second) return {};
    if (node.IsSequence()) {
      std::size_t index = 0;
      for (const auto& item : node) {
        if (auto st = walk(item, path + "[" + std::to_string(index++) + "]"); !st) return st;
      }
      return {};
    }
    std::map<std::string, int> lines;  // key -> line of its first occurrence
    for (const auto& kv : node) {
      const int line = kv.first.Mark().line + 1;
      // A mapping or a list as a key ("? [a]: x") cannot be read as text, and every reader
      // after this one does: refused here, before anything else reads the document.
      if (kv.first.IsMap() || kv.first.IsSequence()) {
        return reader_.error(path.empty() ? "(top level)" : path,
                             "the key on line " + std::to_string(line) +
                                 " is a mapping or a list; keys must be plain text");
      }
      const std::string key = key_text(kv.first);
      if (auto [first, fresh] = lines.emplace(key, line); !fresh) {
        return reader_.error(join_path(path, key),
                             "duplicate key on lines " + std::to_string(first->second) + " and " +
                                 std::to_string(line) + " (each key may appear once)");
      }
      if (auto st = walk(kv.second, join_path(path, key)); !st) return st;
    }
    return {};
  }

 private:
  const YamlReader& reader_;
  std::set<int> visited_;
};

}  // namespace

Status YamlReader::check_unique_keys(const YAML::Node& node) const {
  return DuplicateKeyFinder(*this).walk(node, "");
}

Status YamlReader::check_keys(const YAML::Node& node, const std::string& path,
                              const std::vector<std::string>& allowed) const {
  if (auto s = require_map(node, path); !s) return s;
  if (!node || node.IsNull()) return {};
  for (const auto& kv : node) {
    const auto key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed)
        list += (list.empty() ? "" : ", ") + a;
      return error(join_path(path, key), "unknown key (allowed: " + list + ")");
    }
  }
  return {};
}

Status YamlReader::read(const YAML::Node& node, const std::string& path, const char* key,
                        std::string& out) const {
  const YAML::Node v = node[key];
  if (!v || v.IsNull()) return {};
  if (!v.IsScalar()) return error(join_path(path, key), "expected a string");
  auto expanded = expand_env(v.Scalar());
  if (!expanded) return error(join_path(path, key), expanded.error().message);
  out = *expanded;
  return {};
}

Status YamlReader::read(const YAML::Node& node, const std::string& path, const char* key,
                        std::int64_t& out, std::int64_t min, std::int64_t max) const {
  std::string text;
  const YAML::Node v = node[key];
  if (!v || v.IsNull()) return {};
  if (auto s = read(node, path, key, text); !s) return s;
  std::size_t used = 0;
  std::int64_t value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (...) {
    used = 0;
  }
  if (used == 0 || used != text.size()) {
    return error(join_path(path, key), "expected an integer, got \"" + text + "\"");
  }
  if (value < min || value > max) {
    return error(join_path(path, key), "must be between " + std::to_string(min) + " and " +
                                           std::to_string(max) + ", got " + text);
  }
  out = value;
  return {};
}

Status YamlReader::read(const YAML::Node& node, const std::string& path, const char* key, int& out,
                        std::int64_t min, std::int64_t max) const {
  std::int64_t wide = out;
  if (auto s = read(node, path, key, wide, min, max); !s) return s;
  out = static_cast<int>(wide);
  return {};
}

Status YamlReader::read(const YAML::Node& node, const std::string& path, const char* key,
                        bool& out) const {
  std::string text;
  const YAML::Node v = node[key];
  if (!v || v.IsNull()) return {};
  if (auto s = read(node, path, key, text); !s) return s;
  if (text == "true") {
    out = true;
  } else if (text == "false") {
    out = false;
  } else {
    return error(join_path(path, key), "expected true or false, got \"" + text + "\"");
  }
  return {};
}

Status YamlReader::read(const YAML::Node& node, const std::string& path, const char* key,
                        std::vector<std::string>& out) const {
  const YAML::Node v = node[key];
  if (!v || v.IsNull()) return {};
  if (!v.IsSequence()) return error(join_path(path, key), "expected a list of strings");
  std::vector<std::string> items;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].IsScalar()) {
      return error(join_path(path, key) + "[" + std::to_string(i) + "]", "expected a string");
    }
    auto expanded = expand_env(v[i].Scalar());
    if (!expanded) return error(join_path(path, key), expanded.error().message);
    items.push_back(*expanded);
  }
  out = std::move(items);
  return {};
}

Status YamlReader::read_secret(const YAML::Node& node, const std::string& path, const char* key,
                               std::string& out) const {
  const std::string file_key = std::string(key) + "_file";
  const bool inline_given = node[key] && !node[key].IsNull();
  const bool file_given = node[file_key] && !node[file_key].IsNull();
  if (inline_given && file_given) {
    return error(join_path(path, key),
                 "give either " + std::string(key) + " or " + file_key + ", not both");
  }
  if (inline_given) return read(node, path, key, out);
  if (file_given) {
    std::string file_path;
    if (auto s = read(node, path, file_key.c_str(), file_path); !s) return s;
    auto content = read_secret_file(file_path);
    if (!content) return error(join_path(path, file_key), content.error().message);
    out = *content;
  }
  return {};
}

}  // namespace payhost::host
