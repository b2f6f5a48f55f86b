// Process logging: one line per event with the request id, secrets redacted.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "payhost/sdk/log.hpp"

namespace payhost::host {

// Values that must never be written (plugin secrets, JWT secret, database URL).
class Redactor {
 public:
  void add(const std::string& secret);
  std::string apply(std::string_view text) const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> secrets_;
};

void init_logging(const std::string& level);
Redactor& redactor();

// The request id of the work running on this thread ("-" outside requests).
void set_current_request_id(std::string id);
const std::string& current_request_id();

// Scoped: sets the request id for this thread and restores the previous one.
class RequestIdScope {
 public:
  explicit RequestIdScope(std::string id);
  ~RequestIdScope();
  RequestIdScope(const RequestIdScope&) = delete;
  RequestIdScope& operator=(const RequestIdScope&) = delete;

 private:
  std::string previous_;
};

// A logger for one component ("host", or a plugin's name).
class ComponentLogger final : public sdk::Logger {
 public:
  explicit ComponentLogger(std::string component) : component_(std::move(component)) {}
  void log(sdk::LogLevel level, std::string_view message) noexcept override;

 private:
  std::string component_;
};

ComponentLogger& host_log();

}  // namespace payhost::host
