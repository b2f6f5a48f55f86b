// The withdrawal attempt counter's SQL against in-memory SQLite with the plugin's migrations.
#include "cash_attempts.hpp"

#include <gtest/gtest.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "schema.hpp"

namespace payhost::wallet {
namespace {

class CashAttemptsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sql.open(soci::sqlite3, ":memory:");
    for (const auto& migration : wallet_migrations()) {
      for (const auto& statement : migration.sqlite)
        sql << statement;
    }
  }
  soci::session sql;
};

constexpr std::int64_t t0 = 1'800'000'000;

TEST_F(CashAttemptsTest, FivePerSixSecondsPerUserInAWindowFromTheFirstAttempt) {
  const CashAttempts attempts(5, 6);
  for (int i = 0; i < 5; ++i) {
    const auto d = attempts.count(sql, 7, t0 + (i < 3 ? 0 : 2));
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.remaining, 4 - i);
  }
  const auto refused = attempts.count(sql, 7, t0 + 4);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 2);  // the window opened at t0
  EXPECT_TRUE(attempts.count(sql, 8, t0 + 4).allowed) << "other users are counted apart";
  EXPECT_FALSE(attempts.count(sql, 7, t0 + 5).allowed);
  // Refused attempts neither count nor move the window: it ends 6 s after the first.
  const auto fresh = attempts.count(sql, 7, t0 + 6);
  EXPECT_TRUE(fresh.allowed);
  EXPECT_EQ(fresh.remaining, 4);
}

TEST_F(CashAttemptsTest, ZeroMeansOffAndTouchesNothing) {
  const CashAttempts off(0, 6);
  for (int i = 0; i < 20; ++i)
    EXPECT_TRUE(off.count(sql, 7, t0).allowed);
  long long rows = -1;
  sql << "SELECT COUNT(*) FROM wallet_cash_attempts", soci::into(rows);
  EXPECT_EQ(rows, 0);
}

}  // namespace
}  // namespace payhost::wallet
