// payhostd against a database that goes away and comes back (PostgreSQL connections ended
// by the server, a network cut that heals), readiness on SQLite, and the modes of the files
// it keeps in data_dir.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "flow_support.hpp"
#include "plugins/host_services.hpp"
#include "support/tcp_proxy.hpp"

namespace payhost::flow {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string psql(const std::string& sql) {
  std::string out;
  const int rc =
      testing::run_process({"/usr/bin/psql", testing::postgres_url(), "-Atqc", sql}, &out);
  if (rc != 0) throw std::runtime_error("psql failed: " + out);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
    out.pop_back();
  return out;
}

// A schema of the test's own on the PostgreSQL test server, dropped at the end.
struct PgSchema {
  std::string name;
  PgSchema() {
    if (testing::postgres_url().empty()) {
      throw std::runtime_error("PAYHOST_TEST_PG_URL must point at a PostgreSQL server");
    }
    std::random_device rd;
    name = "res_" + std::to_string(::getpid()) + "_" + std::to_string(rd() % 1000000);
    psql("CREATE SCHEMA " + name);
  }
  ~PgSchema() { psql("DROP SCHEMA IF EXISTS " + name + " CASCADE"); }
  long long count(const std::string& table) const {
    return std::stoll(psql("SELECT count(*) FROM " + name + "." + table));
  }
};

// PAYHOST_TEST_PG_URL without its parameters, optionally through another port.
std::string plain_url(int port = 0) {
  std::string url = testing::postgres_url();
  url = url.substr(0, url.find('?'));
  if (port == 0) return url;
  const auto authority = url.find("://") + 3;
  const auto at = url.find('@', authority);
  const auto host = at == std::string::npos ? authority : at + 1;
  return url.substr(0, host) + "127.0.0.1:" + std::to_string(port) +
         url.substr(url.find('/', host));
}

int port_of(const std::string& url) {
  const auto authority = url.find("://") + 3;
  const auto at = url.find('@', authority);
  const auto host = at == std::string::npos ? authority : at + 1;
  const auto colon = url.find(':', host);
  const auto slash = url.find('/', host);
  return colon != std::string::npos && colon < slash ? std::stoi(url.substr(colon + 1)) : 5432;
}

std::string with_url(const std::string& url) {
  std::string yaml = config();
  yaml.replace(yaml.find("@DATABASE_URL@"), std::string("@DATABASE_URL@").size(), url);
  return yaml;
}

Notice notice(const Json& charge, const std::string& transaction) {
  Notice n{charge["order_no"], charge["amount"].get<long long>()};
  n.transaction_no = transaction;
  return n;
}

// Settles `c` twice (the provider repeats itself) and checks it was settled exactly once.
void expect_settles_once(const Payhostd& host, const Json& c, const std::string& transaction) {
  EXPECT_EQ(notify(host, notice(c, transaction)).status, 200);
  EXPECT_EQ(notify(host, notice(c, transaction)).status, 200);
  EXPECT_EQ(charge(host, c["id"])["paid"], true);
  EXPECT_EQ(order(host, c)["succeeded_calls"], 1);
}

// Seconds until /readyz answers 200, or -1 after `limit` seconds.
double seconds_until_ready(const Payhostd& host, int limit) {
  const auto start = Clock::now();
  while (Clock::now() - start < std::chrono::seconds(limit)) {
    if (host.get("/readyz").status == 200) {
      return std::chrono::duration<double>(Clock::now() - start).count();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

TEST(PostgresReconnect, ConnectionsEndedByTheServerAreReopened) {
  PgSchema schema;
  const std::string app = "payhost_" + schema.name;
  Payhostd host(with_url(plain_url() + "?application_name=" + app + "&options=-csearch_path%3D" +
                         schema.name));
  ASSERT_EQ(host.get("/readyz").status, 200);
  const Json before = create(host, 300);
  const std::string ours = "FROM pg_stat_activity WHERE application_name = '" + app + "'";
  const std::string old_pids = psql("SELECT string_agg(pid::text, ',' ORDER BY pid) " + ours);

  // What a restart or failover does to payhostd's sessions (and to nobody else's).
  ASSERT_GE(std::stoi(psql("SELECT count(pg_terminate_backend(pid)) " + ours)), 1);
  eventually([&] { return psql("SELECT count(*) " + ours) == "0"; }, 5);

  EXPECT_GE(seconds_until_ready(host, 5), 0) << host.output();
  const Json after = create(host, 400);
  expect_settles_once(host, after, "T-after");
  expect_settles_once(host, before, "T-before");
  EXPECT_NE(psql("SELECT string_agg(pid::text, ',' ORDER BY pid) " + ours), old_pids);
  EXPECT_EQ(schema.count("charges"), 2);
}

TEST(PostgresReconnect, ServiceResumesAfterANetworkCutHeals) {
  PgSchema schema;
  testing::TcpProxy proxy(port_of(testing::postgres_url()));
  // The plain documented form, no parameters: the schema comes from libpq's environment.
  ::setenv("PGOPTIONS", ("-csearch_path=" + schema.name).c_str(), 1);
  std::unique_ptr<Payhostd> started;
  try {
    started = std::make_unique<Payhostd>(with_url(plain_url(proxy.port())));
  } catch (...) {
    ::unsetenv("PGOPTIONS");
    throw;
  }
  ::unsetenv("PGOPTIONS");
  Payhostd& host = *started;
  ASSERT_EQ(host.get("/readyz").status, 200);
  const Json before = create(host, 300);

  proxy.cut();
  EXPECT_TRUE(eventually([&] { return host.get("/readyz").status == 503; }, 5));
  const auto refused = host.post_json(
      "/test/charges",
      Json{{"channel", "testpay"}, {"amount", 500}, {"extra", Json::object()}}.dump());
  EXPECT_GE(refused.status, 500) << refused.body;
  ASSERT_NO_THROW(EXPECT_TRUE(refused.json()["error"]["message"].is_string()));
  EXPECT_NE(notify(host, notice(before, "T-before")).status, 200);
  EXPECT_EQ(host.get("/readyz").status, 503);

  proxy.restore();
  const double recovered = seconds_until_ready(host, 10);
  EXPECT_GE(recovered, 0) << host.output();
  EXPECT_LE(recovered, 5);
  EXPECT_EQ(schema.count("charges"), 1);  // the refused charge left nothing behind
  EXPECT_EQ(order(host, before)["succeeded_calls"], 0);
  const Json after = create(host, 400);
  expect_settles_once(host, after, "T-after");
  expect_settles_once(host, before, "T-before");
}

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 07777;
  return st.st_mode & 07777;
}

TEST(DataFiles, WhatPayhostdWritesIsPrivate) {
  Payhostd host(config());
  create(host, 300);
  {
    host::SandboxKeys keys(host.data_dir() + "/sandbox-keys");
    ASSERT_TRUE(keys.get("modes").ok());
  }
  std::vector<std::string> seen;
  for (const auto& entry : fs::recursive_directory_iterator(host.data_dir())) {
    const std::string name = entry.path().filename().string();
    // The test harness writes the config and the log, not payhostd.
    if (name.rfind("payhost-", 0) == 0 || name.rfind("payhostd-", 0) == 0) continue;
    seen.push_back(name);
    const mode_t expected = entry.is_directory() ? 0700 : 0600;
    EXPECT_EQ(mode_of(entry.path()), expected) << entry.path();
  }
  for (const std::string file :
       {"payhost.db", "payhost.db-wal", "payhost.db-shm", "sandbox-keys", "modes.key.pem"}) {
    EXPECT_NE(std::find(seen.begin(), seen.end(), file), seen.end()) << file;
  }
}

TEST(DataFiles, ADamagedSqliteFileIsRefusedAtStart) {
  Payhostd host(config());
  create(host, 300);
  host.stop();
  const std::string file = host.data_dir() + "/payhost.db";
  int root = 0;
  int page_size = 0;
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT rootpage, (SELECT page_size FROM pragma_page_size) "
                       "FROM sqlite_master WHERE name = 'charges'",
                       -1, &st, nullptr);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    root = sqlite3_column_int(st, 0);
    page_size = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  ASSERT_GT(root, 1);
  ASSERT_FALSE(fs::exists(file + "-wal") && fs::file_size(file + "-wal") > 0);
  // Garbage over the charges table only: migrations and SELECT 1 never read it.
  {
    std::fstream out(file, std::ios::in | std::ios::out | std::ios::binary);
    out.seekp(static_cast<std::streamoff>(root - 1) * page_size);
    std::mt19937 rng(7);
    for (int i = 0; i < page_size; ++i)
      out.put(static_cast<char>(rng()));
  }
  try {
    auto again = Payhostd::second_host(host);
    FAIL() << "payhostd served a damaged database; readyz said " << again.get("/readyz").status;
  } catch (const std::runtime_error& e) {
    const std::string log = e.what();
    EXPECT_NE(log.find("database " + file + " failed SQLite's integrity check"), std::string::npos)
        << log;
  }
}

}  // namespace
}  // namespace payhost::flow
