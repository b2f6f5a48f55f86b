#include "payhost/sdk/testing/fake_host.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>

#include "payhost/sdk/crypto.hpp"

namespace payhost::sdk::testing {
namespace {

std::filesystem::path fresh_data_dir() {
  static std::atomic<int> counter{0};
  auto dir =
      std::filesystem::temp_directory_path() / ("payhost-fake-host-" + std::to_string(::getpid()) +
                                                "-" + std::to_string(counter.fetch_add(1)));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

FakeHost::FakeHost(std::string data_dir)
    : charge_core(db, time, kAppId),
      data_dir_(data_dir.empty() ? fresh_data_dir() : std::filesystem::path(data_dir)),
      owns_data_dir_(data_dir.empty()) {}

FakeHost::~FakeHost() {
  if (!owns_data_dir_) return;
  std::error_code ignored;
  std::filesystem::remove_all(data_dir_, ignored);
}

std::string FakeHost::notify_url(std::string_view plugin) const {
  return base_url + "/notify/" + std::string(plugin);
}

void FakeHost::schedule(std::chrono::milliseconds delay, std::function<void()> task) {
  std::lock_guard lock(mutex_);
  tasks_.push_back({time.now() * 1000 + delay.count(), delay, std::move(task)});
}

int FakeHost::run_scheduled(bool all) {
  std::vector<Task> due;
  {
    std::lock_guard lock(mutex_);
    const std::int64_t now_ms = time.now() * 1000;
    auto split = std::stable_partition(tasks_.begin(), tasks_.end(),
                                       [&](const Task& t) { return !(all || t.due_ms <= now_ms); });
    due.assign(std::make_move_iterator(split), std::make_move_iterator(tasks_.end()));
    tasks_.erase(split, tasks_.end());
  }
  std::stable_sort(due.begin(), due.end(),
                   [](const Task& a, const Task& b) { return a.due_ms < b.due_ms; });
  for (auto& task : due)
    task.run();
  return static_cast<int>(due.size());
}

bool FakeHost::run_next_scheduled() {
  std::function<void()> next;
  {
    std::lock_guard lock(mutex_);
    if (tasks_.empty()) return false;
    next = std::move(tasks_.front().run);
    tasks_.erase(tasks_.begin());
  }
  next();
  return true;
}

std::vector<std::chrono::milliseconds> FakeHost::scheduled_delays() const {
  std::lock_guard lock(mutex_);
  std::vector<std::chrono::milliseconds> delays;
  for (const auto& task : tasks_)
    delays.push_back(task.delay);
  return delays;
}

void FakeHost::use_sandbox_keypair(std::string name, KeyPairPem pair) {
  std::lock_guard lock(mutex_);
  own_keys_[std::move(name)] = std::move(pair);
}

int FakeHost::sandbox_key_requests() const {
  std::lock_guard lock(mutex_);
  return key_requests_;
}

std::size_t FakeHost::scheduled() const {
  std::lock_guard lock(mutex_);
  return tasks_.size();
}

Result<KeyPairPem> FakeHost::sandbox_keypair(std::string_view name) noexcept {
  {
    std::lock_guard lock(mutex_);
    ++key_requests_;
  }
  if (live) {
    return make_error(ErrorKind::forbidden, "live_mode", "sandbox keys do not exist in live mode");
  }
  {
    std::lock_guard lock(mutex_);
    if (auto it = own_keys_.find(name); it != own_keys_.end()) return it->second;
  }
  static std::mutex keys_mutex;
  static std::map<std::string, KeyPairPem, std::less<>> keys;
  try {
    std::lock_guard lock(keys_mutex);
    if (auto it = keys.find(name); it != keys.end()) return it->second;
    // The exponent the host gives its sandbox pairs, so live-mode checks that recognise
    // them behave here as they do under payhostd.
    auto generated = crypto::generate_rsa_keypair(2048, 65539);
    if (!generated) return generated.error();
    KeyPairPem pair{generated->private_key_pem, generated->public_key_pem};
    keys.emplace(std::string(name), pair);
    return pair;
  } catch (const std::exception& e) {
    return make_error(ErrorKind::internal, "sandbox_keypair", e.what());
  }
}

Simulator* FakeHost::simulator_for(std::string_view channel) noexcept {
  if (live) return nullptr;
  std::lock_guard lock(mutex_);
  auto it = simulators_.find(channel);
  return it == simulators_.end() ? nullptr : it->second;
}

void FakeHost::add_simulator(Simulator& simulator) {
  std::lock_guard lock(mutex_);
  for (const auto& channel : simulator.channels())
    simulators_[channel] = &simulator;
}

}  // namespace payhost::sdk::testing
