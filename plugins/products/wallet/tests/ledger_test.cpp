// The ledger's SQL against a real (in-memory) SQLite database with the plugin's own
// migration: crediting once, conditional debits, one decision per withdrawal, the audit.
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ledger.hpp"
#include "schema.hpp"

namespace payhost::wallet {
namespace {

// Keeps statements the way the host's pool does (one slot per statement type), so the
// ledger's kept-statement paths run as they do in payhostd.
class KeepingDatabase : public sdk::Database {
 public:
  sdk::Dialect dialect() const noexcept override { return sdk::Dialect::sqlite; }
  sdk::Status transact(const std::function<sdk::Status(soci::session&)>&) noexcept override {
    return sdk::make_error(sdk::ErrorKind::internal, "unused", "not used by these tests");
  }
  sdk::Status with_session(const std::function<sdk::Status(soci::session&)>&) noexcept override {
    return sdk::make_error(sdk::ErrorKind::internal, "unused", "not used by these tests");
  }
  std::unique_ptr<sdk::CachedStatement>* statement_slot(soci::session&,
                                                        const void* key) noexcept override {
    return &slots[key];
  }
  ~KeepingDatabase() override {
    slots.clear();  // before the session the statements belong to closes
  }
  std::map<const void*, std::unique_ptr<sdk::CachedStatement>> slots;
};

// Every column of a record but its id, as SQLite quotes them.
std::string record_columns(soci::session& sql, std::int64_t id) {
  std::string text;
  sql << "SELECT quote(user_id) || quote(kind) || quote(channel) || quote(account) || "
         "quote(charge_id) || quote(action) || quote(amount) || quote(currency) || "
         "quote(subject) || quote(body) || quote(transaction_no) || quote(status) || "
         "quote(balance_after) || quote(cash_id) || quote(created_at) || quote(updated_at) "
         "FROM wallet_records WHERE id = :id",
      soci::into(text), soci::use(id);
  return text;
}

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sql.open(soci::sqlite3, ":memory:");
    const auto migrations = wallet_migrations();
    for (const auto& statement : migrations.at(0).sqlite)
      sql << statement;
  }

  std::int64_t recharge(std::int64_t user, sdk::Fen amount) {
    const auto id = ledger.insert_pending_recharge(sql, user, "testpay", amount, 1000);
    ledger.attach_charge(sql, id, "ch_" + std::to_string(id), "", 1000);
    return id;
  }

  PaidCharge paid(std::int64_t record_id, sdk::Fen amount, std::int64_t user) {
    PaidCharge p;
    p.record_id = record_id;
    p.charge_id = "ch_" + std::to_string(record_id);
    p.amount = amount;
    p.user_id = std::to_string(user);
    p.transaction_no = "T" + std::to_string(record_id);
    p.payer_account = "buyer@example.com";
    return p;
  }

  void fund(std::int64_t user, sdk::Fen amount) {
    const auto id = recharge(user, amount);
    ASSERT_EQ(ledger.settle_recharge(sql, paid(id, amount, user), 1001).value(),
              SettleOutcome::credited);
  }

  sdk::Fen sum_of_settled(std::int64_t user) {
    for (const auto& row : ledger.audit(sql)) {
      if (row.user_id == user) return row.settled_sum;
    }
    return 0;
  }

  soci::session sql;
  Ledger ledger{sdk::Dialect::sqlite};
};

TEST_F(LedgerTest, KeptStatementsStoreWhatPreparedOnesStore) {
  const auto prepared = ledger.insert_pending_recharge(sql, 5, "alipay", 300, 1000);
  ledger.attach_charge(sql, prepared, "ch_same", "", 1001);
  std::vector<std::int64_t> kept;
  {
    KeepingDatabase db;
    for (int i = 0; i < 2; ++i) {  // the second run reuses what the first prepared
      kept.push_back(ledger.insert_pending_recharge(db, sql, 5, "alipay", 300, 1000));
      ledger.attach_charge(db, sql, kept.back(), "ch_same", "", 1001);
    }
    EXPECT_EQ(db.slots.size(), 3u);  // insert, its new id, attach
  }
  EXPECT_EQ(kept, (std::vector<std::int64_t>{prepared + 1, prepared + 2}));
  const std::string expected = record_columns(sql, prepared);
  ASSERT_FALSE(expected.empty());
  for (const auto id : kept)
    EXPECT_EQ(record_columns(sql, id), expected) << "record " << id;
}

TEST_F(LedgerTest, PendingRechargeChangesNoBalance) {
  const auto id = recharge(5, 300);
  EXPECT_EQ(ledger.balance(sql, 5), 0);
  const auto record = ledger.find_record(sql, id);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->status, kPending);
  EXPECT_EQ(record->charge_id, "ch_" + std::to_string(id));
  EXPECT_FALSE(record->account.has_value());
  EXPECT_TRUE(record->is_payment());
  EXPECT_TRUE(ledger.list_settled_records(sql, 5, std::nullopt, Page{}).empty());
}

