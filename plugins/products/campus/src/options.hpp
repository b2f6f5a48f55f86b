// The product's options: the option table the host validates and documents, and the
// typed, fully validated settings built from it once at start.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "catalogue.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/options.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::campus {

enum class AuthMode {
  jwt,      // a bearer token whose subject must equal the request's userID
  api_key,  // the school's backend sends X-Api-Key
  none,     // legacy clients; start-up logs a warning
};

struct Settings {
  std::string web_path;  // "" or "/something" without a trailing slash
  AuthMode auth = AuthMode::jwt;
  std::string api_key;
  sdk::Json channel_extra = sdk::Json::object();  // channel -> default charge extra
  int utc_offset_minutes = 480;
  std::int64_t retrieve_interval_seconds = 5;
  Catalogue catalogue;
};

std::vector<sdk::OptionSpec> option_specs();
sdk::Result<Settings> parse_settings(const sdk::Options& options);

}  // namespace payhost::campus
