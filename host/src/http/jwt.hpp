// JSON Web Tokens for the REST APIs: HS256 with a shared secret, optionally RS256 with a
// public key. "alg":"none" and algorithms not configured are refused.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::host {

class JwtVerifier {
 public:
  // `admin_users`: user ids that are admins even without an "admin" claim.
  JwtVerifier(std::string hs256_secret, std::optional<sdk::crypto::PublicKey> rs256_key,
              std::vector<std::string> algorithms, std::vector<std::string> admin_users);

  // Verifies signature, algorithm, "exp" (required, in the future) and "nbf"; "exp", "nbf"
  // and "iat" must be JSON integers. "sub" must be a user id (is_user_id) as a string, or a
  // positive JSON integer (its decimal text); it becomes the principal's user id, unchanged. A
  // token that verified once is remembered (its claims, not a verdict: exp and nbf are checked
  // against `now` on every call), because clients send the same token with every request and the
  // signature check dominates.
  sdk::Result<sdk::Principal> verify(const std::string& token, std::int64_t now) const;

 private:
  struct Claims {
    sdk::Principal principal;
    std::int64_t exp = 0;
    std::optional<std::int64_t> nbf;
  };
  sdk::Result<Claims> check(const std::string& token) const;  // all but the time checks
  static sdk::Result<sdk::Principal> in_time(const Claims& claims, std::int64_t now);

  static constexpr std::size_t kCacheLimit = 10000;  // then it starts again, empty
  mutable std::mutex cache_mutex_;
  mutable std::unordered_map<std::string, Claims> cache_;

  std::string secret_;
  std::optional<sdk::crypto::PublicKey> rs256_;
  std::vector<std::string> algorithms_;
  std::vector<std::string> admin_users_;
};

// A principal's id is compared as text by the host and by products (campus userIDs are
// 1-64 letters, digits, '-', '_' or '.'); a product that reads it as a number (the wallet)
// refuses any spelling that is not that number's canonical one.
inline constexpr std::size_t kMaxUserIdLength = 64;
// 1 to 64 characters, each a letter, a digit, '-', '_' or '.': nothing a log line, a
// header or a query could be split on.
bool is_user_id(std::string_view text);

// An HS256 token with sub, iat, exp (and admin: true when asked).
std::string mint_hs256(const std::string& secret, const std::string& user, bool admin,
                       std::int64_t now, std::int64_t ttl_seconds);

// "Authorization: Bearer <token>" -> token; empty if absent or not a bearer.
std::string bearer_token(const sdk::HttpRequest& request);

}  // namespace payhost::host
