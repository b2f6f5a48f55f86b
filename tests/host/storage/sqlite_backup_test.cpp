// The online SQLite backup: a copy taken while writers commit holds every row committed
// before it started, passes SQLite's integrity check, is private, and the refusals.
#include "storage/sqlite_backup.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "scratch_sqlite.hpp"

namespace payhost::host {
namespace {

namespace fs = std::filesystem;
using sdk::Status;

// Every id in the table, read from `file` with a connection of this test's own.
std::set<long long> ids_in(const fs::path& file) {
  std::set<long long> ids;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT id FROM rows", -1, &statement, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  while (statement && sqlite3_step(statement) == SQLITE_ROW)
    ids.insert(sqlite3_column_int64(statement, 0));
  sqlite3_finalize(statement);
  sqlite3_close_v2(db);
  return ids;
}

std::string integrity_of(const fs::path& file) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  std::string answer;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    answer = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  sqlite3_close_v2(db);
  return answer;
}

class SqliteBackup : public ScratchSqlite {
 protected:
  SqliteBackup() : ScratchSqlite("sqlite-backup", 4) {}

  void SetUp() override {
    ScratchSqlite::SetUp();
    ASSERT_TRUE(db_->transact([](soci::session& sql) -> Status {
                     sql << "CREATE TABLE rows (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)";
                     return {};
                   })
                    .ok());
  }

  void insert(long long id) {
    const std::string payload(300, static_cast<char>('a' + id % 26));
    auto st = db_->transact([&](soci::session& sql) -> Status {
      sql << "INSERT INTO rows (id, payload) VALUES (:id, :payload)", soci::use(id),
          soci::use(payload);
      return {};
    });
    ASSERT_TRUE(st.ok()) << st.error().message;
  }

  fs::path database() const { return dir_ / "scratch.db"; }
  // Files in the backup directory, to see that nothing temporary is left behind.
  std::vector<std::string> files_in(const fs::path& directory) const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(directory))
      names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
};

TEST_F(SqliteBackup, CopyTakenWhileWritersCommitHoldsEveryRowCommittedBeforeIt) {
  for (long long id = 1; id <= 3000; ++id)
    insert(id);  // about 300 pages: the copy takes many steps

  std::mutex committed_mutex;
  std::set<long long> committed;
  std::atomic<bool> stop{false};
  std::atomic<long long> during_backup{0};
  std::atomic<bool> backing_up{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (long long i = 0; !stop; ++i) {
        const long long id = 1000000LL * (w + 1) + i;
        insert(id);
        if (backing_up) ++during_backup;
        std::lock_guard lock(committed_mutex);
        committed.insert(id);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));

  std::set<long long> committed_before;
  {
    std::lock_guard lock(committed_mutex);
    committed_before = committed;
    for (long long id = 1; id <= 3000; ++id)
      committed_before.insert(id);
    backing_up = true;
  }
  const fs::path copy = dir_ / "backups" / "copy.db";
  fs::create_directories(copy.parent_path());
  SqliteBackupOptions options;
  options.pages_per_step = 4;
  options.pause_between_steps = std::chrono::milliseconds(2);
  auto summary = backup_sqlite_database(database().string(), copy.string(), options);
  backing_up = false;
  stop = true;
  for (auto& t : writers)
    t.join();
  ASSERT_TRUE(summary.ok()) << summary.error().message;

  EXPECT_GT(summary->steps, 10) << "the copy was meant to take many steps";
  EXPECT_GT(during_backup.load(), 0) << "writers must go on committing while the copy is taken";
  EXPECT_EQ(integrity_of(copy), "ok");
  const std::set<long long> in_copy = ids_in(copy);
  std::vector<long long> missing;
  for (long long id : committed_before) {
    if (!in_copy.count(id)) missing.push_back(id);
  }
  EXPECT_TRUE(missing.empty()) << missing.size() << " rows committed before the backup are "
                               << "missing from it, the first " << missing.front();
  // Nothing but whole transactions: every row in the copy was committed.
  for (long long id : in_copy)
    ASSERT_TRUE(committed.count(id) || id <= 3000) << id;
  EXPECT_EQ(files_in(copy.parent_path()), std::vector<std::string>{"copy.db"});
}

TEST_F(SqliteBackup, CopyIsReadableByItsOwnerOnlyWhateverTheUmask) {
  insert(1);
  const mode_t previous = ::umask(022);
  const fs::path copy = dir_ / "copy.db";
  auto summary = backup_sqlite_database(database().string(), copy.string());
  ::umask(previous);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(copy.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(ids_in(copy), std::set<long long>{1});
}

TEST_F(SqliteBackup, RefusesWhatItCannotDoAndLeavesNothingBehind) {
  insert(1);
  const fs::path out = dir_ / "out";
  fs::create_directories(out);

  auto missing = backup_sqlite_database((dir_ / "absent.db").string(), (out / "a.db").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "backup_source_missing");
  EXPECT_NE(missing.error().message.find((dir_ / "absent.db").string() + " does not exist"),
            std::string::npos)
      << missing.error().message;

  auto no_directory =
      backup_sqlite_database(database().string(), (dir_ / "nowhere" / "a.db").string());
  ASSERT_FALSE(no_directory.ok());
  EXPECT_EQ(no_directory.error().code, "backup_directory_missing");
  EXPECT_NE(no_directory.error().message.find("directory " + (dir_ / "nowhere").string() +
                                              " does not exist"),
            std::string::npos)
      << no_directory.error().message;

  const fs::path existing = out / "existing.db";
  std::ofstream(existing) << "keep me";
  auto exists = backup_sqlite_database(database().string(), existing.string());
  ASSERT_FALSE(exists.ok());
  EXPECT_EQ(exists.error().code, "backup_exists");
  std::string kept;
  std::getline(std::ifstream(existing), kept);
  EXPECT_EQ(kept, "keep me");

  auto onto_itself = backup_sqlite_database(database().string(), database().string(),
                                            SqliteBackupOptions{.replace_existing = true});
  ASSERT_FALSE(onto_itself.ok());
  EXPECT_EQ(onto_itself.error().code, "backup_same_file");
  EXPECT_EQ(ids_in(database()), std::set<long long>{1});

  auto forced = backup_sqlite_database(database().string(), existing.string(),
                                       SqliteBackupOptions{.replace_existing = true});
  ASSERT_TRUE(forced.ok()) << forced.error().message;
  EXPECT_EQ(ids_in(existing), std::set<long long>{1});
  EXPECT_EQ(files_in(out), std::vector<std::string>{"existing.db"});
}

TEST_F(SqliteBackup, RefusesAFileThatIsNotADatabase) {
  // SQLite cannot read it: an error naming why, and nothing lands at the destination.
  const fs::path garbage = dir_ / "garbage.db";
  std::ofstream(garbage) << std::string(8192, 'x');
  const fs::path copy = dir_ / "copy.db";
  auto summary = backup_sqlite_database(garbage.string(), copy.string());
  ASSERT_FALSE(summary.ok());
  EXPECT_NE(summary.error().message.find("not a database"), std::string::npos)
      << summary.error().message;
  EXPECT_FALSE(fs::exists(copy));
}

}  // namespace
}  // namespace payhost::host
