#include "payhost/sdk/testing/recording_logger.hpp"

namespace payhost::sdk::testing {

void RecordingLogger::log(LogLevel level, std::string_view message) noexcept {
  try {
    std::lock_guard lock(mutex_);
    lines_.push_back({level, std::string(message)});
  } catch (...) {  // a logger must not throw into the plugin; losing a line under OOM is fine
  }
}

const std::vector<RecordingLogger::Line> RecordingLogger::lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

bool RecordingLogger::contains(std::string_view text, LogLevel level) const {
  std::lock_guard lock(mutex_);
  for (const auto& line : lines_) {
    if (line.level >= level && line.text.find(text) != std::string::npos) return true;
  }
  return false;
}

std::string RecordingLogger::dump() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& line : lines_)
    out += line.text + "\n";
  return out;
}

void RecordingLogger::clear() {
  std::lock_guard lock(mutex_);
  lines_.clear();
}

}  // namespace payhost::sdk::testing
