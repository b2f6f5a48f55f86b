// Who calls the /v1 API: the API key from `Authorization: Bearer sk_...` or HTTP Basic
// with the key as user name and an empty password, looked up by its hash on every request.
#pragma once

#include <string>

#include "api/api_keys.hpp"
#include "config/config.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/result.hpp"
#include "storage/database.hpp"

namespace payhost::host::api {

struct Caller {
  ApiKey key;
  const AppConfig* app = nullptr;
};

// The key text the request carries; unauthorized if none, or not in either form.
sdk::Result<std::string> presented_key(const sdk::HttpRequest& request);

// The caller, or unauthorized with Ping++'s message ("提供了无效的 API KEY: sk_test_***…",
// never the whole key): unknown or revoked keys, keys of an app no longer configured,
// and keys of the other mode (a test host takes test keys only, a live host live ones).
sdk::Result<Caller> authenticate(const sdk::HttpRequest& request, Db& db, const ApiKeyStore& keys,
                                 const Config& config);

}  // namespace payhost::host::api
