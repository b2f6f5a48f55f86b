#include "webhooks/signing_key.hpp"

#include <optional>
#include <string>

namespace payhost::host::webhooks {

namespace {

sdk::Result<std::optional<std::string>> read_key(Db& db) {
  std::optional<std::string> pem;
  auto st = db.with_session([&](soci::session& sql) -> sdk::Status {
    std::string value;
    soci::indicator ind = soci::i_null;
    const std::string name = kSigningKeyName;
    sql << "SELECT value FROM host_secrets WHERE name = :name", soci::use(name),
        soci::into(value, ind);
    if (sql.got_data() && ind == soci::i_ok) pem = value;
    return {};
  });
  if (!st) return st.error();
  return pem;
}

}  // namespace

sdk::Result<sdk::crypto::PrivateKey> load_or_create_signing_key(Db& db, std::int64_t now) {
  auto stored = read_key(db);
  if (!stored) return stored.error();
  if (!*stored) {
    // Generated outside the transaction (tens of milliseconds); a host that loses the
    // race throws its key away and reads the winner's.
    auto generated = sdk::crypto::generate_rsa_keypair(2048);
    if (!generated) return generated.error();
    auto st = db.transact([&](soci::session& sql) -> sdk::Status {
      const std::string name = kSigningKeyName;
      const long long created = now;
      sql << "INSERT INTO host_secrets (name, value, created) VALUES (:name, :value, :created) "
             "ON CONFLICT (name) DO NOTHING",
          soci::use(name), soci::use(generated->private_key_pem), soci::use(created);
      return {};
    });
    if (!st) return st.error();
    stored = read_key(db);
    if (!stored) return stored.error();
    if (!*stored) {
      return sdk::make_error(sdk::ErrorKind::internal, "signing_key",
                             "the webhook signing key was inserted but cannot be read back");
    }
  }
  auto key = sdk::crypto::PrivateKey::parse(**stored);
  if (!key) {
    // Never the value itself: it is the private key.
    return sdk::make_error(sdk::ErrorKind::internal, "signing_key",
                           std::string("host_secrets.") + kSigningKeyName +
                               " is not an RSA private key: " + key.error().message);
  }
  return key;
}

}  // namespace payhost::host::webhooks
