// The database layer on both engines: pool, migrations (also when several hosts start at
// once), transactions and contention retries.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>
#include <vector>

#include "payhost/sdk/database.hpp"
#include "scratch_sqlite.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "support/harness.hpp"

namespace payhost::host {
namespace {

namespace fs = std::filesystem;
using sdk::Status;

struct Engine {
  std::string name;
};

class StorageTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    if (GetParam().name == "postgresql") {
      const std::string base = testing::postgres_url();
      ASSERT_FALSE(base.empty()) << "PAYHOST_TEST_PG_URL must point at a PostgreSQL server";
      schema_ = "st_" + std::to_string(::getpid()) + "_" +
                std::to_string(::testing::UnitTest::GetInstance()->random_seed());
      std::string out;
      ASSERT_EQ(testing::run_process(
                    {"/usr/bin/psql", base, "-q", "-c",
                     "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_},
                    &out),
                0)
          << out;
      config_.url = base + (base.find('?') == std::string::npos ? "?" : "&") +
                    "options=-csearch_path%3D" + schema_;
    } else {
      dir_ = fs::temp_directory_path() / ("payhost-storage-" + std::to_string(::getpid()));
      fs::remove_all(dir_);
      config_.url = "sqlite://storage.db";
    }
    config_.pool_size = 4;
  }
  void TearDown() override {
    if (!schema_.empty()) {
      testing::run_process({"/usr/bin/psql", testing::postgres_url(), "-q", "-c",
                            "DROP SCHEMA " + schema_ + " CASCADE"});
    }
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  std::unique_ptr<Db> open() {
    auto db = Db::open(config_, dir_.string());
    EXPECT_TRUE(db.ok()) << (db.ok() ? "" : db.error().message);
    return db.ok() ? std::move(*db) : nullptr;
  }
  static std::vector<OwnedMigrations> sample() {
    sdk::Migration m{1,
                     "counters",
                     {"CREATE TABLE counters (id INTEGER PRIMARY KEY, n BIGINT)"},
                     {"CREATE TABLE counters (id INTEGER PRIMARY KEY, n BIGINT)"}};
    sdk::Migration m2{
        2, "seed", {"INSERT INTO counters VALUES (1, 0)"}, {"INSERT INTO counters VALUES (1, 0)"}};
    return {{"host", host_migrations()}, {"sample", {m, m2}}};
  }

  DatabaseConfig config_;
  fs::path dir_;
  std::string schema_;
};

TEST_P(StorageTest, MigrationsRunOnceAndRecordVersions) {
  auto db = open();
  ASSERT_TRUE(db);
  std::vector<std::string> applied;
  ASSERT_TRUE(run_migrations(*db, sample(), &applied).ok());
  const std::size_t steps = host_migrations().size() + 2;
  EXPECT_EQ(applied.size(), steps);
  applied.clear();
  ASSERT_TRUE(run_migrations(*db, sample(), &applied).ok());
  EXPECT_TRUE(applied.empty()) << "second run must apply nothing";
  int versions = 0;
  ASSERT_TRUE(db->with_session([&](soci::session& sql) -> Status {
                  sql << "SELECT COUNT(*) FROM schema_versions", soci::into(versions);
                  return {};
                }).ok());
  EXPECT_EQ(versions, static_cast<int>(steps));
  EXPECT_TRUE(db->ping());
}

TEST_P(StorageTest, ConcurrentStartsApplyEachStepOnce) {
  std::vector<std::thread> hosts;
  std::atomic<int> failures{0};
  std::atomic<int> applied_total{0};
  for (int i = 0; i < 4; ++i) {
    hosts.emplace_back([&] {
      auto db = Db::open(config_, dir_.string());
      if (!db) {
        ++failures;
        return;
      }
      std::vector<std::string> applied;
      if (!run_migrations(**db, sample(), &applied)) ++failures;
      applied_total += static_cast<int>(applied.size());
    });
  }
  for (auto& t : hosts)
    t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(applied_total.load(), static_cast<int>(host_migrations().size()) + 2);
}

TEST_P(StorageTest, BadMigrationOrderIsRefused) {
  auto db = open();
  ASSERT_TRUE(db);
  sdk::Migration a{2, "a", {}, {}}, b{1, "b", {}, {}};
  auto st = run_migrations(*db, {{"broken", {a, b}}}, nullptr);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("broken"), std::string::npos);
}

TEST_P(StorageTest, FailedTransactionChangesNothing) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(run_migrations(*db, sample(), nullptr).ok());
  auto st = db->transact([](soci::session& sql) -> Status {
    sql << "UPDATE counters SET n = 100 WHERE id = 1";
    return sdk::make_error(sdk::ErrorKind::conflict, "nope", "rolled back");
  });
  EXPECT_FALSE(st.ok());
  long long n = -1;
  ASSERT_TRUE(db->with_session([&](soci::session& sql) -> Status {
                  sql << "SELECT n FROM counters WHERE id = 1", soci::into(n);
                  return {};
                }).ok());
  EXPECT_EQ(n, 0);
}

