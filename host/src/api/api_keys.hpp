// API keys of the /v1 API: "sk_test_" / "sk_live_" + 24 letters/digits, one app and one
// mode each. Only the SHA-256 of a key is stored; the key itself is shown once, at
// creation. Every request looks its key up (one indexed read), so a revocation holds at
// once on every host sharing the database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

namespace payhost::host::api {

struct ApiKey {
  std::string id;  // "key_" + 16 letters/digits
  std::string app;
  bool livemode = false;
  std::string hint;  // "sk_test_abcd…wxyz": enough to recognise, too little to use
  std::string label;
  std::int64_t created = 0;
  std::optional<std::int64_t> revoked;
};

// Whether `text` has a key's form: the prefix of a mode and 24 letters/digits.
bool is_well_formed_key(std::string_view text);
// Lower-case hex SHA-256 of the key: what the table stores and looks up.
std::string key_hash(std::string_view key);
// "sk_test_abcd…wxyz" for a well-formed key; for anything else only what is safe to show
// ("sk_test_***…" or "***…").
std::string key_hint(std::string_view key);

struct CreatedKey {
  ApiKey key;
  std::string secret;  // the key itself: print once, never store
};

class ApiKeyStore {
 public:
  CreatedKey create(soci::session& sql, const std::string& app, bool livemode,
                    const std::string& label, std::int64_t now) const;
  std::vector<ApiKey> list(soci::session& sql, const std::string& app) const;  // "" = all
  // Marks the key revoked; false if there is no such key or it was revoked already.
  bool revoke(soci::session& sql, const std::string& key_id, std::int64_t now) const;
  // The key (revoked or not) whose hash matches, if any.
  std::optional<ApiKey> lookup(soci::session& sql, std::string_view key) const;
};

}  // namespace payhost::host::api
