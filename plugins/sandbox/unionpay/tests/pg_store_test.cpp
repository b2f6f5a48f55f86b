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

namespace payhost::sandbox_unionpay {
namespace {

constexpr const char* kMerId = "777290058167151";

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
    schema_ = "sandbox_unionpay_unit_" + sdk::crypto::random_alnum(10);
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

  Trade fresh(const std::string& order_id, sdk::Fen amount) {
    Trade t;
    t.mer_id = kMerId;
    t.order_id = order_id;
    t.txn_time = "20241205153456";
    t.channel_type = "08";
    t.biz_type = "000201";
    t.endpoint = "app";
    t.amount = amount;
    t.currency_code = "156";
    t.back_url = "http://127.0.0.1/notify/unionpay";
    t.request_digest = "digest-" + order_id;
    t.tn = "20241205153456" + sdk::crypto::random_alnum(7);
    t.trace_no = "123456";
    t.query_id = "q" + sdk::crypto::random_alnum(20);
    t.created_at = 1733384096;
    return t;
  }

  Refund refund(const std::string& order_id, const std::string& orig_query_id, sdk::Fen amount) {
    Refund r;
    r.mer_id = kMerId;
    r.order_id = order_id;
    r.txn_time = "20241205160000";
    r.amount = amount;
    r.orig_query_id = orig_query_id;
    r.query_id = "r" + sdk::crypto::random_alnum(20);
    r.trace_no = "654321";
    r.trace_time = "1205160000";
    r.settle_date = "1205";
    r.created_at = 1733385600;
    return r;
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

TEST_F(PgStore, ATnOrQueryIdAnotherTradeHasIsReportedAndNothingIsStored) {
  const Trade first = fresh("pgnumbers1", 100);
  ASSERT_TRUE(store_->open(first).ok());
  Trade same_tn = fresh("pgnumbers2", 100);
  same_tn.tn = first.tn;
  Trade same_query_id = fresh("pgnumbers3", 100);
  same_query_id.query_id = first.query_id;
  for (const Trade& t : {same_tn, same_query_id}) {
    auto opened = store_->open(t);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(opened->opening, TradeStore::Opening::numbers_taken) << t.order_id;
    auto found = store_->find(kMerId, t.order_id);
    ASSERT_TRUE(found.ok());
    EXPECT_FALSE(found->has_value()) << t.order_id;
  }
  // The same order sent again is still answered with its trade, whatever numbers it drew.
  Trade again = first;
  again.tn = fresh("x", 1).tn;
  auto opened = store_->open(again);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->opening, TradeStore::Opening::existing);
  EXPECT_EQ(opened->trade.tn, first.tn);
}

TEST_F(PgStore, ConcurrentOpensOfOneOrderStoreOneTrade) {
  std::atomic<int> created{0};
  std::mutex mutex;
  std::set<std::string> tns;
  in_threads(8, [&](int) {
    auto opened = store_->open(fresh("pgopen20241205", 100));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    if (opened->opening == TradeStore::Opening::created) ++created;
    std::lock_guard lock(mutex);
    tns.insert(opened->trade.tn);
  });
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(tns.size(), 1u) << "every caller sees the one stored trade";
}

TEST_F(PgStore, ConcurrentPaysPayOnceAndRaceClosesCleanly) {
  ASSERT_TRUE(store_->open(fresh("pgpay20241205", 100)).ok());
  std::atomic<int> done{0}, repeated{0};
  in_threads(8, [&](int) {
    auto paid = store_->pay(kMerId, "pgpay20241205", "1205153500", "1205", 1733384100);
    ASSERT_TRUE(paid.ok()) << paid.error().message;
    if (paid->change == TradeStore::Change::done) ++done;
    if (paid->change == TradeStore::Change::repeated) ++repeated;
  });
  EXPECT_EQ(done.load(), 1);
  EXPECT_EQ(repeated.load(), 7);
  auto trade = store_->find(kMerId, "pgpay20241205");
  ASSERT_TRUE(trade.ok() && trade->has_value());
  EXPECT_EQ((*trade)->state, "paid");
  EXPECT_EQ((*trade)->trace_time, "1205153500");
  EXPECT_EQ((*trade)->paid_at, 1733384100);

  // Pay and close racing on one trade: exactly one of them wins.
  ASSERT_TRUE(store_->open(fresh("pgrace20241205", 100)).ok());
  std::atomic<int> winners{0};
  in_threads(8, [&](int i) {
    auto changed = i % 2 == 0 ? store_->pay(kMerId, "pgrace20241205", "1205153500", "1205", 1)
                              : store_->close(kMerId, "pgrace20241205", 1);
    ASSERT_TRUE(changed.ok()) << changed.error().message;
    if (changed->change == TradeStore::Change::done) ++winners;
  });
  EXPECT_EQ(winners.load(), 1);
}

TEST_F(PgStore, ConcurrentRefundsNeverExceedThePaymentAndReplayOnce) {
  const Trade t = fresh("pgrefund20241205", 1000);
  ASSERT_TRUE(store_->open(t).ok());
  ASSERT_TRUE(store_->pay(kMerId, t.order_id, "1205153500", "1205", 1733384100).ok());
  std::atomic<int> done{0}, exceeds{0};
  in_threads(8, [&](int i) {
    auto r = store_->refund(refund("pgr" + std::to_string(i) + "20241205", t.query_id, 300));
    ASSERT_TRUE(r.ok()) << r.error().message;
    if (r->change == TradeStore::Change::done) ++done;
    if (r->change == TradeStore::Change::exceeds) ++exceeds;
  });
  EXPECT_EQ(done.load(), 3);
  EXPECT_EQ(exceeds.load(), 5);

  std::atomic<int> same_done{0}, same_repeated{0};
  in_threads(6, [&](int) {
    auto r = store_->refund(refund("pgsame20241205", t.query_id, 100));
    ASSERT_TRUE(r.ok()) << r.error().message;
    if (r->change == TradeStore::Change::done) ++same_done;
    if (r->change == TradeStore::Change::repeated) ++same_repeated;
  });
  EXPECT_EQ(same_done.load(), 1);
  EXPECT_EQ(same_repeated.load(), 5);
  auto trade = store_->find(kMerId, t.order_id);
  ASSERT_TRUE(trade.ok() && trade->has_value());
  EXPECT_EQ((*trade)->refunded, 1000);
  auto stored = store_->find_refund(kMerId, "pgsame20241205");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->amount, 100);
  EXPECT_EQ((*stored)->orig_order_id, t.order_id);
  // The same refund orderId for another amount is inconsistent, not a second refund.
  auto other = store_->refund(refund("pgsame20241205", t.query_id, 50));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->change, TradeStore::Change::inconsistent);
  // A consume may not take a refund's orderId.
  auto clash = store_->open(fresh("pgsame20241205", 100));
  ASSERT_TRUE(clash.ok());
  EXPECT_EQ(clash->opening, TradeStore::Opening::clash);
}

}  // namespace
}  // namespace payhost::sandbox_unionpay
