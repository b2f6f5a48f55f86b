// database.url for PostgreSQL: the URL forms operators write, turned into the keyword/value
// connection string libpq reads (SOCI passes it on after splitting it at spaces).
#pragma once

#include <string>

#include "payhost/sdk/result.hpp"

namespace payhost::host {

// Accepts postgresql:// and postgres://, then [USER[:PASSWORD]@][HOST[:PORT][,HOST[:PORT]...]]
// [/DATABASE][?KEY=VALUE&...], with percent-encoding anywhere (%40 for @ in a password).
// Keys are libpq's connection parameters; payhostd adds application_name=payhostd,
// connect_timeout=10 and TCP keepalives (dead peers found within about a minute) unless the
// URL sets them. Errors say what is wrong and never repeat the password.
sdk::Result<std::string> postgres_conninfo(const std::string& url);

}  // namespace payhost::host
