// The config sections of the Ping++-compatible API: apps (keys' owners, their webhook
// endpoints and request-signing keys), webhook delivery and API limits.
#pragma once

#include "config/config.hpp"
#include "config/yaml_access.hpp"

namespace payhost::host {

sdk::Status read_apps(const YamlReader& r, const YAML::Node& n, Config& c);
sdk::Status read_webhooks(const YamlReader& r, const YAML::Node& n, WebhooksConfig& w);
sdk::Status read_api(const YamlReader& r, const YAML::Node& n, ApiConfig& a);

// "app_" followed by 16 letters or digits.
bool is_app_id(const std::string& id);

}  // namespace payhost::host
