// The trade store on PostgreSQL with real concurrency: one connection per thread, so the
// conditional UPDATEs, FOR UPDATE row locks and ON CONFLICT inserts race for real (the
// SQLite unit tests serialise on one connection). Labelled `postgres`; it needs
// PAYHOST_TEST_PG_URL and works in a schema of its own, dropped afterwards.
#include <gtest/gtest.h>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "trade_store.hpp"

namespace payhost::sandbox_wechat {
namespace {

std::string pg_url() {
  const char* url = std::getenv("PAYHOST_TEST_PG_URL");
  return url == nullptr ? std::string() : std::string(url);
}

// postgresql://USER:PASSWORD@HOST:PORT/DATABASE as libpq key=value pairs (SOCI's backend
// takes those); query parameters are not needed here.
std::string libpq_params(std::string url) {
  for (const std::string scheme : {"postgresql://", "postgres://"}) {
    if (url.rfind(scheme, 0) == 0) url = url.substr(scheme.size());
  }
  url = url.substr(0, url.find('?'));
  std::string out;
  const auto at = url.rfind('@');
  if (at != std::string::npos) {
    const std::string credentials = url.substr(0, at);
    const auto colon = credentials.find(':');
    out += "user=" + sdk::url_decode(credentials.substr(0, colon), false).value_or("");
    if (colon != std::string::npos) {
      out += " password=" + sdk::url_decode(credentials.substr(colon + 1), false).value_or("");
    }
    url = url.substr(at + 1);
  }
  const auto slash = url.find('/');
  const std::string address = url.substr(0, slash);
  const auto colon = address.rfind(':');
  out += " host=" + address.substr(0, colon);
  if (colon != std::string::npos) out += " port=" + address.substr(colon + 1);
  if (slash != std::string::npos) out += " dbname=" + url.substr(slash + 1);
  return out;
}

// sdk::Database over a few PostgreSQL connections, each confined to `schema`.
class PgDatabase : public sdk::Database {
 public:
  PgDatabase(const std::string& url, const std::string& schema, std::size_t size) : pool_(size) {
    for (std::size_t i = 0; i < size; ++i) {
      auto& session = pool_.at(i);
      session.open(soci::postgresql, libpq_params(url));
      session << "SET client_min_messages TO WARNING";
      session << "CREATE SCHEMA IF NOT EXISTS " + schema;
      session << "SET search_path TO " + schema;
    }
  }
  sdk::Dialect dialect() const noexcept override { return sdk::Dialect::postgresql; }

  sdk::Status transact(const std::function<sdk::Status(soci::session&)>& work) noexcept override {
    for (int attempt = 0; attempt < 20; ++attempt) {
      soci::session session(pool_);
      try {
        session.begin();
        sdk::Status status = work(session);
        if (status.ok()) {
          session.commit();
          return status;
        }
        session.rollback();
        if (status.error().kind != sdk::ErrorKind::retry) return status;
      } catch (...) {
        const sdk::Error error = sdk::database_error_from_current_exception();
        try {
          session.rollback();
        } catch (...) {
        }
        if (error.kind != sdk::ErrorKind::retry) return error;
      }
    }
    return sdk::make_error(sdk::ErrorKind::retry, "retries_exhausted", "too much contention");
  }

  sdk::Status with_session(
      const std::function<sdk::Status(soci::session&)>& work) noexcept override {
    try {
      soci::session session(pool_);
      return work(session);
    } catch (...) {
      return sdk::database_error_from_current_exception();
    }
  }

  void run(const std::string& statement) {
    soci::session session(pool_);
    session << statement;
  }

 private:
  soci::connection_pool pool_;
};

class PgStore : public ::testing::Test {
 protected:
  void SetUp() override {
    if (pg_url().empty()) {
      GTEST_FAIL() << "PAYHOST_TEST_PG_URL is not set; CI always sets it, so this is an error";
    }
    schema_ = "sandbox_wechat_unit_" + sdk::crypto::random_alnum(10);
    for (auto& c : schema_)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    db_ = std::make_unique<PgDatabase>(pg_url(), schema_, 8);
    // Twice: the migration is idempotent (CREATE TABLE IF NOT EXISTS).
    for (int i = 0; i < 2; ++i) {
      for (const auto& m : TradeStore::migrations())
        for (const auto& statement : m.postgresql)
          db_->run(statement);
    }
    store_ = std::make_unique<TradeStore>(*db_);
  }

