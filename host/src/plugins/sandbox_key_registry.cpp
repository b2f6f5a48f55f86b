#include "plugins/sandbox_key_registry.hpp"

#include <openssl/x509.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "payhost/sdk/encoding.hpp"

namespace payhost::host {

namespace fs = std::filesystem;
using sdk::ErrorKind;

namespace {

// The public key `text` holds: a private key's public half, a public key, or the first
// certificate of a chain.
std::optional<sdk::crypto::PublicKey> public_key_of_text(std::string_view text) {
  if (auto private_key = sdk::crypto::PrivateKey::parse(text)) {
    auto half = sdk::crypto::PublicKey::parse(private_key->public_key_pem());
    if (half) return std::move(*half);
    return std::nullopt;
  }
  std::string_view first = text;
  constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
  if (const auto end = text.find(kEnd); end != std::string_view::npos) {
    first = text.substr(0, end + kEnd.size());
  }
  if (auto public_key = sdk::crypto::PublicKey::parse(first)) return std::move(*public_key);
  return std::nullopt;
}

}  // namespace

std::string key_fingerprint(const sdk::crypto::PublicKey& key) {
  unsigned char* der = nullptr;
  const int size = i2d_PUBKEY(key.get(), &der);
  if (size <= 0 || der == nullptr) return {};
  const std::string bytes(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return "sha256:" + sdk::hex_lower(sdk::crypto::sha256(bytes));
}

std::optional<std::string> fingerprint_of_key_text(std::string_view text) {
  if (auto key = public_key_of_text(text)) return key_fingerprint(*key);
  return std::nullopt;
}

sdk::Status record_sandbox_key(Db& db, std::string_view name, std::string_view public_key_pem,
                               std::int64_t now) {
  const auto fingerprint = fingerprint_of_key_text(public_key_pem);
  if (!fingerprint || fingerprint->empty()) {
    return sdk::make_error(ErrorKind::internal, "sandbox_keys",
                           "sandbox key pair " + std::string(name) + " has no readable public key");
  }
  const std::string key_name(name);
  const long long at = now;
  return db.transact([&](soci::session& sql) -> sdk::Status {
    sql << "INSERT INTO test_key_fingerprints (fingerprint, name, recorded_at) VALUES (:f, :n, :t) "
           "ON CONFLICT (fingerprint) DO NOTHING",
        soci::use(*fingerprint), soci::use(key_name), soci::use(at);
    return {};
  });
}

sdk::Result<SandboxFingerprints> recorded_sandbox_keys(Db& db, const std::string& key_dir) {
  SandboxFingerprints out;
  sdk::Status st = db.with_session([&](soci::session& sql) -> sdk::Status {
    std::string fingerprint, name;
    soci::statement q = (sql.prepare << "SELECT fingerprint, name FROM test_key_fingerprints",
                         soci::into(fingerprint), soci::into(name));
    q.execute();
    while (q.fetch())
      out.emplace(fingerprint, "recorded in the database as sandbox key pair \"" + name + "\"");
    return {};
  });
  if (!st) return st.error();
  std::error_code ec;
  for (fs::directory_iterator it(key_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".pem") continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (auto fingerprint = fingerprint_of_key_text(text.str())) {
      out.emplace(*fingerprint, "the sandbox key file " + it->path().string());
    }
  }
  return out;
}

namespace {

// Where a key text's key comes from, if the sandbox made it: nullopt when it is not a key
// or not the sandbox's.
std::optional<std::string> sandbox_origin(const SandboxFingerprints& recorded,
                                          std::string_view text, std::string& fingerprint) {
  const auto key = public_key_of_text(text);
  if (!key) return std::nullopt;
  fingerprint = key_fingerprint(*key);
  if (const auto hit = recorded.find(fingerprint); hit != recorded.end()) return hit->second;
  if (sdk::crypto::rsa_public_exponent(*key) == kSandboxPublicExponent) {
    return "its public exponent, " + std::to_string(kSandboxPublicExponent) +
           ", is the one the sandbox gives every key pair it generates";
  }
  return std::nullopt;
}

}  // namespace

sdk::Status refuse_sandbox_keys(const SandboxFingerprints& recorded, const sdk::Options& options,
                                const std::map<std::string, std::string>& option_files,
                                const std::string& where) {
  if (!options.all().is_object()) return {};
  for (const auto& [name, value] : options.all().items()) {
    if (!value.is_string()) continue;
    std::string fingerprint;
    const auto origin = sandbox_origin(recorded, value.get_ref<const std::string&>(), fingerprint);
    if (!origin) continue;
    const auto file = option_files.find(name);
    const std::string option = file == option_files.end()
                                   ? where + "." + name
                                   : where + "." + name + "_file (" + file->second + ")";
    return sdk::make_error(ErrorKind::invalid_request, "sandbox_key_in_live_mode",
                           option + ": live mode refuses this key: the sandbox generated it (" +
                               fingerprint + ", " + *origin +
                               "); configure the key pair from the provider's console",
                           name);
  }
  return {};
}

}  // namespace payhost::host
