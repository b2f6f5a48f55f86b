#include "plugins/host_services.hpp"

#include "config/config.hpp"
#include "plugins/plugin_registry.hpp"
#include "plugins/sandbox_key_registry.hpp"

namespace payhost::host {

using sdk::ErrorKind;

void SharedServices::set_public_url(std::string url) {
  std::lock_guard lock(mutex_);
  public_url_ = std::move(url);
}

std::string SharedServices::public_url() const {
  std::lock_guard lock(mutex_);
  return public_url_;
}

std::string SharedServices::notify_url(std::string_view plugin) const {
  return public_url() + "/notify/" + std::string(plugin);
}

std::string HostServices::notify_url(std::string_view plugin) const {
  return shared_.notify_url(plugin);
}

void HostServices::schedule(std::chrono::milliseconds delay, std::function<void()> task) {
  shared_.scheduler.schedule(delay, std::move(task));
}

sdk::Result<sdk::KeyPairPem> HostServices::sandbox_keypair(std::string_view name) noexcept {
  if (shared_.config.livemode) {
    return sdk::make_error(ErrorKind::forbidden, "live_mode",
                           "sandbox keys do not exist in live mode");
  }
  auto pair = shared_.sandbox_keys.get(name);
  if (!pair) return pair;
  // Recorded so that live mode can recognise the pair wherever a copy of it turns up.
  if (auto st = record_sandbox_key(shared_.db, name, pair->public_key, shared_.clock.now()); !st) {
    return st.error();
  }
  return pair;
}

sdk::Simulator* HostServices::simulator_for(std::string_view channel) noexcept {
  if (shared_.config.livemode || !shared_.plugins) return nullptr;
  try {
    for (PluginEntry* entry : shared_.plugins->entries()) {
      sdk::Simulator* simulator = entry->product ? entry->product->simulator() : nullptr;
      if (!simulator) continue;
      for (const std::string& name : simulator->channels()) {
        if (name == channel) return simulator;
      }
    }
  } catch (...) {
    // channels() of a misbehaving plugin: no simulator rather than an exception in a route.
  }
  return nullptr;
}

}  // namespace payhost::host
