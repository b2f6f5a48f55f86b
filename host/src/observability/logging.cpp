#include "observability/logging.hpp"

#include "text/printable_text.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace payhost::host {

void Redactor::add(const std::string& secret) {
  // Very short values would redact innocent text and protect nothing.
  if (secret.size() < 6) return;
  std::lock_guard lock(mutex_);
  secrets_.push_back(secret);
}

std::string Redactor::apply(std::string_view text) const {
  std::string out(text);
  std::lock_guard lock(mutex_);
  for (const auto& s : secrets_) {
    for (auto pos = out.find(s); pos != std::string::npos; pos = out.find(s, pos + 3)) {
      out.replace(pos, s.size(), "***");
    }
  }
  return out;
}

Redactor& redactor() {
  static Redactor r;
  return r;
}

namespace {
thread_local std::string t_request_id = "-";
}

void set_current_request_id(std::string id) {
  t_request_id = std::move(id);
}
const std::string& current_request_id() {
  return t_request_id;
}

RequestIdScope::RequestIdScope(std::string id) : previous_(std::move(t_request_id)) {
  t_request_id = std::move(id);
}
RequestIdScope::~RequestIdScope() {
  t_request_id = std::move(previous_);
}

void init_logging(const std::string& level) {
  auto logger = spdlog::stderr_logger_mt("payhost");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::flush_on(spdlog::level::info);
}

void ComponentLogger::log(sdk::LogLevel level, std::string_view message) noexcept {
  try {
    // Redacted before it is cut, so that no cut can leave part of a secret behind.
    const std::string line = printable_line("[" + component_ + "] [req=" + t_request_id + "] ") +
                             printable_line(redactor().apply(message));
    switch (level) {
      case sdk::LogLevel::debug:
        spdlog::debug("{}", line);
        break;
      case sdk::LogLevel::info:
        spdlog::info("{}", line);
        break;
      case sdk::LogLevel::warn:
        spdlog::warn("{}", line);
        break;
      case sdk::LogLevel::error:
        spdlog::error("{}", line);
        break;
    }
  } catch (...) {  // logging must never take the process down
  }
}

ComponentLogger& host_log() {
  static ComponentLogger l("host");
  return l;
}

}  // namespace payhost::host
