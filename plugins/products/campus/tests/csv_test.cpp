#include <gtest/gtest.h>

#include "csv.hpp"
#include "roster.hpp"

namespace payhost::campus {
namespace {

TEST(Csv, QuotesLineBreaksAndBom) {
  auto r = parse_csv(
      "\xEF\xBB\xBF"
      "a,b,c\r\n1,\"x,\"\"y\"\"\",\"two\nlines\"\n\n3,,\n4");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 5u);
  EXPECT_EQ((*r)[0].fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ((*r)[1].line, 2);
  EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"1", "x,\"y\"", "two\nlines"}));
  EXPECT_EQ((*r)[2].line, 4);  // the blank line, after a record spanning lines 2-3
  EXPECT_EQ((*r)[3].line, 5);
  EXPECT_EQ((*r)[3].fields, (std::vector<std::string>{"3", "", ""}));
  EXPECT_EQ((*r)[4].fields, (std::vector<std::string>{"4"}));
}

TEST(Csv, Errors) {
  auto r = parse_csv("a,b\n1,\"open\n2,3\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "line 2: quoted field is never closed");
  r = parse_csv("a,b\n\"x\"y,1\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "line 2: unexpected text after a closing quote");
}

TEST(Csv, RowQuotesWhatNeedsIt) {
  EXPECT_EQ(csv_row({"a", "b,c", "say \"hi\"", "", "x\ny"}),
            "a,\"b,c\",\"say \"\"hi\"\"\",,\"x\ny\"\r\n");
  auto back = parse_csv(csv_row({"a", "b,c", "say \"hi\""}));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->front().fields, (std::vector<std::string>{"a", "b,c", "say \"hi\""}));
}

TEST(Csv, SpreadsheetTextDefusesFormulas) {
  for (const std::string cell : {"=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"}) {
    EXPECT_EQ(spreadsheet_text(cell), "'" + cell);
  }
  for (const std::string cell : {"", "陈雅诺", "158.00", "2024-01-31", "a=b", "'x"}) {
    EXPECT_EQ(spreadsheet_text(cell), cell);
  }
}

std::vector<std::string> errors_of(const std::string& text) {
  auto r = parse_roster_csv(text);
  if (auto* e = std::get_if<RosterErrors>(&r)) return e->messages;
  ADD_FAILURE() << "expected errors for:\n" << text;
  return {};
}

TEST(RosterCsv, ParsesAFullFile) {
  auto r = parse_roster_csv(
      "userID,empName,photo,cardNo,imei,sim,gradeName,className,mobile\r\n"
      "10129580,陈雅诺,http://x/p.jpg,335731330,8612345,1440,高一,1班,13800000000\r\n"
      " 10129581 , 李四 ,,,,,高二,\"2班, 实验\",\r\n");
  ASSERT_TRUE(std::holds_alternative<RosterFile>(r));
  const auto& file = std::get<RosterFile>(r);
  ASSERT_EQ(file.students.size(), 2u);
  EXPECT_EQ(file.students[0].emp_name, "陈雅诺");
  EXPECT_EQ(file.students[0].mobile, "13800000000");
  EXPECT_EQ(file.students[1].user_id, "10129581");  // trimmed
  EXPECT_EQ(file.students[1].emp_name, "李四");
  EXPECT_EQ(file.students[1].class_name, "2班, 实验");
}

TEST(RosterCsv, ColumnsAnyOrderAnyCaseSubset) {
  auto r = parse_roster_csv("MOBILE,empname,UserID\n+8613800000000,王五,7\n");
  ASSERT_TRUE(std::holds_alternative<RosterFile>(r));
  const auto& file = std::get<RosterFile>(r);
  EXPECT_EQ(file.columns, (std::vector<std::string>{"mobile", "empName", "userID"}));
  EXPECT_EQ(file.students[0].user_id, "7");
  EXPECT_EQ(file.students[0].mobile, "+8613800000000");
}

TEST(RosterCsv, HeaderErrors) {
  EXPECT_EQ(errors_of(""),
            (std::vector<std::string>{"line 1: the file is empty (expected a header row: "
                                      "userID,empName,...)"}));
  auto e = errors_of("userID,name\n1,x\n");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].rfind("line 1: unknown column \"name\"", 0), 0u);
  EXPECT_EQ(e[1], "line 1: missing required column \"empName\"");
  e = errors_of("userID,empName,userid\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "line 1: column \"userID\" twice");
}

TEST(RosterCsv, EveryBadRowIsReportedWithItsLine) {
  auto e = errors_of(
      "userID,empName,mobile\n"
      "1,张三,13800000000\n"     // line 2 ok
      "2,,13800000001\n"         // line 3: empty name
      "\n"                       // line 4: blank, skipped
      "3,李四,not-a-phone\n"     // line 5
      "1,张三丰,13800000002\n"   // line 6: duplicate of line 2
      "4,王五\n"                 // line 7: too few fields
      "bad id,赵六,\n"           // line 8
      "\"5\",\"多行\n名字\",\n"  // line 9: control character (line break) in a name
      "6,钱七,\n");              // line 11 ok
  EXPECT_EQ(e, (std::vector<std::string>{
                   "line 3: empName is empty",
                   "line 5: mobile \"not-a-phone\" is not a phone number (digits, optional "
                   "leading +)",
                   "line 6: userID 1 is already on line 2", "line 7: expected 3 fields, got 2",
                   "line 8: userID \"bad id\" must be 1-64 letters, digits, '-', '_' or '.'",
                   "line 9: empName is too long or contains control characters"}));
}

TEST(RosterCsv, UnterminatedQuoteNamesItsLine) {
  auto e = errors_of("userID,empName\n1,\"张三\n2,李四\n");
  EXPECT_EQ(e, (std::vector<std::string>{"line 2: quoted field is never closed"}));
}

}  // namespace
}  // namespace payhost::campus
