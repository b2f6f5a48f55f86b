// Every log line is one line of bounded length, whatever a caller passes it.
#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>
#include <string>

#include "observability/logging.hpp"
#include "text/printable_text.hpp"

namespace payhost::host {
namespace {

// Routes the default spdlog logger into a string for the test's lifetime.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    auto logger = std::make_shared<spdlog::logger>("captured", sink);
    logger->set_pattern("%l %v");
    logger->set_level(spdlog::level::debug);
    spdlog::set_default_logger(logger);
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

std::size_t count_lines(const std::string& text) {
  std::size_t n = 0;
  for (char c : text)
    n += c == '\n';
  return n;
}

TEST(PrintableLine, ControlCharactersBecomeVisibleEscapes) {
  const std::string nul_and_c0("a\0b\x01\x1b[31m\x1f", 10);
  EXPECT_EQ(printable_line(nul_and_c0), "a\\x00b\\x01\\x1b[31m\\x1f");
  EXPECT_EQ(printable_line("x\ry\nz\tw\x7f"), "x\\ry\\nz\\tw\\x7f");
  EXPECT_EQ(printable_line("支付 ok ~"), "支付 ok ~");  // printable UTF-8 and ASCII unchanged
}

TEST(PrintableLine, LineSeparatorsOfOtherKindsAndBrokenUtf8AreEscapedToo) {
  EXPECT_EQ(printable_line("a\xc2\x85"
                           "b"),
            "a\\xc2\\x85b");  // NEL (C1)
  EXPECT_EQ(printable_line("a\xe2\x80\xa8"
                           "b"),
            "a\\xe2\\x80\\xa8b");  // U+2028
  EXPECT_EQ(printable_line("\xff\xc3(\xed\xa0\x80"),
            "\\xff\\xc3(\\xed\\xa0\\x80");  // not UTF-8; a surrogate
}

TEST(PrintableLine, LongTextIsCutOnACharacterBoundaryAndSaysHowMuchWasDropped) {
  EXPECT_EQ(printable_line(std::string(10, 'a'), 4), "aaaa...[6 more bytes]");
  // "支" is three bytes: a cut inside it drops the whole character.
  EXPECT_EQ(printable_line("ab支付", 4), "ab...[6 more bytes]");
  // An escape is never split either.
  EXPECT_EQ(printable_line("abc\n", 4), "abc...[1 more bytes]");
  const std::string huge(400 * 1024, 'x');
  const std::string line = printable_line(huge);
  EXPECT_LE(line.size(), kMaxLogMessageBytes + 32);
  EXPECT_NE(line.find("more bytes]"), std::string::npos);
}

TEST(ComponentLogger, NoCallerCanForgeALineOrWriteAnUnboundedOne) {
  CapturedLog captured;
  ComponentLogger log("alipay");
  RequestIdScope request("req-1");
  log.warn("refused parameter evil\r\n2026-01-01T00:00:00.000+0000 info [host] forged");
  log.info(std::string("nul\0inside", 10) + "\x01\x7f");
  log.error(std::string(400 * 1024, 'n'));
  const std::string text = captured.text();
  EXPECT_EQ(count_lines(text), 3u) << text;
  EXPECT_NE(text.find("warning [alipay] [req=req-1] refused parameter evil\\r\\n2026-01-01"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("nul\\x00inside\\x01\\x7f"), std::string::npos) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_EQ(text.find('\0'), std::string::npos);
  EXPECT_LT(text.size(), 3 * (kMaxLogMessageBytes + 100)) << text.size();
}

TEST(ComponentLogger, SecretsAreRedactedBeforeTheLineIsCut) {
  CapturedLog captured;
  redactor().add("sekrit-value-123456");
  ComponentLogger log("host");
  // The secret straddles the cut: redacting after cutting would leave its first half.
  log.info(std::string(kMaxLogMessageBytes - 5, 'p') + "sekrit-value-123456");
  const std::string text = captured.text();
  EXPECT_EQ(text.find("sekri"), std::string::npos) << text.substr(text.size() - 80);
}

}  // namespace
}  // namespace payhost::host
