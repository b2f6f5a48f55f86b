#include "console/audit_log.hpp"

#include <atomic>
#include <chrono>

#include "payhost/sdk/crypto.hpp"
#include "text/printable_text.hpp"

namespace payhost::host::console {

namespace {

constexpr std::string_view kAlphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string bounded(std::string_view text, std::size_t max_bytes) {
  return printable_line(text, max_bytes);
}

}  // namespace

std::string new_audit_id() {
  // time_ordered_alnum: 8 characters of milliseconds, then random ones. The next 4 become a
  // counter of this process, so two rows of one millisecond keep their order here.
  static std::atomic<std::uint32_t> counter{0};
  std::string id = sdk::crypto::time_ordered_alnum(24);
  std::uint32_t n = counter.fetch_add(1, std::memory_order_relaxed) % (62u * 62u * 62u * 62u);
  for (std::size_t i = 12; i-- > 8; n /= 62)
    id[i] = kAlphabet[n % 62];
  return "aud_" + id;
}

void AuditLog::append(soci::session& sql, AuditEntry e) const {
  if (e.id.empty()) e.id = new_audit_id();
  if (e.at_ms == 0) e.at_ms = now_ms();
  e.operator_name = bounded(e.operator_name, 64);
  e.role = bounded(e.role, 16);
  e.action = bounded(e.action, 300);
  e.target = bounded(e.target, kMaxAuditTarget);
  e.client_ip = bounded(e.client_ip, 64);
  e.detail = bounded(e.detail, kMaxAuditDetail);
  const long long at = e.at_ms;
  sql << "INSERT INTO console_audit (id, at_ms, operator, role, action, target, status, "
         "client_ip, detail) VALUES (:id, :at, :operator, :role, :action, :target, :status, "
         ":ip, :detail)",
      soci::use(e.id, "id"), soci::use(at, "at"), soci::use(e.operator_name, "operator"),
      soci::use(e.role, "role"), soci::use(e.action, "action"), soci::use(e.target, "target"),
      soci::use(e.status, "status"), soci::use(e.client_ip, "ip"), soci::use(e.detail, "detail");
}

std::vector<AuditEntry> AuditLog::list(soci::session& sql, const std::string& before,
                                       int limit) const {
  std::vector<AuditEntry> out;
  AuditEntry row;
  long long at = 0;
  const int all = before.empty() ? 1 : 0;
  // Ids compare byte by byte (SQLite's BINARY); a PostgreSQL database's collation may not.
  const std::string id = sql.get_backend_name() == "postgresql" ? "id COLLATE \"C\"" : "id";
  soci::statement st =
      (sql.prepare << "SELECT id, at_ms, operator, role, action, target, status, client_ip, "
                      "detail FROM console_audit WHERE (:all = 1 OR " +
                          id + " < :before) ORDER BY " + id + " DESC LIMIT :limit",
       soci::use(all, "all"), soci::use(before, "before"), soci::use(limit, "limit"),
       soci::into(row.id), soci::into(at), soci::into(row.operator_name), soci::into(row.role),
       soci::into(row.action), soci::into(row.target), soci::into(row.status),
       soci::into(row.client_ip), soci::into(row.detail));
  st.execute();
  while (st.fetch()) {
    row.at_ms = at;
    out.push_back(row);
  }
  return out;
}

sdk::Json to_json(const AuditEntry& e) {
  return sdk::Json{{"id", e.id},         {"at_ms", e.at_ms},         {"operator", e.operator_name},
                   {"role", e.role},     {"action", e.action},       {"target", e.target},
                   {"status", e.status}, {"client_ip", e.client_ip}, {"detail", e.detail}};
}

}  // namespace payhost::host::console
