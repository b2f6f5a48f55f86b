// Logging through the host: every line gets the request id, and the values of secret
// options are redacted before anything is written.
#pragma once

#include <string_view>

namespace payhost::sdk {

enum class LogLevel { debug, info, warn, error };

class Logger {
 public:
  virtual ~Logger() = default;
  virtual void log(LogLevel level, std::string_view message) noexcept = 0;

  void debug(std::string_view m) noexcept { log(LogLevel::debug, m); }
  void info(std::string_view m) noexcept { log(LogLevel::info, m); }
  void warn(std::string_view m) noexcept { log(LogLevel::warn, m); }
  void error(std::string_view m) noexcept { log(LogLevel::error, m); }
};

}  // namespace payhost::sdk
