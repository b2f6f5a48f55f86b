// JSON Web Tokens for the REST APIs: HS256 with a shared secret, optionally RS256 with a
// public key. "alg":"none" and algorithms not configured are refused.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
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

  // Verifies signature, algorithm, "exp" (required, in the future) and "nbf"; "sub" (string
  // or integer) becomes the user id. A token that verified once is remembered (its claims,
  // not a verdict: exp and nbf are checked against `now` on every call), because clients
  // send the same token with every request and the signature check dominates.
  sdk::Result<sdk::Principal> verify(const std::string& token, std::int64_t now) const;

 private:
  struct Claims {
    sdk::Principal principal;
    double exp = 0;
    std::optional<double> nbf;
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

// An HS256 token with sub, iat, exp (and admin: true when asked).
std::string mint_hs256(const std::string& secret, const std::string& user, bool admin,
                       std::int64_t now, std::int64_t ttl_seconds);

// "Authorization: Bearer <token>" -> token; empty if absent or not a bearer.
std::string bearer_token(const sdk::HttpRequest& request);

}  // namespace payhost::host
