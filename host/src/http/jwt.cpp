#include "http/jwt.hpp"

#include <algorithm>
#include <limits>

#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/json.hpp"
#include "text/token_text.hpp"

namespace payhost::host {

using sdk::ErrorKind;
using sdk::Json;

namespace {

sdk::Error unauthorized(const std::string& why) {
  return sdk::make_error(ErrorKind::unauthorized, "bad_token", why);
}

// A NumericDate as this host accepts it: a JSON integer that fits in 64 bits. Strings,
// booleans and fractions are refused rather than read as "no constraint".
std::optional<std::int64_t> numeric_date(const Json& value) {
  if (!value.is_number_integer()) return std::nullopt;
  if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(u);
  }
  return value.get<std::int64_t>();
}

// The user a sub names: a user id (is_user_id) as a string, taken as it is, or a positive
// JSON integer, as its decimal text (read unsigned, so no value wraps).
std::optional<std::string> user_id_of(const Json& sub) {
  std::string text;
  if (sub.is_string()) {
    text = sub.get<std::string>();
  } else if (sub.is_number_unsigned()) {
    const auto value = sub.get<std::uint64_t>();
    if (value == 0) return std::nullopt;
    text = std::to_string(value);
  } else {
    return std::nullopt;  // negative integers, fractions, booleans, containers
  }
  if (!is_user_id(text)) return std::nullopt;
  return text;
}

}  // namespace

JwtVerifier::JwtVerifier(std::string secret, std::optional<sdk::crypto::PublicKey> rs256,
                         std::vector<std::string> algorithms, std::vector<std::string> admins)
    : secret_(std::move(secret)),
      rs256_(std::move(rs256)),
      algorithms_(std::move(algorithms)),
      admin_users_(std::move(admins)) {}

sdk::Result<sdk::Principal> JwtVerifier::verify(const std::string& token, std::int64_t now) const {
  {
    std::lock_guard lock(cache_mutex_);
    if (auto it = cache_.find(token); it != cache_.end()) return in_time(it->second, now);
  }
  auto claims = check(token);
  if (!claims) return claims.error();
  auto principal = in_time(*claims, now);
  if (principal) {  // only tokens that are good now: refused ones cannot fill the cache
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() >= kCacheLimit) cache_.clear();
    cache_.emplace(token, std::move(*claims));
  }
  return principal;
}

sdk::Result<sdk::Principal> JwtVerifier::in_time(const Claims& claims, std::int64_t now) {
  if (claims.exp <= now) return unauthorized("token expired");
  if (claims.nbf && *claims.nbf > now) {
    return unauthorized("token not valid yet");
  }
  return claims.principal;
}

sdk::Result<JwtVerifier::Claims> JwtVerifier::check(const std::string& token) const {
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string::npos || token.find('.', dot2 + 1) != std::string::npos) {
    return unauthorized("malformed token");
  }
  const std::string signing_input = token.substr(0, dot2);
  auto header_raw = sdk::base64url_decode(token.substr(0, dot1));
  auto payload_raw = sdk::base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = sdk::base64url_decode(token.substr(dot2 + 1));
  if (!header_raw || !payload_raw || !signature) return unauthorized("malformed token");
  const Json header = sdk::parse_json(*header_raw);
  const Json payload = sdk::parse_json(*payload_raw);
  if (!header.is_object() || !payload.is_object()) return unauthorized("malformed token");

  const auto alg_claim = header.find("alg");
  const std::string alg =
      alg_claim != header.end() && alg_claim->is_string() ? alg_claim->get<std::string>() : "";
  if (std::find(algorithms_.begin(), algorithms_.end(), alg) == algorithms_.end()) {
    return unauthorized("algorithm \"" + alg + "\" is not accepted");
  }
  bool valid = false;
  if (alg == "HS256" && !secret_.empty()) {
    valid = sdk::crypto::constant_time_equals(sdk::crypto::hmac_sha256(secret_, signing_input),
                                              *signature);
  } else if (alg == "RS256" && rs256_) {
    valid = sdk::crypto::rsa_sha256_verify(*rs256_, signing_input, *signature);
  }
  if (!valid) return unauthorized("bad signature");

  Claims claims;
  const auto exp = payload.find("exp");
  if (exp == payload.end()) return unauthorized("token has no exp");
  const auto exp_value = numeric_date(*exp);
  if (!exp_value) return unauthorized("exp must be an integer number of seconds");
  claims.exp = *exp_value;
  if (const auto nbf = payload.find("nbf"); nbf != payload.end()) {
    claims.nbf = numeric_date(*nbf);
    if (!claims.nbf) return unauthorized("nbf must be an integer number of seconds");
  }
  if (const auto iat = payload.find("iat"); iat != payload.end() && !numeric_date(*iat)) {
    return unauthorized("iat must be an integer number of seconds");
  }
  sdk::Principal& p = claims.principal;
  const auto sub = payload.find("sub");
  if (sub == payload.end()) return unauthorized("token has no sub");
  auto user = user_id_of(*sub);
  if (!user) return unauthorized("sub must be a user id (1-64 letters, digits, '-', '_' or '.')");
  p.user_id = std::move(*user);
  const auto admin = payload.find("admin");
  p.admin = (admin != payload.end() && admin->is_boolean() && admin->get<bool>()) ||
            std::find(admin_users_.begin(), admin_users_.end(), p.user_id) != admin_users_.end();
  return claims;
}

bool is_user_id(std::string_view text) {
  return is_token(text, kMaxUserIdLength, "-_.");
}

std::string mint_hs256(const std::string& secret, const std::string& user, bool admin,
                       std::int64_t now, std::int64_t ttl) {
  const Json header = {{"alg", "HS256"}, {"typ", "JWT"}};
  Json payload = {{"sub", user}, {"iat", now}, {"exp", now + ttl}};
  if (admin) payload["admin"] = true;
  const std::string input =
      sdk::base64url_encode(header.dump()) + "." + sdk::base64url_encode(payload.dump());
  return input + "." + sdk::base64url_encode(sdk::crypto::hmac_sha256(secret, input));
}

std::string bearer_token(const sdk::HttpRequest& request) {
  auto header = request.header("Authorization");
  if (!header) return {};
  const std::string& h = *header;
  if (h.size() < 8 || (h.compare(0, 7, "Bearer ") != 0 && h.compare(0, 7, "bearer ") != 0)) {
    return {};
  }
  std::string token = h.substr(7);
  token.erase(0, token.find_first_not_of(' '));
  return token;
}

}  // namespace payhost::host
