#include "storage/sqlite_wal_vfs.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

namespace payhost::host {
namespace {

namespace fs = std::filesystem;

class Connection {
 public:
  Connection(const fs::path& file, const char* vfs) {
    const int rc =
        sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
    if (rc != SQLITE_OK) ADD_FAILURE() << "open " << file << ": " << sqlite3_errmsg(db_);
  }
  ~Connection() { sqlite3_close(db_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (error ? error : "?");
    }
    sqlite3_free(error);
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(st, 0);
      out = t ? reinterpret_cast<const char*>(t) : "";
    } else {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    }
    sqlite3_finalize(st);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteWalVfs : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(install_sqlite_wal_vfs());
    dir_ = fs::temp_directory_path() /
           ("payhost-walvfs-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The database and its WAL as a crash right now would leave them (no checkpoint, no
  // clean close), opened through the plain unix VFS: SQLite recovers the WAL from the
  // file alone, checking every frame's checksum.
  std::string recovered(const std::string& query) {
    const fs::path copy = dir_ / "crash";
    fs::remove_all(copy);
    fs::create_directories(copy);
    fs::copy_file(dir_ / "t.db", copy / "t.db");
    if (fs::exists(dir_ / "t.db-wal")) fs::copy_file(dir_ / "t.db-wal", copy / "t.db-wal");
    Connection c(copy / "t.db", "unix");
    const std::string check = c.text("PRAGMA integrity_check");
    if (check != "ok") return "integrity: " + check;
    return c.text(query);
  }

  fs::path dir_;
};

TEST_F(SqliteWalVfs, IsTheDefaultAndWritesACommitsFramesTogether) {
  EXPECT_STREQ(sqlite3_vfs_find(nullptr)->zName, kWalVfsName);
  Connection c(dir_ / "t.db", nullptr);
  c.exec("PRAGMA journal_mode = WAL");
  c.exec("PRAGMA synchronous = NORMAL");
  c.exec("PRAGMA wal_autocheckpoint = 0");
  c.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
  c.exec("CREATE INDEX t_v ON t (v)");
  const auto wal_size = [this] { return fs::file_size(dir_ / "t.db-wal"); };
  const auto size_before = wal_size();
  const auto before = sqlite_wal_writes_issued();
  c.exec(
      "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) "
      "INSERT INTO t SELECT i, randomblob(300) FROM n; COMMIT");
  const auto frames = (wal_size() - size_before) / (24 + 4096);
  EXPECT_GE(frames, 5u);
  EXPECT_EQ(sqlite_wal_writes_issued() - before, 1u) << "SQLite alone writes 2 per frame";
  EXPECT_EQ(recovered("SELECT count(*) FROM t"), "40");
}

TEST_F(SqliteWalVfs, EveryCommitIsOnDiskWhenItReturns) {
  Connection c(dir_ / "t.db", nullptr);
  c.exec("PRAGMA journal_mode = WAL");
  c.exec("PRAGMA synchronous = NORMAL");
  c.exec("PRAGMA wal_autocheckpoint = 0");
  c.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
  int rows = 0;
  for (int commit = 1; commit <= 12; ++commit) {
    // One-frame commits, ordinary ones, and some over 128 KiB (several writes).
    const int n = commit % 4 == 0 ? 120 : commit % 3 == 0 ? 1 : commit;
    c.exec("BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
           std::to_string(n) + ") INSERT INTO t (v) SELECT randomblob(" +
           (commit % 3 == 0 ? "10" : "2000") + ") FROM n; COMMIT");
    rows += n;
    ASSERT_EQ(recovered("SELECT count(*) FROM t"), std::to_string(rows)) << "commit " << commit;
  }
}

TEST_F(SqliteWalVfs, ACommitThatRewritesItsOwnFramesIsOnDiskWhole) {
  // A cache of a few pages makes the transaction spill frames to the WAL before its commit;
  // changing those pages again makes SQLite rewrite the spilled frames and their checksums
  // after the commit frame, the last writes before the commit is published.
  Connection c(dir_ / "t.db", nullptr);
  c.exec("PRAGMA journal_mode = WAL");
  c.exec("PRAGMA synchronous = NORMAL");
  c.exec("PRAGMA wal_autocheckpoint = 0");
  c.exec("PRAGMA cache_size = 4");
  c.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
  for (int round = 1; round <= 3; ++round) {
    c.exec(
        "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) "
        "INSERT INTO t (v) SELECT randomblob(900) FROM n; "
        "UPDATE t SET v = randomblob(900) WHERE k % 7 = 0; COMMIT");
    EXPECT_EQ(recovered("SELECT count(*) FROM t"), std::to_string(200 * round));
  }
  EXPECT_EQ(recovered("SELECT sum(length(v)) FROM t"), std::to_string(600 * 900));
}

TEST_F(SqliteWalVfs, ReadersOnOtherConnectionsSeeEachCommit) {
  Connection writer(dir_ / "t.db", nullptr);
  writer.exec("PRAGMA journal_mode = WAL");
  writer.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
  Connection reader(dir_ / "t.db", nullptr);
  for (int i = 1; i <= 20; ++i) {
    writer.exec(
        "BEGIN; INSERT INTO t (v) VALUES (randomblob(3000)); "
        "INSERT INTO t (v) VALUES (randomblob(3000)); COMMIT");
    ASSERT_EQ(reader.text("SELECT count(*) FROM t"), std::to_string(2 * i));
  }
  EXPECT_EQ(reader.text("PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace payhost::host
