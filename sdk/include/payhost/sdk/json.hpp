// The JSON type used across the SDK. Ordered, because API field order is a contract
// (Ping++ charges and the seed APIs list their fields in a fixed order).
#pragma once

#include <nlohmann/json.hpp>

namespace payhost::sdk {

using Json = nlohmann::ordered_json;

}  // namespace payhost::sdk
