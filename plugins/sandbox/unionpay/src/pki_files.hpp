// Files that several hosts sharing one data directory may race to create: each is written
// whole under a temporary name (O_CREAT|O_EXCL, mode 0600), flushed, then link()ed to its
// final name, which fails if another host got there first. So a file, once it exists, is
// complete and never changes, and every host ends up using the same one.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "payhost/sdk/result.hpp"

namespace payhost::sandbox_unionpay {

// mkdir(path, 0700); an existing directory is fine.
sdk::Status ensure_directory(const std::string& path);

// The whole file, nullopt if it does not exist; an error if it cannot be read or holds
// more than `max_bytes`.
sdk::Result<std::optional<std::string>> read_file_if_exists(const std::string& path,
                                                            std::size_t max_bytes);

// Creates `path` holding `bytes` unless it exists, and returns what the file holds
// afterwards: `bytes`, or the content another process linked there first.
sdk::Result<std::string> create_once(const std::string& path, const std::string& bytes,
                                     std::size_t max_bytes);

}  // namespace payhost::sandbox_unionpay