TEST_P(StorageTest, ConcurrentIncrementsAreNotLost) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(run_migrations(*db, sample(), nullptr).ok());
  std::vector<std::thread> workers;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto st = db->transact([](soci::session& sql) -> Status {
          long long n = 0;
          sql << (std::string("SELECT n FROM counters WHERE id = 1") +
                  (sql.get_backend_name() == "postgresql" ? " FOR UPDATE" : "")),
              soci::into(n);
          sql << "UPDATE counters SET n = :n WHERE id = 1", soci::use(n + 1);
          return {};
        });
        if (!st) ++failures;
      }
    });
  }
  for (auto& w : workers)
    w.join();
  EXPECT_EQ(failures.load(), 0);
  long long n = 0;
  ASSERT_TRUE(db->with_session([&](soci::session& sql) -> Status {
                  sql << "SELECT n FROM counters WHERE id = 1", soci::into(n);
                  return {};
                }).ok());
  EXPECT_EQ(n, 400);
}

TEST_P(StorageTest, NestedTransactionsAreRefusedNotDeadlocked) {
  auto db = open();
  ASSERT_TRUE(db);
  Status inner;
  Status outer = db->transact([&](soci::session&) -> Status {
    inner = db->transact([](soci::session&) -> Status { return {}; });
    return {};
  });
  EXPECT_TRUE(outer.ok());
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.error().code, "nested_transaction");
}

// A plugin's statement (sdk::with_statement): prepared once per pooled connection, not
// once per use; prepared per call on a session the pool did not lend; dropped after it
// threw, and prepared again on the next use; finalised by clear_statement_caches().
struct CountingSelect : sdk::CachedStatement {
  static inline std::atomic<int> prepared{0};
  static inline std::atomic<int> alive{0};
  long long id = 0, n = -1;
  soci::statement st;
  explicit CountingSelect(soci::session& sql)
      : st((sql.prepare << "SELECT n FROM counters WHERE id = :id", soci::into(n), soci::use(id))) {
    ++prepared;
    ++alive;
  }
  ~CountingSelect() override { --alive; }
  long long run(long long which) {
    id = which;
    st.execute(true);
    return n;
  }
};

