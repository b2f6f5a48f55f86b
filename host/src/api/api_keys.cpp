#include "api/api_keys.hpp"

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "storage/statement_cache.hpp"

namespace payhost::host::api {

namespace {

constexpr std::string_view kTestPrefix = "sk_test_";
constexpr std::string_view kLivePrefix = "sk_live_";
constexpr std::size_t kSecretLength = 24;

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// One row of api_keys bound to variables (typed binds: SOCI's dynamic rows type integer
// columns differently per backend).
struct KeyRow {
  ApiKey key;
  int livemode = 0;
  long long created = 0, revoked = 0;
  soci::indicator revoked_ind = soci::i_null;

  ApiKey take() {
    ApiKey k = key;
    k.livemode = livemode != 0;
    k.created = created;
    k.revoked = revoked_ind == soci::i_ok ? std::optional<std::int64_t>(revoked) : std::nullopt;
    return k;
  }
};

constexpr const char* kColumns = "id, app, livemode, hint, label, created, revoked";

// Every /v1 request looks its key up: the statement is prepared once per connection.
struct SelectKeyByHash : StatementCache::Entry {
  std::string hash;
  KeyRow row;
  soci::statement st;

  explicit SelectKeyByHash(soci::session& sql)
      : st((sql.prepare << std::string("SELECT ") + kColumns + " FROM api_keys WHERE key_hash = :h",
            soci::use(hash), soci::into(row.key.id), soci::into(row.key.app),
            soci::into(row.livemode), soci::into(row.key.hint), soci::into(row.key.label),
            soci::into(row.created), soci::into(row.revoked, row.revoked_ind))) {}

  std::optional<ApiKey> run(std::string h) {
    hash = std::move(h);
    st.execute();
    if (!st.fetch()) return std::nullopt;
    while (st.fetch()) {  // the hash is unique: this ends the statement (SQLite's read lock)
    }
    return row.take();
  }
};

}  // namespace

bool is_well_formed_key(std::string_view text) {
  if (text.size() != kTestPrefix.size() + kSecretLength) return false;
  if (!text.starts_with(kTestPrefix) && !text.starts_with(kLivePrefix)) return false;
  for (char c : text.substr(kTestPrefix.size())) {
    if (!is_alnum(c)) return false;
  }
  return true;
}

std::string key_hash(std::string_view key) {
  return sdk::hex_lower(sdk::crypto::sha256(key));
}

std::string key_hint(std::string_view key) {
  if (is_well_formed_key(key)) {
    return std::string(key.substr(0, kTestPrefix.size() + 4)) + "…" +
           std::string(key.substr(key.size() - 4));
  }
  if (key.starts_with(kTestPrefix)) return std::string(kTestPrefix) + "***…";
  if (key.starts_with(kLivePrefix)) return std::string(kLivePrefix) + "***…";
  return "***…";
}

CreatedKey ApiKeyStore::create(soci::session& sql, const std::string& app, bool livemode,
                               const std::string& label, std::int64_t now) const {
  CreatedKey out;
  out.secret =
      std::string(livemode ? kLivePrefix : kTestPrefix) + sdk::crypto::random_alnum(kSecretLength);
  out.key.id = "key_" + sdk::crypto::random_alnum(16);
  out.key.app = app;
  out.key.livemode = livemode;
  out.key.hint = key_hint(out.secret);
  out.key.label = label;
  out.key.created = now;
  const std::string hash = key_hash(out.secret);
  const int mode = livemode ? 1 : 0;
  const long long created = now;
  sql << "INSERT INTO api_keys (id, app, livemode, key_hash, hint, label, created) VALUES "
         "(:id, :app, :mode, :hash, :hint, :label, :created)",
      soci::use(out.key.id), soci::use(app), soci::use(mode), soci::use(hash),
      soci::use(out.key.hint), soci::use(label), soci::use(created);
  return out;
}

std::vector<ApiKey> ApiKeyStore::list(soci::session& sql, const std::string& app) const {
  std::vector<ApiKey> out;
  KeyRow row;
  const std::string q = std::string("SELECT ") + kColumns +
                        " FROM api_keys WHERE app = :app OR :all = 1 ORDER BY created, id";
  const int all = app.empty() ? 1 : 0;
  soci::statement st = (sql.prepare << q, soci::use(app), soci::use(all), soci::into(row.key.id),
                        soci::into(row.key.app), soci::into(row.livemode), soci::into(row.key.hint),
                        soci::into(row.key.label), soci::into(row.created),
                        soci::into(row.revoked, row.revoked_ind));
  st.execute();
  while (st.fetch())
    out.push_back(row.take());
  return out;
}

bool ApiKeyStore::revoke(soci::session& sql, const std::string& key_id, std::int64_t now) const {
  const long long at = now;
  soci::statement st = (sql.prepare << "UPDATE api_keys SET revoked = :at WHERE id = :id AND "
                                       "revoked IS NULL",
                        soci::use(at), soci::use(key_id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::optional<ApiKey> ApiKeyStore::lookup(soci::session& sql, std::string_view key) const {
  return with_statement<SelectKeyByHash>(
      sql, [&](SelectKeyByHash& select) { return select.run(key_hash(key)); });
}

}  // namespace payhost::host::api
