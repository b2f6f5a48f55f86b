#include "charges/refusal_store.hpp"

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "text/printable_text.hpp"

namespace payhost::host {

namespace {

// Over the full values, so that refusals differing only beyond a stored field's cut are
// still told apart; fields are length-prefixed so that no two splits collide.
std::string fingerprint(const Refusal& r) {
  std::string text;
  for (const std::string* field : {&r.plugin, &r.reason, &r.order_no}) {
    text += std::to_string(field->size()) + ":" + *field + ";";
  }
  return sdk::hex_lower(sdk::crypto::sha256(text));
}

}  // namespace

long long record_refusal(soci::session& sql, const Refusal& refusal, std::int64_t now) {
  const std::string id = "nr_" + sdk::crypto::time_ordered_alnum(24);
  const std::string key = fingerprint(refusal);
  const std::string plugin = printable_line(refusal.plugin, kMaxRefusalKeyBytes);
  const std::string order_no = printable_line(refusal.order_no, kMaxRefusalKeyBytes);
  const std::string reason = printable_line(refusal.reason, kMaxRefusalKeyBytes);
  const std::string detail = printable_line(refusal.detail, kMaxRefusalDetailBytes);
  const long long seen = now;
  long long repeats = 0;
  sql << "INSERT INTO notification_refusals (id, plugin, order_no, reason, detail, created, "
         "fingerprint, repeats, last_seen) VALUES (:id, :plugin, :order_no, :reason, :detail, "
         ":created, :fingerprint, 1, :last_seen) ON CONFLICT (fingerprint) DO UPDATE SET "
         "repeats = notification_refusals.repeats + 1, last_seen = excluded.last_seen, "
         "detail = excluded.detail RETURNING repeats",
      soci::use(id), soci::use(plugin), soci::use(order_no), soci::use(reason), soci::use(detail),
      soci::use(seen), soci::use(key), soci::use(seen), soci::into(repeats);
  return repeats;
}

}  // namespace payhost::host
