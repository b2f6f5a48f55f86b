#include "console/session_store.hpp"

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "text/http_whitespace.hpp"

namespace payhost::host::console {

namespace {

constexpr std::size_t kCookieLength = 43;  // 32 bytes, base64url without padding

std::string token_hash(std::string_view cookie) {
  return sdk::hex_lower(sdk::crypto::sha256(cookie));
}

bool is_base64url(std::string_view text) {
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string session_cookie(const std::string& cookie_header) {
  std::string_view rest = cookie_header;
  while (!rest.empty()) {
    const auto semi = rest.find(';');
    const std::string_view pair = trim_ows(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || trim_ows(pair.substr(0, eq)) != kSessionCookie) continue;
    std::string_view value = trim_ows(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (value.size() == kCookieLength && is_base64url(value)) return std::string(value);
  }
  return {};
}

NewSession SessionStore::create(soci::session& sql, const std::string& operator_name,
                                const std::string& client_ip, std::int64_t now,
                                std::int64_t lifetime_seconds) const {
  const long long at = now;
  sql << "DELETE FROM console_sessions WHERE expires <= :now", soci::use(at, "now");
  NewSession out;
  out.cookie = sdk::base64url_encode(sdk::crypto::random_bytes(32));
  out.csrf_token = sdk::base64url_encode(sdk::crypto::random_bytes(32));
  out.expires = now + lifetime_seconds;
  const std::string hash = token_hash(out.cookie);
  const long long expires = out.expires;
  sql << "INSERT INTO console_sessions (token_hash, operator, csrf_token, client_ip, created, "
         "expires) VALUES (:hash, :operator, :csrf, :ip, :created, :expires)",
      soci::use(hash, "hash"), soci::use(operator_name, "operator"),
      soci::use(out.csrf_token, "csrf"), soci::use(client_ip, "ip"), soci::use(at, "created"),
      soci::use(expires, "expires");
  return out;
}

std::optional<Session> SessionStore::find(soci::session& sql, const std::string& cookie,
                                          std::int64_t now) const {
  if (cookie.size() != kCookieLength) return std::nullopt;
  const std::string hash = token_hash(cookie);
  const long long at = now;
  Session s;
  std::string role;
  long long expires = 0;
  soci::indicator ind = soci::i_null;
  sql << "SELECT s.operator, o.role, s.csrf_token, s.expires FROM console_sessions s JOIN "
         "console_operators o ON o.name = s.operator WHERE s.token_hash = :hash AND s.expires > "
         ":now",
      soci::use(hash, "hash"), soci::use(at, "now"), soci::into(s.operator_name, ind),
      soci::into(role), soci::into(s.csrf_token), soci::into(expires);
  if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
  const auto parsed = parse_role(role);
  if (!parsed) return std::nullopt;
  s.role = *parsed;
  s.expires = expires;
  return s;
}

void SessionStore::remove(soci::session& sql, const std::string& cookie) const {
  const std::string hash = token_hash(cookie);
  sql << "DELETE FROM console_sessions WHERE token_hash = :hash", soci::use(hash, "hash");
}

void SessionStore::end_sessions_of(soci::session& sql, const std::string& operator_name) const {
  sql << "DELETE FROM console_sessions WHERE operator = :operator",
      soci::use(operator_name, "operator");
}

}  // namespace payhost::host::console
