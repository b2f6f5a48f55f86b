#include "api/api_auth.hpp"

#include <strings.h>

#include "payhost/sdk/encoding.hpp"

namespace payhost::host::api {

namespace {

constexpr std::size_t kMaxAuthorizationBytes = 512;

sdk::Error unauthorized(std::string code, std::string message) {
  return sdk::make_error(sdk::ErrorKind::unauthorized, std::move(code), std::move(message));
}

sdk::Error invalid_key(const std::string& key) {
  return unauthorized("api_key_invalid", "提供了无效的 API KEY: " + key_hint(key) + "。");
}

bool starts_with_scheme(const std::string& value, const char* scheme, std::string& rest) {
  const std::size_t n = std::char_traits<char>::length(scheme);
  if (value.size() <= n || strncasecmp(value.c_str(), scheme, n) != 0 || value[n] != ' ') {
    return false;
  }
  rest = value.substr(value.find_first_not_of(' ', n));
  return true;
}

}  // namespace

sdk::Result<std::string> presented_key(const sdk::HttpRequest& request) {
  const auto header = request.header("Authorization");
  if (!header || header->empty()) {
    return unauthorized("api_key_missing",
                        "没有提供 API KEY: send it as `Authorization: Bearer sk_...` or as the "
                        "HTTP Basic user name with an empty password");
  }
  if (header->size() > kMaxAuthorizationBytes) return invalid_key("");
  std::string rest;
  if (starts_with_scheme(*header, "Bearer", rest)) return rest;
  if (starts_with_scheme(*header, "Basic", rest)) {
    const auto decoded = sdk::base64_decode(rest);
    if (!decoded) return invalid_key("");
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) return invalid_key("");
    if (colon + 1 != decoded->size()) {
      return unauthorized("api_key_invalid",
                          "HTTP Basic: the API key is the user name and the password is empty");
    }
    return decoded->substr(0, colon);
  }
  return unauthorized("api_key_missing",
                      "Authorization must be `Bearer <API key>` or HTTP Basic with the key as "
                      "user name");
}

sdk::Result<Caller> authenticate(const sdk::HttpRequest& request, Db& db, const ApiKeyStore& keys,
                                 const Config& config) {
  auto key = presented_key(request);
  if (!key) return key.error();
  if (!is_well_formed_key(*key)) return invalid_key(*key);
  std::optional<ApiKey> found;
  sdk::Status st = db.with_session([&](soci::session& sql) -> sdk::Status {
    found = keys.lookup(sql, *key);
    return {};
  });
  if (!st) return st.error();
  if (!found || found->revoked) return invalid_key(*key);
  if (found->livemode != config.livemode) {
    return unauthorized("api_key_wrong_mode",
                        std::string("this payhost runs in ") +
                            (config.livemode ? "live mode and takes live keys (sk_live_...)"
                                             : "test mode and takes test keys (sk_test_...)") +
                            ": " + key_hint(*key) + " is a " + (found->livemode ? "live" : "test") +
                            " key");
  }
  const AppConfig* app = config.app(found->app);
  if (!app) return invalid_key(*key);
  return Caller{std::move(*found), app};
}

}  // namespace payhost::host::api
