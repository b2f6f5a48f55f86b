#include <gtest/gtest.h>

#include "audit.hpp"

namespace payhost::wallet {
namespace {

TEST(AuditReport, CleanLedger) {
  const auto report = summarize_audit({{1, 100, 100}, {2, 0, 0}, {3, 250, 250}});
  EXPECT_EQ(report.exit_code, 0);
  EXPECT_NE(report.text.find("clean"), std::string::npos) << report.text;
  EXPECT_NE(report.text.find("3 wallets"), std::string::npos) << report.text;
  EXPECT_NE(report.text.find("350 fen (3.50 CNY)"), std::string::npos) << report.text;
}

TEST(AuditReport, EmptyLedgerIsClean) {
  EXPECT_EQ(summarize_audit({}).exit_code, 0);
}

TEST(AuditReport, ListsEveryMismatch) {
  const auto report = summarize_audit({{1, 100, 100}, {7, 150, 100}, {9, 0, 20}});
  EXPECT_EQ(report.exit_code, 1);
  EXPECT_NE(report.text.find("user 7: balance 150 fen"), std::string::npos) << report.text;
  EXPECT_NE(report.text.find("difference 50 fen"), std::string::npos) << report.text;
  EXPECT_NE(report.text.find("user 9:"), std::string::npos) << report.text;
  EXPECT_EQ(report.text.find("user 1:"), std::string::npos) << report.text;
  EXPECT_NE(report.text.find("2 of 3 wallets"), std::string::npos) << report.text;
}

}  // namespace
}  // namespace payhost::wallet