  void TearDown() override {
    store_.reset();
    if (db_) db_->run("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  }

  Trade fresh(const std::string& out_trade_no, sdk::Fen amount) {
    Trade t;
    t.mchid = "1230000109";
    t.out_trade_no = out_trade_no;
    t.appid = "wxd678efh567hg6787";
    t.trade_type = kApp;
    t.description = "沙箱茶叶";
    t.amount = amount;
    t.notify_url = "http://127.0.0.1/notify/wechat";
    t.prepay_id = "wx" + sdk::crypto::random_alnum(34);
    t.transaction_id = "4200" + sdk::crypto::random_alnum(24);
    t.created_at = 1703141677;
    return t;
  }

  template <class F>
  static void in_threads(int count, F f) {
    std::vector<std::thread> threads;
    for (int i = 0; i < count; ++i)
      threads.emplace_back([&f, i] { f(i); });
    for (auto& t : threads)
      t.join();
  }

  std::string schema_;
  std::unique_ptr<PgDatabase> db_;
  std::unique_ptr<TradeStore> store_;
};

TEST_F(PgStore, ConcurrentOpensOfOneOrderStoreOneTrade) {
  std::atomic<int> created{0};
  std::mutex mutex;
  std::set<std::string> prepay_ids;
  in_threads(8, [&](int) {
    auto opened = store_->open(fresh("order_pg_open", 100));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    if (opened->created) ++created;
    std::lock_guard lock(mutex);
    prepay_ids.insert(opened->trade.prepay_id);
  });
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(prepay_ids.size(), 1u) << "every caller sees the one stored trade";
}

TEST_F(PgStore, ConcurrentPaysPayOnceAndRaceClosesCleanly) {
  ASSERT_TRUE(store_->open(fresh("order_pg_pay", 100)).ok());
  std::atomic<int> done{0}, repeated{0};
  in_threads(8, [&](int i) {
    auto paid = store_->pay("1230000109", "order_pg_pay", "o" + std::to_string(i), 1703141700);
    ASSERT_TRUE(paid.ok()) << paid.error().message;
    if (paid->change == TradeStore::Change::done) ++done;
    if (paid->change == TradeStore::Change::repeated) ++repeated;
  });
  EXPECT_EQ(done.load(), 1);
  EXPECT_EQ(repeated.load(), 7);
  auto trade = store_->find("1230000109", TradeKey{"order_pg_pay", {}});
  ASSERT_TRUE(trade.ok() && trade->has_value());
  EXPECT_EQ((*trade)->trade_state, "SUCCESS");
  EXPECT_EQ((*trade)->success_at, 1703141700);

  // Pay and close racing on one trade: exactly one of them wins.
  ASSERT_TRUE(store_->open(fresh("order_pg_race", 100)).ok());
  std::atomic<int> winners{0};
  in_threads(8, [&](int i) {
    auto changed = i % 2 == 0 ? store_->pay("1230000109", "order_pg_race", "o", 1703141700)
                              : store_->close("1230000109", "order_pg_race", 1703141700);
    ASSERT_TRUE(changed.ok()) << changed.error().message;
    if (changed->change == TradeStore::Change::done) ++winners;
  });
  EXPECT_EQ(winners.load(), 1);
}

TEST_F(PgStore, ConcurrentRefundsNeverExceedThePaymentAndReplayOnce) {
  ASSERT_TRUE(store_->open(fresh("order_pg_refund", 1000)).ok());
  ASSERT_TRUE(store_->pay("1230000109", "order_pg_refund", "o", 1703141700).ok());
  std::atomic<int> done{0}, exceeds{0};
  in_threads(8, [&](int i) {
    auto r =
        store_->refund("1230000109", TradeKey{"order_pg_refund", {}}, "pg_r" + std::to_string(i),
                       300, "", "50" + std::to_string(i), 1703141800);
    ASSERT_TRUE(r.ok()) << r.error().message;
    if (r->change == TradeStore::Change::done) ++done;
    if (r->change == TradeStore::Change::exceeds) ++exceeds;
  });
  EXPECT_EQ(done.load(), 3);
  EXPECT_EQ(exceeds.load(), 5);

  std::atomic<int> same_done{0}, same_repeated{0};
  in_threads(6, [&](int i) {
    auto r = store_->refund("1230000109", TradeKey{"order_pg_refund", {}}, "pg_same", 100, "",
                            "51" + std::to_string(i), 1703141800);
    ASSERT_TRUE(r.ok()) << r.error().message;
    if (r->change == TradeStore::Change::done) ++same_done;
    if (r->change == TradeStore::Change::repeated) ++same_repeated;
  });
  EXPECT_EQ(same_done.load(), 1);
  EXPECT_EQ(same_repeated.load(), 5);
  auto trade = store_->find("1230000109", TradeKey{"order_pg_refund", {}});
  ASSERT_TRUE(trade.ok() && trade->has_value());
  EXPECT_EQ((*trade)->refunded, 1000);
  EXPECT_EQ((*trade)->trade_state, "REFUND");
  auto refund = store_->find_refund("1230000109", "pg_same");
  ASSERT_TRUE(refund.ok() && refund->has_value());
  EXPECT_EQ((*refund)->amount, 100);
  // The same out_refund_no for another amount is inconsistent, not a second refund.
  auto other = store_->refund("1230000109", TradeKey{"order_pg_refund", {}}, "pg_same", 50, "",
                              "52", 1703141800);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->change, TradeStore::Change::inconsistent);
}

}  // namespace
}  // namespace payhost::sandbox_wechat
