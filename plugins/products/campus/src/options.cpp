#include "options.hpp"

namespace payhost::campus {
namespace {

sdk::Error bad(const std::string& key, const std::string& what) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, "invalid_option", key + ": " + what, key);
}

// The shortest shared key we accept: a guessable key is no authentication.
constexpr std::size_t kMinApiKeyLength = 16;

}  // namespace

std::vector<sdk::OptionSpec> option_specs() {
  namespace option = sdk::option;
  return {
      option::object("catalogue",
                     "The project and its packages: {project: {name, description, qrCode, "
                     "protocolUrl, wxAccount, alipayAccount, unionPayAccount, selectType}, "
                     "packages: {card: [...], sms: [...]}}; a package is {id, name, price "
                     "(fen), months | days, description, details: [{icon, title, content}]}. "
                     "See docs/api/campus.md.")
          .as_required(),
      option::string("web_path",
                     "Prefix of every route ({WebPath}), e.g. /campus; empty by default")
          .with_default(""),
      option::string("auth",
                     "jwt: a bearer token whose subject equals userID; api_key: the X-Api-Key "
                     "header must equal api_key; none: no authentication (legacy clients, "
                     "logged as a warning)")
          .with_default("jwt")
          .one_of({"jwt", "api_key", "none"}),
      option::string("api_key", "Shared key for auth: api_key (at least 16 characters)")
          .as_secret(),
      option::object("channel_extra",
                     "Default charge extra per channel, e.g. {alipay_wap: {success_url: "
                     "https://...}}; a request's extra overrides it")
          .with_default(sdk::Json::object()),
      option::integer("utc_offset_minutes",
                      "The school's time zone, in minutes east of UTC; it decides what "
                      "\"today\" is for validity dates and exports")
          .with_default(480)
          .in_range(-720, 840),
      option::integer("retrieve_interval_seconds",
                      "SearchSuccessData asks the channel about a pending record at most once "
                      "per this many seconds")
          .with_default(5)
          .in_range(1, 3600),
  };
}

sdk::Result<Settings> parse_settings(const sdk::Options& options) {
  Settings s;
  auto catalogue = parse_catalogue(options.get("catalogue"));
  if (!catalogue) return catalogue.error();
  s.catalogue = std::move(*catalogue);

  s.web_path = options.get_string("web_path");
  if (!s.web_path.empty() && (s.web_path.front() != '/' || s.web_path.back() == '/' ||
                              s.web_path.find_first_of("{}?# ") != std::string::npos)) {
    return bad("web_path",
               "must be empty or start with '/' and not end with '/', got \"" + s.web_path + "\"");
  }

  const std::string auth = options.get_string("auth", "jwt");
  if (auth == "jwt") {
    s.auth = AuthMode::jwt;
  } else if (auth == "api_key") {
    s.auth = AuthMode::api_key;
  } else if (auth == "none") {
    s.auth = AuthMode::none;
  } else {
    return bad("auth", "must be jwt, api_key or none, got \"" + auth + "\"");
  }
  s.api_key = options.get_string("api_key");
  if (s.auth == AuthMode::api_key && s.api_key.size() < kMinApiKeyLength) {
    return bad("api_key", "is required with auth: api_key and must have at least " +
                              std::to_string(kMinApiKeyLength) + " characters");
  }

  const sdk::Json& extra = options.get("channel_extra");
  if (!extra.is_null()) {
    if (!extra.is_object()) return bad("channel_extra", "must be an object {channel: {...}}");
    for (const auto& [channel, value] : extra.items()) {
      if (!value.is_object()) {
        return bad("channel_extra." + channel, "must be an object of extra fields");
      }
    }
    s.channel_extra = extra;
  }

  s.utc_offset_minutes = static_cast<int>(options.get_int("utc_offset_minutes", 480));
  if (s.utc_offset_minutes < -720 || s.utc_offset_minutes > 840) {
    return bad("utc_offset_minutes", "must be between -720 and 840");
  }
  s.retrieve_interval_seconds = options.get_int("retrieve_interval_seconds", 5);
  if (s.retrieve_interval_seconds < 1) return bad("retrieve_interval_seconds", "must be >= 1");
  return s;
}

}  // namespace payhost::campus
