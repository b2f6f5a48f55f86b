// Record and withdrawal JSON: field order, types and nulls are what clients parse.
#include <gtest/gtest.h>

#include "format.hpp"

namespace payhost::wallet {
namespace {

TEST(FormatTime, UtcSeconds) {
  EXPECT_EQ(format_time(0), "1970-01-01 00:00:00");
  EXPECT_EQ(format_time(1496817148), "2017-06-07 06:32:28");  // the seed's example
  EXPECT_EQ(format_time(4102444799), "2099-12-31 23:59:59");
}

TEST(RecordJson, FieldsInTheSeedOrder) {
  Record r;
  r.id = 1;
  r.user_id = 1;
  r.kind = kKindRecharge;
  r.channel = "alipay";
  r.account = "alipay_account";
  r.charge_id = "ch_vvP4u1H0evPGqn9qn5mPCGS4";
  r.action = kIncome;
  r.amount = 100;
  r.subject = "余额充值";
  r.body = "账户余额充值";
  r.transaction_no = "2017060879918233";
  r.status = kSucceeded;
  r.created_at = 1496817148;
  r.updated_at = 1496904383;
  EXPECT_EQ(record_json(r).dump(),
            R"({"id":1,"user_id":1,"channel":"alipay","account":"alipay_account",)"
            R"("charge_id":"ch_vvP4u1H0evPGqn9qn5mPCGS4","action":1,"amount":100,"currency":"cny",)"
            R"("subject":"余额充值","body":"账户余额充值","transaction_no":"2017060879918233",)"
            R"("status":1,"created_at":"2017-06-07 06:32:28","updated_at":"2017-06-08 06:46:23",)"
            R"("deleted_at":null})");
}

TEST(RecordJson, MissingValuesAreNull) {
  Record r;
  r.kind = kKindCash;
  r.action = kExpense;
  const auto j = record_json(r);
  EXPECT_TRUE(j["account"].is_null());
  EXPECT_TRUE(j["charge_id"].is_null());
  EXPECT_TRUE(j["transaction_no"].is_null());
  EXPECT_TRUE(j["deleted_at"].is_null());
  EXPECT_EQ(j["action"], 0);
  EXPECT_FALSE(j.contains("kind")) << "internal columns stay internal";
}

TEST(CashJson, UserAndAdminShapes) {
  Cash c;
  c.id = 4;
  c.user_id = 9;
  c.value = 10;
  c.type = "alipay";
  c.account = "xxx@alipay.com";
  c.created_at = 1496309422;
  c.updated_at = 1496309422;
  EXPECT_EQ(cash_json(c).dump(),
            R"({"id":4,"value":10,"type":"alipay","account":"xxx@alipay.com","status":0,)"
            R"("remark":null,"created_at":"2017-06-01 09:30:22"})");
  c.remark = "ok";
  c.status = kCashPassed;
  EXPECT_EQ(cash_json(c, true).dump(),
            R"({"id":4,"user_id":9,"value":10,"type":"alipay","account":"xxx@alipay.com",)"
            R"("status":1,"remark":"ok","created_at":"2017-06-01 09:30:22",)"
            R"("updated_at":"2017-06-01 09:30:22"})");
}

TEST(Messages, BothEnvelopes) {
  auto r = message_response(404, "内容不存在");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"message":"内容不存在"})");
  r = message_list_response(403, "当前用户无权限查询该订单");
  EXPECT_EQ(r.body, R"({"message":["当前用户无权限查询该订单"]})");
  EXPECT_EQ(r.headers.get("Content-Type").value_or(""), "application/json; charset=utf-8");
}

}  // namespace
}  // namespace payhost::wallet
