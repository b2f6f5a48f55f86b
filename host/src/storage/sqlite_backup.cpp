#include "storage/sqlite_backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

namespace payhost::host {

namespace fs = std::filesystem;
using sdk::ErrorKind;

namespace {

sdk::Error refusal(const std::string& code, const std::string& message) {
  return sdk::make_error(ErrorKind::invalid_request, code, message);
}

sdk::Error failure(const std::string& message) {
  return sdk::make_error(ErrorKind::internal, "backup_failed", message);
}

std::string system_message() {
  return std::strerror(errno);
}

// A connection closed on every way out (sqlite3_open_v2 hands one back even when it fails).
class Connection {
 public:
  Connection() = default;
  ~Connection() { sqlite3_close_v2(db_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  int open(const std::string& file, int flags) {
    return sqlite3_open_v2(file.c_str(), &db_, flags, nullptr);
  }
  sqlite3* get() const { return db_; }
  std::string message() const { return db_ ? sqlite3_errmsg(db_) : "out of memory"; }
  int exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }

 private:
  sqlite3* db_ = nullptr;
};

// The temporary copy and the files SQLite may leave beside it; removed unless kept.
class TemporaryCopy {
 public:
  explicit TemporaryCopy(fs::path path) : path_(std::move(path)) {}
  ~TemporaryCopy() {
    for (const char* suffix : {"-journal", "-wal", "-shm"})
      ::unlink((path_.string() + suffix).c_str());
    if (!kept_) ::unlink(path_.c_str());
  }
  TemporaryCopy(const TemporaryCopy&) = delete;
  TemporaryCopy& operator=(const TemporaryCopy&) = delete;

  const fs::path& path() const { return path_; }
  void keep() { kept_ = true; }

 private:
  fs::path path_;
  bool kept_ = false;
};

// Created here, empty, with mode 0600 whatever the umask: SQLite keeps the mode of a file
// it opens, and the copy holds the webhook signing key and the API key hashes.
sdk::Status create_private_file(const fs::path& path) {
  ::unlink(path.c_str());  // left by an earlier run of a process with this id
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return failure("cannot create " + path.string() + ": " + system_message());
  const bool private_mode = ::fchmod(fd, 0600) == 0;
  ::close(fd);
  if (!private_mode) return failure("cannot restrict " + path.string() + ": " + system_message());
  return {};
}

sdk::Status sync_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return failure("cannot open " + path.string() + ": " + system_message());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return failure("cannot sync " + path.string() + ": " + system_message());
  return {};
}

sdk::Status check_paths(const fs::path& source, const fs::path& destination,
                        const SqliteBackupOptions& options) {
  std::error_code ec;
  if (!fs::is_regular_file(source, ec)) {
    return refusal("backup_source_missing",
                   "database " + source.string() + " does not exist: nothing to back up");
  }
  const fs::path directory = destination.parent_path();
  if (!fs::is_directory(directory, ec)) {
    return refusal("backup_directory_missing", "cannot write " + destination.string() +
                                                   ": directory " + directory.string() +
                                                   " does not exist");
  }
  if (fs::exists(destination, ec)) {
    // Replacing the database with a copy of itself would destroy it mid-copy.
    if (fs::equivalent(source, destination, ec)) {
      return refusal("backup_same_file",
                     destination.string() + " is the database itself; back up to another file");
    }
    if (!options.replace_existing) {
      return refusal("backup_exists", destination.string() + " exists");
    }
  }
  return {};
}

// Copies every page of the snapshot `source` holds into `copy`, a step at a time.
sdk::Result<SqliteBackupSummary> copy_pages(Connection& source, const std::string& source_name,
                                            Connection& copy, const SqliteBackupOptions& options) {
  sqlite3_backup* backup = sqlite3_backup_init(copy.get(), "main", source.get(), "main");
  if (!backup) return failure("cannot start the backup: " + copy.message());
  SqliteBackupSummary summary;
  int rc = SQLITE_OK;
  while (true) {
    rc = sqlite3_backup_step(backup, options.pages_per_step);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    if (rc == SQLITE_OK) ++summary.steps;
    std::this_thread::sleep_for(options.pause_between_steps);
  }
  summary.pages = sqlite3_backup_pagecount(backup);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return failure("backup of " + source_name + " failed: " + sqlite3_errstr(rc) + " (" +
                   copy.message() + ")");
  }
  return summary;
}

// "" when PRAGMA integrity_check says "ok", else its first complaints.
std::string integrity_problems(const fs::path& file) {
  Connection copy;
  if (copy.open(file.string(), SQLITE_OPEN_READWRITE) != SQLITE_OK) return copy.message();
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(copy.get(), "PRAGMA integrity_check(10)", -1, &statement, nullptr) !=
      SQLITE_OK) {
    return copy.message();
  }
  std::string problems;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    const std::string line = text ? text : "";
    if (line != "ok") problems += (problems.empty() ? "" : "; ") + line;
  }
  if (rc != SQLITE_DONE) problems += (problems.empty() ? "" : "; ") + copy.message();
  sqlite3_finalize(statement);
  return problems;
}

}  // namespace