TEST_P(StorageTest, PluginStatementsArePreparedOncePerConnection) {
  config_.pool_size = 1;  // every use gets the same connection
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(run_migrations(*db, sample(), nullptr).ok());
  CountingSelect::prepared = 0;
  auto read = [&] {
    long long n = -1;
    EXPECT_TRUE(sdk::with_session(*db, [&](soci::session& sql) {
      n = sdk::with_statement<CountingSelect>(*db, sql, [](CountingSelect& q) { return q.run(1); });
      return Status{};
    }));
    return n;
  };
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(read(), 0);
  EXPECT_EQ(CountingSelect::prepared.load(), 1);
  // It sees what is committed after it was prepared.
  ASSERT_TRUE(db->transact([](soci::session& sql) -> Status {
    sql << "UPDATE counters SET n = 7 WHERE id = 1";
    return {};
  }));
  EXPECT_EQ(read(), 7);
  EXPECT_EQ(CountingSelect::prepared.load(), 1);

  // A throw from its use drops it; the next use prepares a fresh one.
  const Status failed = sdk::with_session(*db, [&](soci::session& sql) -> Status {
    sdk::with_statement<CountingSelect>(*db, sql, [](CountingSelect&) -> long long {
      throw soci::soci_error("simulated failure");
    });
    return {};
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(read(), 7);
  EXPECT_EQ(CountingSelect::prepared.load(), 2);

  // Another Database's connection: prepared for the call, not kept by either.
  {
    auto other = open();
    ASSERT_TRUE(other);
    CountingSelect::prepared = 0;
    const int before = CountingSelect::alive.load();
    ASSERT_TRUE(sdk::with_session(*other, [&](soci::session& sql) {
      EXPECT_EQ(db->statement_slot(sql, &sdk::statement_key<CountingSelect>), nullptr);
      for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(sdk::with_statement<CountingSelect>(*db, sql,
                                                      [](CountingSelect& q) { return q.run(1); }),
                  7);
      }
      return Status{};
    }));
    EXPECT_EQ(CountingSelect::prepared.load(), 2);
    EXPECT_EQ(CountingSelect::alive.load(), before);
  }

  // What the host calls before it unloads plugins.
  EXPECT_EQ(CountingSelect::alive.load(), 1);
  db->clear_statement_caches();
  EXPECT_EQ(CountingSelect::alive.load(), 0);
}

class SqliteCheckpoints : public ScratchSqlite {
 protected:
  SqliteCheckpoints() : ScratchSqlite("checkpoint", 2) {}
};

// SQLite's automatic checkpoints are off on the pool; the checkpointer thread must keep the
// write-ahead log from growing without bound.
TEST_F(SqliteCheckpoints, TheLogIsCheckpointedAndReused) {
  const std::string payload(2000, 'x');
  auto write_rows = [&](int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(db_->transact([&](soci::session& sql) -> Status {
                       if (i == 0) sql << "CREATE TABLE IF NOT EXISTS t (v TEXT)";
                       sql << "INSERT INTO t (v) VALUES (:v)", soci::use(payload);
                       sql << "DELETE FROM t WHERE rowid < (SELECT MAX(rowid) FROM t) - 10";
                       return {};
                     })
                      .ok());
    }
  };
  // A read left open on a pooled connection, then never used again: it pins a snapshot
  // the checkpoint cannot pass, unless the host ends it.
  write_rows(1);
  ASSERT_TRUE(db_->with_session([](soci::session& sql) -> Status {
                   long long n = 0;
                   sql << "BEGIN";
                   sql << "SELECT count(*) FROM t", soci::into(n);
                   return {};
                 })
                  .ok());
  std::uintmax_t largest = 0;
  for (int round = 0; round < 6; ++round) {
    write_rows(200);
    largest = std::max(largest, fs::file_size(dir_ / "scratch.db-wal"));
    std::this_thread::sleep_for(std::chrono::milliseconds(450));  // > two checkpoint periods
  }
  // Without checkpoints 1,200 commits of three or more pages each would make a log of
  // 15 MB or more;
  // with them the log restarts from its beginning and stays at about one round's worth.
  EXPECT_LT(largest, 8u << 20) << "WAL grew to " << largest << " bytes";
}

