#include "jwt.hpp"

#include <algorithm>

#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/json.hpp"

namespace payhost::host {

using sdk::ErrorKind;
using sdk::Json;

namespace {

sdk::Error unauthorized(const std::string& why) {
  return sdk::make_error(ErrorKind::unauthorized, "bad_token", why);
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
  if (claims.exp <= static_cast<double>(now)) return unauthorized("token expired");
  if (claims.nbf && *claims.nbf > static_cast<double>(now)) {
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

  const std::string alg = header.value("alg", "");
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
  if (exp == payload.end() || !exp->is_number()) return unauthorized("token has no exp");
  claims.exp = exp->get<double>();
  const auto nbf = payload.find("nbf");
  if (nbf != payload.end() && nbf->is_number()) claims.nbf = nbf->get<double>();
  sdk::Principal& p = claims.principal;
  const auto sub = payload.find("sub");
  if (sub != payload.end() && sub->is_string()) {
    p.user_id = sub->get<std::string>();
  } else if (sub != payload.end() && sub->is_number_integer()) {
    p.user_id = std::to_string(sub->get<long long>());
  }
  if (p.user_id.empty()) return unauthorized("token has no sub");
  const auto admin = payload.find("admin");
  p.admin = (admin != payload.end() && admin->is_boolean() && admin->get<bool>()) ||
            std::find(admin_users_.begin(), admin_users_.end(), p.user_id) != admin_users_.end();
  return claims;
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
