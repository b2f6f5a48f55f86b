#include "payhost/sdk/money.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace payhost::sdk {
namespace {

TEST(FormatYuan, AlwaysTwoDecimals) {
  EXPECT_EQ(format_yuan(0), "0.00");
  EXPECT_EQ(format_yuan(1), "0.01");
  EXPECT_EQ(format_yuan(10), "0.10");
  EXPECT_EQ(format_yuan(99), "0.99");
  EXPECT_EQ(format_yuan(100), "1.00");
  EXPECT_EQ(format_yuan(101), "1.01");
  EXPECT_EQ(format_yuan(12345), "123.45");
  EXPECT_EQ(format_yuan(10'000'000'000'000), "100000000000.00");
}

TEST(FormatYuan, Negative) {
  EXPECT_EQ(format_yuan(-5), "-0.05");
  EXPECT_EQ(format_yuan(-100), "-1.00");
  EXPECT_EQ(format_yuan(-12345), "-123.45");
}

TEST(FormatYuan, Int64ExtremesDoNotOverflow) {
  EXPECT_EQ(format_yuan(std::numeric_limits<Fen>::max()), "92233720368547758.07");
  EXPECT_EQ(format_yuan(std::numeric_limits<Fen>::min()), "-92233720368547758.08");
  EXPECT_EQ(format_yuan(std::numeric_limits<Fen>::min() + 1), "-92233720368547758.07");
}

TEST(ParseYuan, AcceptsCanonicalAmounts) {
  EXPECT_EQ(parse_yuan("0.01"), 1);
  EXPECT_EQ(parse_yuan("0.1"), 10);
  EXPECT_EQ(parse_yuan("0.10"), 10);
  EXPECT_EQ(parse_yuan("12"), 1200);
  EXPECT_EQ(parse_yuan("12.3"), 1230);
  EXPECT_EQ(parse_yuan("12.30"), 1230);
  EXPECT_EQ(parse_yuan("12.34"), 1234);
  EXPECT_EQ(parse_yuan("0"), 0);
  EXPECT_EQ(parse_yuan("0.00"), 0);
  EXPECT_EQ(parse_yuan("100000000"), 10'000'000'000);  // Alipay's upper limit
}

TEST(ParseYuan, RefusesEverythingElse) {
  for (const char* text : {"1.234", "-1",   "+1",   "1e2",  " 1",  "1 ",   "",      ".5",
                           "01.00", "1.",   "00",   "01",   ".",   "1..2", "1.2.3", "1,00",
                           "0x10",  "1.-1", "1.+1", "1. 5", "NaN", "inf",  "１"}) {
    EXPECT_EQ(parse_yuan(text), std::nullopt) << '"' << text << '"';
  }
}

TEST(ParseYuan, RangeLimit) {
  EXPECT_EQ(parse_yuan("100000000000"), 10'000'000'000'000);  // exactly 10^13 fen
  EXPECT_EQ(parse_yuan("100000000000.01"), std::nullopt);
  EXPECT_EQ(parse_yuan("99999999999999"), std::nullopt);
  EXPECT_EQ(parse_yuan("999999999999999999999"), std::nullopt);  // would overflow int64
}

TEST(ParseYuan, RoundTripsFormat) {
  for (Fen v :
       {Fen{0}, Fen{1}, Fen{9}, Fen{10}, Fen{99}, Fen{100}, Fen{12345}, Fen{10'000'000'000'000}}) {
    EXPECT_EQ(parse_yuan(format_yuan(v)), v) << v;
  }
}

TEST(ParseFen, Strict) {
  EXPECT_EQ(parse_fen("0"), 0);
  EXPECT_EQ(parse_fen("1"), 1);
  EXPECT_EQ(parse_fen("158"), 158);
  EXPECT_EQ(parse_fen("10000000000000"), 10'000'000'000'000);
  for (const char* text : {"", "+1", "-1", "01", "00", "1.0", "1e2", " 1", "1 ", "0x1", "1,000",
                           "10000000000001", "99999999999999999999"}) {
    EXPECT_EQ(parse_fen(text), std::nullopt) << '"' << text << '"';
  }
}

}  // namespace
}  // namespace payhost::sdk