sdk::Result<SqliteBackupSummary> backup_sqlite_database(const std::string& source_file,
                                                        const std::string& destination_file,
                                                        const SqliteBackupOptions& options) {
  const fs::path source = fs::absolute(source_file).lexically_normal();
  const fs::path destination = fs::absolute(destination_file).lexically_normal();
  if (auto st = check_paths(source, destination, options); !st) return st.error();

  TemporaryCopy temporary(destination.parent_path() / ("." + destination.filename().string() +
                                                       ".tmp-" + std::to_string(::getpid())));
  if (auto st = create_private_file(temporary.path()); !st) return st.error();

  SqliteBackupSummary summary;
  {
    // Read-only, so that a backup can never change the database it copies.
    Connection source_db;
    if (source_db.open(source.string(), SQLITE_OPEN_READONLY) != SQLITE_OK) {
      return failure("cannot open database " + source.string() + ": " + source_db.message());
    }
    sqlite3_busy_timeout(source_db.get(), 10000);
    // The snapshot: a read transaction held until every page is copied. Without it each
    // step reads afresh and a commit by a host starts the copy over, for ever under load.
    if (source_db.exec("BEGIN") != SQLITE_OK ||
        source_db.exec("SELECT COUNT(*) FROM sqlite_schema") != SQLITE_OK) {
      return failure("cannot read database " + source.string() + ": " + source_db.message());
    }
    Connection copy;
    if (copy.open(temporary.path().string(), SQLITE_OPEN_READWRITE) != SQLITE_OK) {
      return failure("cannot open " + temporary.path().string() + ": " + copy.message());
    }
    auto copied = copy_pages(source_db, source.string(), copy, options);
    if (!copied) return copied.error();
    summary = *copied;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(copy.get(), "PRAGMA page_size", -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      summary.page_size = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);
    source_db.exec("COMMIT");
  }

  if (const std::string problems = integrity_problems(temporary.path()); !problems.empty()) {
    return sdk::make_error(ErrorKind::internal, "backup_damaged",
                           "the copy of " + source.string() +
                               " failed PRAGMA integrity_check: " + problems +
                               "; the database itself may be damaged (payhostd refuses to "
                               "start on it)");
  }
  if (auto st = sync_path(temporary.path(), O_RDONLY); !st) return st.error();
  if (::rename(temporary.path().c_str(), destination.c_str()) != 0) {
    return failure("cannot rename " + temporary.path().string() + " to " + destination.string() +
                   ": " + system_message());
  }
  temporary.keep();
  // The rename itself lasts only once the directory is on disk too.
  if (auto st = sync_path(destination.parent_path(), O_RDONLY | O_DIRECTORY); !st) {
    return st.error();
  }
  return summary;
}

}  // namespace payhost::host
