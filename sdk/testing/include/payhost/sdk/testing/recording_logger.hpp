// A logger that keeps every line, so a test can read back what a plugin logged (and prove
// what it did not: a secret, a full card number).
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "payhost/sdk/log.hpp"

namespace payhost::sdk::testing {

class RecordingLogger final : public Logger {
 public:
  struct Line {
    LogLevel level = LogLevel::info;
    std::string text;
  };

  void log(LogLevel level, std::string_view message) noexcept override;

  const std::vector<Line> lines() const;
  // Whether any line contains `text` (at `level` or above).
  bool contains(std::string_view text, LogLevel level = LogLevel::debug) const;
  // Every line, one per row: for failure messages.
  std::string dump() const;
  void clear();

 private:
  mutable std::mutex mutex_;
  std::vector<Line> lines_;
};

}  // namespace payhost::sdk::testing
