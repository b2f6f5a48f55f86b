// Typed, validated access to YAML nodes with messages that name the file and key.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "payhost/sdk/result.hpp"

namespace payhost::host {

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  sdk::Error error(const std::string& key, const std::string& message) const;

  // Fails on keys of `node` (a map) not in `allowed`, listing the allowed ones.
  sdk::Status check_keys(const YAML::Node& node, const std::string& path,
                         const std::vector<std::string>& allowed) const;
  sdk::Status require_map(const YAML::Node& node, const std::string& path) const;
  // Fails on the first key that appears twice in one mapping, anywhere below `node`, naming
  // its path and both lines: yaml-cpp keeps both and every lookup silently takes the first.
  sdk::Status check_unique_keys(const YAML::Node& node) const;

  // Each reads node[key] if present (leaving `out` alone otherwise); strings get ${ENV}
  // expansion. `path` is the dotted path of `node`.
  sdk::Status read(const YAML::Node& node, const std::string& path, const char* key,
                   std::string& out) const;
  sdk::Status read(const YAML::Node& node, const std::string& path, const char* key, int& out,
                   std::int64_t min, std::int64_t max) const;
  sdk::Status read(const YAML::Node& node, const std::string& path, const char* key,
                   std::int64_t& out, std::int64_t min, std::int64_t max) const;
  sdk::Status read(const YAML::Node& node, const std::string& path, const char* key,
                   bool& out) const;
  sdk::Status read(const YAML::Node& node, const std::string& path, const char* key,
                   std::vector<std::string>& out) const;
  // A secret: node[key] (with ${ENV}) or the contents of the file node[key + "_file"];
  // both at once is an error.
  sdk::Status read_secret(const YAML::Node& node, const std::string& path, const char* key,
                          std::string& out) const;

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

std::string join_path(const std::string& path, const std::string& key);

}  // namespace payhost::host
