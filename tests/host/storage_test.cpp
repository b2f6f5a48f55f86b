// The database layer on both engines: pool, migrations (also when several hosts start at
// once), transactions and contention retries.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "database.hpp"
#include "migrations.hpp"
#include "support/payhostd.hpp"

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
  EXPECT_EQ(applied.size(), 3u);
  applied.clear();
  ASSERT_TRUE(run_migrations(*db, sample(), &applied).ok());
  EXPECT_TRUE(applied.empty()) << "second run must apply nothing";
  int versions = 0;
  ASSERT_TRUE(db->with_session([&](soci::session& sql) -> Status {
                  sql << "SELECT COUNT(*) FROM schema_versions", soci::into(versions);
                  return {};
                }).ok());
  EXPECT_EQ(versions, 3);
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
  EXPECT_EQ(applied_total.load(), 3);
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

TEST(Storage, RedactsPasswordsInUrls) {
  EXPECT_EQ(redact_url("postgresql://payhost:s3cret@db:5432/pay"),
            "postgresql://payhost:***@db:5432/pay");
  EXPECT_EQ(redact_url("sqlite://x.db"), "sqlite://x.db");
}

INSTANTIATE_TEST_SUITE_P(Engines, StorageTest,
                         ::testing::Values(Engine{"sqlite"}, Engine{"postgresql"}),
                         [](const auto& tp) { return tp.param.name; });

}  // namespace
}  // namespace payhost::host
