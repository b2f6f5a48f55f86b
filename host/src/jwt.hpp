// JSON Web Tokens for the REST APIs: HS256 with a shared secret, optionally RS256 with a
// public key. "alg":"none" and algorithms not configured are refused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
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
  // or integer) becomes the user id.
  sdk::Result<sdk::Principal> verify(const std::string& token, std::int64_t now) const;

 private:
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