// Under writes that never pause, a checkpoint alone never catches up with the log (commits
// land while it copies), so SQLite would never start the log over and it would grow for as
// long as the load lasts. The host finishes each checkpoint with the writers held back.
TEST_F(SqliteCheckpoints, TheLogIsReusedUnderWritesThatNeverPause) {
  ASSERT_TRUE(db_->transact([](soci::session& sql) -> Status {
                   sql << "CREATE TABLE t (v TEXT)";
                   return {};
                 })
                  .ok());
  const std::string payload(2000, 'x');
  std::atomic<bool> stop{false};
  std::atomic<long> writes{0}, failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&] {
      while (!stop) {
        const Status st = db_->transact([&](soci::session& sql) -> Status {
          sql << "INSERT INTO t (v) VALUES (:v)", soci::use(payload);
          sql << "DELETE FROM t WHERE rowid < (SELECT MAX(rowid) FROM t) - 50";
          return {};
        });
        st ? ++writes : ++failures;
      }
    });
  }
  threads.emplace_back([&] {  // readers come and go as requests do
    while (!stop) {
      (void)db_->with_session([](soci::session& sql) -> Status {
        long long n = 0;
        sql << "SELECT count(*) FROM t", soci::into(n);
        return {};
      });
    }
  });
  // The WAL header's checkpoint sequence number (bytes 12-15, big-endian) goes up by one
  // each time the log starts over.
  auto log_sequence = [&]() -> long long {
    std::ifstream wal(dir_ / "scratch.db-wal", std::ios::binary);
    unsigned char header[16];
    if (!wal.read(reinterpret_cast<char*>(header), sizeof header)) return -1;
    return (static_cast<long long>(header[12]) << 24) | (header[13] << 16) | (header[14] << 8) |
           header[15];
  };
  std::uintmax_t largest = 0;
  long long first = -1, last = -1;
  // At least 2.5 s and 2,000 writes: a machine busy with other work (CI under ASan beside
  // compilers) writes fewer per second, so it gets longer, up to 20 s.
  const auto start = std::chrono::steady_clock::now();
  const auto enough = [&] {
    const auto elapsed = std::chrono::steady_clock::now() - start;
    return (elapsed >= std::chrono::milliseconds(2500) && writes.load() > 2000) ||
           elapsed >= std::chrono::seconds(20);
  };
  while (!enough()) {
    std::error_code ignored;
    largest = std::max(largest, fs::file_size(dir_ / "scratch.db-wal", ignored));
    if (const long long seq = log_sequence(); seq >= 0) {
      if (first < 0) first = seq;
      last = seq;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop = true;
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_GT(writes.load(), 2000) << "too few writes to tell";
  // A checkpoint round every 200 ms plus its copying: about ten in 2.5 s, each ending in a
  // restart unless a reader outlasted it.
  EXPECT_GE(last - first, 5) << "the log started over " << last - first << " times; it grew to "
                             << largest << " bytes over " << writes.load() << " writes";
}

class SqliteReadiness : public ScratchSqlite {
 protected:
  SqliteReadiness() : ScratchSqlite("readiness", 2) {}
  Status write(const std::string& statement) {
    return db_->transact([&](soci::session& sql) -> Status {
      try {
        sql << statement;
        return {};
      } catch (...) {
        return sdk::database_error_from_current_exception();
      }
    });
  }
};

// A full disk, as SQLite reports it: reads still work, so SELECT 1 alone would say ready.
TEST_F(SqliteReadiness, AWriteTheFileCannotTakeMakesItNotReadyUntilAWriteCommits) {
  ASSERT_TRUE(write("CREATE TABLE t (v BLOB)"));
  ASSERT_TRUE(db_->ready());
  // Writes run on the writer connection, whose page limit this sets: no page may be added.
  ASSERT_TRUE(db_->transact([](soci::session& sql) -> Status {
    long long pages = 0;
    sql << "PRAGMA page_count", soci::into(pages);
    sql << "PRAGMA max_page_count = " + std::to_string(pages);
    return {};
  }));
  const Status full = write("INSERT INTO t (v) VALUES (zeroblob(200000))");
  ASSERT_FALSE(full);
  EXPECT_NE(full.error().message.find("database or disk is full"), std::string::npos)
      << full.error().message;
  EXPECT_TRUE(db_->ping());
  EXPECT_FALSE(db_->ready());
  // A write that failed for its own reasons says nothing about the file.
  EXPECT_FALSE(write("INSERT INTO no_such_table VALUES (1)"));
  EXPECT_FALSE(db_->ready());

  ASSERT_TRUE(write("PRAGMA max_page_count = 1073741823"));
  ASSERT_TRUE(write("INSERT INTO t (v) VALUES (zeroblob(200000))"));
  EXPECT_TRUE(db_->ready());
}

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 07777;
}

