// Test-mode key pairs for plugins (sdk::Host::sandbox_keypair), kept on disk.
#pragma once

#include <mutex>
#include <string>
#include <string_view>

#include "payhost/sdk/host.hpp"

namespace payhost::host {

// Test-mode key pairs kept in <data_dir>/sandbox-keys, generated once even when several
// hosts share the directory.
class SandboxKeys {
 public:
  explicit SandboxKeys(std::string dir) : dir_(std::move(dir)) {}
  sdk::Result<sdk::KeyPairPem> get(std::string_view name);

 private:
  std::string dir_;
  std::mutex mutex_;
};

}  // namespace payhost::host