// UnionPay's tn is the record's transaction_no while unpaid; the provider's number
// (the queryId) replaces it on settlement.
TEST_F(LedgerTest, APaymentTokenShowsUntilSettlementWritesTheProvidersNumber) {
  const auto id = ledger.insert_pending_recharge(sql, 5, "applepay_upacp", 300, 1000);
  ledger.attach_charge(sql, id, "ch_" + std::to_string(id), "201706071515122891443", 1000);
  EXPECT_EQ(ledger.find_record(sql, id)->transaction_no, "201706071515122891443");
  // A second attach (there is none, but the statement is guarded) changes nothing.
  ledger.attach_charge(sql, id, "ch_other", "999", 1001);
  EXPECT_EQ(ledger.find_record(sql, id)->charge_id, "ch_" + std::to_string(id));
  EXPECT_EQ(ledger.find_record(sql, id)->transaction_no, "201706071515122891443");

  PaidCharge p = paid(id, 300, 5);
  p.transaction_no = "772012345678901234567";
  EXPECT_EQ(ledger.settle_recharge(sql, p, 2000).value(), SettleOutcome::credited);
  EXPECT_EQ(ledger.find_record(sql, id)->transaction_no, "772012345678901234567");
}

TEST_F(LedgerTest, NoPaymentTokenLeavesTransactionNoEmptyUntilPaid) {
  const auto id = recharge(5, 300);
  EXPECT_FALSE(ledger.find_record(sql, id)->transaction_no.has_value());
}

TEST_F(LedgerTest, SettlementCreditsExactlyOnce) {
  const auto id = recharge(5, 300);
  EXPECT_EQ(ledger.settle_recharge(sql, paid(id, 300, 5), 2000).value(), SettleOutcome::credited);
  EXPECT_EQ(ledger.settle_recharge(sql, paid(id, 300, 5), 2001).value(),
            SettleOutcome::already_settled);
  EXPECT_EQ(ledger.balance(sql, 5), 300);
  const auto record = ledger.find_record(sql, id);
  EXPECT_EQ(record->status, kSucceeded);
  EXPECT_EQ(record->account, "buyer@example.com");
  EXPECT_EQ(record->transaction_no, "T" + std::to_string(id));
  EXPECT_EQ(record->updated_at, 2000);
  int balance_after = 0;
  sql << "SELECT balance_after FROM wallet_records WHERE id = :id", soci::into(balance_after),
      soci::use(id);
  EXPECT_EQ(balance_after, 300);
}

TEST_F(LedgerTest, LatePaymentOfAFailedRecordIsStillCredited) {
  const auto id = recharge(5, 300);
  ledger.mark_failed(sql, id, 1500);
  EXPECT_EQ(ledger.find_record(sql, id)->status, kFailed);
  EXPECT_EQ(ledger.settle_recharge(sql, paid(id, 300, 5), 2000).value(), SettleOutcome::credited);
  EXPECT_EQ(ledger.balance(sql, 5), 300);
  ledger.mark_failed(sql, id, 2500);
  EXPECT_EQ(ledger.find_record(sql, id)->status, kSucceeded) << "a settled record stays settled";
}

TEST_F(LedgerTest, SettlementRefusesWhatDoesNotMatch) {
  const auto id = recharge(5, 300);
  EXPECT_FALSE(ledger.settle_recharge(sql, paid(id, 301, 5), 2000).ok()) << "amount";
  EXPECT_FALSE(ledger.settle_recharge(sql, paid(id, 300, 6), 2000).ok()) << "owner";
  EXPECT_FALSE(ledger.settle_recharge(sql, paid(id + 100, 300, 5), 2000).ok()) << "missing";
  EXPECT_EQ(ledger.balance(sql, 5), 0);
  EXPECT_EQ(ledger.find_record(sql, id)->status, kPending);
}

TEST_F(LedgerTest, DiscardOnlyDropsARecordThatNeverGotACharge) {
  const auto bare = ledger.insert_pending_recharge(sql, 5, "testpay", 10, 1000);
  const auto charged = recharge(5, 10);
  ledger.discard_pending(sql, bare);
  ledger.discard_pending(sql, charged);
  EXPECT_FALSE(ledger.find_record(sql, bare).has_value());
  EXPECT_TRUE(ledger.find_record(sql, charged).has_value());
}