TEST(Storage, DatabaseFilesAreCreatedPrivateAndTightened) {
  const fs::path dir = fs::temp_directory_path() / ("payhost-modes-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  DatabaseConfig config;
  config.pool_size = 1;
  config.url = "sqlite://fresh/payhost.db";
  {
    const mode_t previous = ::umask(022);  // the usual default, which made them 0644
    auto db = Db::open(config, dir.string());
    ::umask(previous);
    ASSERT_TRUE(db.ok()) << db.error().message;
    ASSERT_TRUE((*db)->transact([](soci::session& sql) -> Status {
      sql << "CREATE TABLE t (v INTEGER)";
      return {};
    }));
    for (const std::string name : {"payhost.db", "payhost.db-wal", "payhost.db-shm"}) {
      EXPECT_EQ(mode_of(dir / "fresh" / name), 0600u) << name;
    }
    EXPECT_EQ(mode_of(dir / "fresh"), 0700u);
  }
  // Files left readable by an older version.
  for (const std::string name : {"payhost.db", "payhost.db-wal", "payhost.db-shm"}) {
    if (fs::exists(dir / "fresh" / name)) ::chmod((dir / "fresh" / name).c_str(), 0644);
  }
  ::chmod((dir / "fresh" / "payhost.db").c_str(), 0644);
  {
    auto db = Db::open(config, dir.string());
    ASSERT_TRUE(db.ok()) << db.error().message;
    for (const std::string name : {"payhost.db", "payhost.db-wal", "payhost.db-shm"}) {
      if (fs::exists(dir / "fresh" / name)) {
        EXPECT_EQ(mode_of(dir / "fresh" / name), 0600u) << name;
      }
    }
  }
  fs::remove_all(dir);
}

TEST(Storage, RedactsPasswordsInUrls) {
  EXPECT_EQ(redact_url("postgresql://payhost:s3cret@db:5432/pay"),
            "postgresql://payhost:***@db:5432/pay");
  EXPECT_EQ(redact_url("sqlite://x.db"), "sqlite://x.db");
}

// The unique index on (plugin, transaction_no) is added to databases that already hold
// charges, paid and unpaid; afterwards a second charge of one plugin cannot take a number.
TEST_P(StorageTest, TransactionNumberIndexJoinsAnExistingDatabase) {
  auto db = open();
  ASSERT_TRUE(db);
  std::vector<sdk::Migration> before;
  for (const auto& step : host_migrations()) {
    if (step.version < 4) before.push_back(step);
  }
  ASSERT_TRUE(run_migrations(*db, {{"host", before}}, nullptr).ok());
  const auto insert = [&](const std::string& id, const std::string& plugin,
                          const std::optional<std::string>& transaction_no) {
    return db->transact([&](soci::session& sql) -> Status {
      soci::indicator ind = transaction_no ? soci::i_ok : soci::i_null;
      const std::string tx = transaction_no.value_or("");
      sql << "INSERT INTO charges (id, order_no, app, channel, plugin, product, product_ref, "
             "amount, currency, subject, body, client_ip, extra, metadata, credential, "
             "livemode, state, created, time_expire, transaction_no, next_check_at, updated) "
             "VALUES (:id, :id2, 'app', 'c', :plugin, 'p', 'r', 1, 'cny', 's', 'b', "
             "'127.0.0.1', '{}', '{}', '{}', 0, 'pending', 0, 0, :tx, 0, 0)",
          soci::use(id), soci::use(id), soci::use(plugin), soci::use(tx, ind);
      return {};
    });
  };
  ASSERT_TRUE(insert("ch_1", "alipay", "T1").ok());
  ASSERT_TRUE(insert("ch_2", "alipay", std::nullopt).ok());
  ASSERT_TRUE(insert("ch_3", "alipay", std::nullopt).ok());
  ASSERT_TRUE(insert("ch_4", "other", "T1").ok());
  std::vector<std::string> applied;
  ASSERT_TRUE(run_migrations(*db, {{"host", host_migrations()}}, &applied).ok());
  EXPECT_EQ(applied.size(), host_migrations().size() - before.size());
  EXPECT_FALSE(insert("ch_5", "alipay", "T1").ok()) << "the index refuses a second holder";
  EXPECT_TRUE(insert("ch_6", "alipay", std::nullopt).ok());
  EXPECT_TRUE(insert("ch_7", "other", "T2").ok());
}

INSTANTIATE_TEST_SUITE_P(Engines, StorageTest,
                         ::testing::Values(Engine{"sqlite"}, Engine{"postgresql"}),
                         [](const auto& tp) { return tp.param.name; });

}  // namespace
}  // namespace payhost::host
