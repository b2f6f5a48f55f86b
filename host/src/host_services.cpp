#include "host_services.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "config.hpp"
#include "payhost/sdk/crypto.hpp"

namespace payhost::host {

namespace fs = std::filesystem;
using sdk::ErrorKind;

std::int64_t SystemClock::now() const noexcept {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SharedServices::set_public_url(std::string url) {
  std::lock_guard lock(mutex_);
  public_url_ = std::move(url);
}

std::string SharedServices::public_url() const {
  std::lock_guard lock(mutex_);
  return public_url_;
}

std::string HostServices::notify_url(std::string_view plugin) const {
  return shared_.public_url() + "/notify/" + std::string(plugin);
}

void HostServices::schedule(std::chrono::milliseconds delay, std::function<void()> task) {
  shared_.scheduler.schedule(delay, std::move(task));
}

sdk::Result<sdk::KeyPairPem> HostServices::sandbox_keypair(std::string_view name) noexcept {
  if (shared_.config.livemode) {
    return sdk::make_error(ErrorKind::forbidden, "live_mode",
                           "sandbox keys do not exist in live mode");
  }
  return shared_.sandbox_keys.get(name);
}

namespace {

// Writes `content` to `path` only if it does not exist yet (O_EXCL), so two hosts racing
// on one directory keep the first key pair.
bool write_exclusive(const fs::path& path, const std::string& content) {
  const fs::path tmp = path.string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) return false;
  }
  fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write);
  const bool linked = ::link(tmp.c_str(), path.c_str()) == 0;
  fs::remove(tmp);
  return linked;
}

}  // namespace

sdk::Result<sdk::KeyPairPem> SandboxKeys::get(std::string_view name) {
  if (name.empty() ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") != std::string_view::npos) {
    return sdk::make_error(ErrorKind::invalid_request, "bad_name",
                           "sandbox key names are lower-case letters, digits, - and _");
  }
  std::lock_guard lock(mutex_);
  try {
    fs::create_directories(dir_);
    const fs::path priv = fs::path(dir_) / (std::string(name) + ".key.pem");
    if (!fs::exists(priv)) {
      auto generated = sdk::crypto::generate_rsa_keypair(2048);
      if (!generated) return generated.error();
      write_exclusive(priv, generated->private_key_pem);
    }
    auto pem = read_secret_file(priv.string());
    if (!pem) return pem.error();
    auto key = sdk::crypto::PrivateKey::parse(*pem);
    if (!key) return key.error();
    return sdk::KeyPairPem{*pem + "\n", key->public_key_pem()};
  } catch (const std::exception& e) {
    return sdk::make_error(ErrorKind::internal, "sandbox_keys", e.what());
  }
}

}  // namespace payhost::host