TEST_F(LedgerTest, WithdrawalDebitsOnlyWhatIsThere) {
  CashRequest request{60, "alipay", "a@b.c"};
  EXPECT_EQ(ledger.apply_cash(sql, 7, request, 3000), CashOutcome::insufficient_balance)
      << "no wallet yet";
  fund(7, 100);
  EXPECT_EQ(ledger.apply_cash(sql, 7, request, 3000), CashOutcome::applied);
  EXPECT_EQ(ledger.apply_cash(sql, 7, request, 3001), CashOutcome::insufficient_balance);
  EXPECT_EQ(ledger.balance(sql, 7), 40);
  EXPECT_EQ(ledger.apply_cash(sql, 7, CashRequest{40, "alipay", "a@b.c"}, 3002),
            CashOutcome::applied);
  EXPECT_EQ(ledger.balance(sql, 7), 0);
  EXPECT_EQ(sum_of_settled(7), 0);

  const auto cashes = ledger.list_cashes(sql, 7, std::nullopt, Page{});
  ASSERT_EQ(cashes.size(), 2u);
  EXPECT_EQ(cashes[0].value, 40) << "newest first";
  EXPECT_EQ(cashes[0].status, kCashPending);
  const auto expenses = ledger.list_settled_records(sql, 7, kExpense, Page{});
  ASSERT_EQ(expenses.size(), 2u);
  EXPECT_EQ(expenses[1].channel, "alipay");
  EXPECT_EQ(expenses[1].account, "a@b.c");
  EXPECT_FALSE(expenses[1].is_payment());
}

TEST_F(LedgerTest, EachWithdrawalIsDecidedOnce) {
  fund(8, 100);
  ASSERT_EQ(ledger.apply_cash(sql, 8, CashRequest{30, "alipay", "x"}, 3000), CashOutcome::applied);
  ASSERT_EQ(ledger.apply_cash(sql, 8, CashRequest{50, "wechat", "y"}, 3000), CashOutcome::applied);
  const auto cashes = ledger.list_cashes(sql, 8, std::nullopt, Page{});
  const auto wechat = cashes[0].id;
  const auto alipay = cashes[1].id;

  EXPECT_EQ(ledger.decide_cash(sql, alipay, true, "paid", 4000), DecisionOutcome::done);
  EXPECT_EQ(ledger.decide_cash(sql, alipay, false, "again", 4001),
            DecisionOutcome::already_decided);
  EXPECT_EQ(ledger.balance(sql, 8), 20);

  EXPECT_EQ(ledger.decide_cash(sql, wechat, false, "wrong account", 4002), DecisionOutcome::done);
  EXPECT_EQ(ledger.decide_cash(sql, wechat, false, "again", 4003),
            DecisionOutcome::already_decided);
  EXPECT_EQ(ledger.decide_cash(sql, wechat, true, "again", 4004), DecisionOutcome::already_decided);
  EXPECT_EQ(ledger.balance(sql, 8), 70) << "refused once, refunded once";
  EXPECT_EQ(ledger.decide_cash(sql, 999, true, "x", 4005), DecisionOutcome::not_found);

  const auto refused = ledger.list_cashes(sql, std::nullopt, kCashRefused, Page{});
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].remark, "wrong account");
  const auto income = ledger.list_settled_records(sql, 8, kIncome, Page{});
  ASSERT_EQ(income.size(), 2u);
  EXPECT_EQ(income[0].subject, "提现退回");
  EXPECT_EQ(income[0].amount, 50);
  EXPECT_EQ(sum_of_settled(8), 70);
}

TEST_F(LedgerTest, ListingPagesNewestFirst) {
  for (int i = 1; i <= 5; ++i)
    fund(9, i);
  const auto all = ledger.list_settled_records(sql, 9, std::nullopt, Page{});
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all.front().amount, 5);
  Page page;
  page.limit = 2;
  page.after = all[1].id;
  const auto next = ledger.list_settled_records(sql, 9, std::nullopt, page);
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0].id, all[2].id);
  EXPECT_EQ(next[1].id, all[3].id);
  EXPECT_TRUE(ledger.list_settled_records(sql, 9, kExpense, Page{}).empty());
  EXPECT_TRUE(ledger.list_settled_records(sql, 10, std::nullopt, Page{}).empty()) << "own only";
}

TEST_F(LedgerTest, AuditSeesATamperedBalance) {
  fund(11, 100);
  fund(12, 50);
  for (const auto& row : ledger.audit(sql))
    EXPECT_EQ(row.balance, row.settled_sum) << row.user_id;
  sql << "UPDATE wallet_wallets SET balance = balance + 1 WHERE user_id = 12";
  bool found = false;
  for (const auto& row : ledger.audit(sql)) {
    if (row.user_id != 12) continue;
    found = true;
    EXPECT_EQ(row.balance, 51);
    EXPECT_EQ(row.settled_sum, 50);
  }
  EXPECT_TRUE(found);
}

TEST_F(LedgerTest, TheSchemaRefusesAnOverdraftEvenIfCodeTried) {
  fund(13, 10);
  EXPECT_THROW(sql << "UPDATE wallet_wallets SET balance = -1 WHERE user_id = 13",
               soci::soci_error);
}

}  // namespace
}  // namespace payhost::wallet
