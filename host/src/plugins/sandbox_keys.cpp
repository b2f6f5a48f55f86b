#include "plugins/sandbox_keys.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "payhost/sdk/crypto.hpp"
#include "plugins/sandbox_key_registry.hpp"
#include "storage/private_files.hpp"

namespace payhost::host {

namespace fs = std::filesystem;
using sdk::ErrorKind;

namespace {

// Writes `content` to `path` only if it does not exist yet (O_EXCL), so two hosts racing
// on one directory keep the first key pair. The file is 0600 from its creation, so no
// other user can open it while it is written.
bool write_exclusive(const fs::path& path, const std::string& content) {
  const fs::path tmp = path.string() + ".tmp" + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return false;
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  const bool complete = ::close(fd) == 0 && written == content.size();
  const bool linked = complete && ::link(tmp.c_str(), path.c_str()) == 0;
  std::error_code ec;
  fs::remove(tmp, ec);
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
    if (auto st = ensure_private_directory(dir_); !st) return st.error();
    const fs::path priv = fs::path(dir_) / (std::string(name) + ".key.pem");
    if (!fs::exists(priv)) {
      auto generated = sdk::crypto::generate_rsa_keypair(2048, kSandboxPublicExponent);
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
