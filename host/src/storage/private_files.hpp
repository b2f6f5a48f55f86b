// Files payhostd keeps in data_dir hold personal data and keys: readable by its own user
// only (0600 files, 0700 directories).
#pragma once

#include <string>

#include "payhost/sdk/result.hpp"

namespace payhost::host {

// Creates `path` empty with mode 0600 if it does not exist. An existing file that group or
// others may read or write is tightened to 0600, with a warning in the log.
sdk::Status ensure_private_file(const std::string& path);

// Tightens `path` to 0600 as above if it exists (SQLite's -wal and -shm take the mode of
// the database file when it creates them, so only ones left from before need this).
sdk::Status tighten_if_present(const std::string& path);

// Creates the directory `path` (and its parents) with mode 0700 where it is created here.
sdk::Status ensure_private_directory(const std::string& path);

}  // namespace payhost::host
