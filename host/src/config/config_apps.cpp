#include "config/config_apps.hpp"

#include <algorithm>

#include "charges/charge_text.hpp"
#include "payhost/sdk/crypto.hpp"

namespace payhost::host {

using sdk::Status;

bool is_app_id(const std::string& id) {
  return id.size() == 20 && id.rfind("app_", 0) == 0 &&
         std::all_of(id.begin() + 4, id.end(), [](unsigned char ch) { return std::isalnum(ch); });
}

bool WebhookEndpoint::wants(const std::string& type) const {
  return events.empty() || std::find(events.begin(), events.end(), type) != events.end();
}

const AppConfig* Config::app(const std::string& id) const {
  for (const auto& a : apps) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

namespace {

// The event types payhost writes; an endpoint naming another would never receive it.
const std::vector<std::string> kEventTypes = {"charge.succeeded", "refund.succeeded"};

Status read_endpoint(const YamlReader& r, const YAML::Node& n, const std::string& p,
                     WebhookEndpoint& e) {
  if (!n.IsMap()) return r.error(p, "expected a mapping with url and events");
  if (auto st = r.check_keys(n, p, {"url", "events"}); !st) return st;
  if (auto st = r.read(n, p, "url", e.url); !st) return st;
  if (auto problem = url_problem(e.url)) {
    return r.error(p + ".url", "expected an absolute http(s) URL: the URL " + *problem);
  }
  if (auto st = r.read(n, p, "events", e.events); !st) return st;
  for (const auto& type : e.events) {
    if (std::find(kEventTypes.begin(), kEventTypes.end(), type) == kEventTypes.end()) {
      return r.error(p + ".events", "unknown event type \"" + type +
                                        "\" (allowed: charge.succeeded, "
                                        "refund.succeeded)");
    }
  }
  return {};
}

Status read_app(const YamlReader& r, const YAML::Node& n, const std::string& p, AppConfig& a) {
  if (auto st = r.check_keys(
          n, p, {"webhooks", "request_public_key", "request_public_key_file", "require_signature"});
      !st)
    return st;
  if (!n || n.IsNull()) return {};
  if (const YAML::Node hooks = n["webhooks"]; hooks && !hooks.IsNull()) {
    if (!hooks.IsSequence()) return r.error(p + ".webhooks", "expected a list of endpoints");
    for (std::size_t i = 0; i < hooks.size(); ++i) {
      WebhookEndpoint e;
      const std::string at = p + ".webhooks[" + std::to_string(i) + "]";
      if (auto st = read_endpoint(r, hooks[i], at, e); !st) return st;
      // One delivery per event and URL: list a URL once, with every type it takes.
      for (const auto& earlier : a.webhooks) {
        if (earlier.url == e.url) {
          return r.error(at + ".url",
                         "this URL is listed twice for the app; list it once "
                         "with all the event types it takes");
        }
      }
      a.webhooks.push_back(std::move(e));
    }
  }
  if (auto st = r.read_secret(n, p, "request_public_key", a.request_public_key); !st) return st;
  if (!a.request_public_key.empty()) {
    if (auto key = sdk::crypto::PublicKey::parse(a.request_public_key); !key) {
      return r.error(p + ".request_public_key", "not an RSA public key: " + key.error().message);
    }
  }
  if (auto st = r.read(n, p, "require_signature", a.require_signature); !st) return st;
  if (a.require_signature && a.request_public_key.empty()) {
    return r.error(p + ".require_signature", "needs request_public_key");
  }
  return {};
}

}  // namespace

Status read_apps(const YamlReader& r, const YAML::Node& n, Config& c) {
  if (n && !n.IsNull()) {
    if (!n.IsMap()) return r.error("apps", "expected a mapping of app id to settings");
    for (const auto& kv : n) {
      AppConfig a;
      a.id = kv.first.as<std::string>();
      if (!is_app_id(a.id)) {
        return r.error("apps." + a.id, "app ids are \"app_\" followed by 16 letters or digits");
      }
      if (auto st = read_app(r, kv.second, "apps." + a.id, a); !st) return st;
      c.apps.push_back(std::move(a));
    }
  }
  auto own = std::find_if(c.apps.begin(), c.apps.end(),
                          [&](const AppConfig& a) { return a.id == c.app_id; });
  if (own == c.apps.end()) {
    c.apps.insert(c.apps.begin(), AppConfig{c.app_id, {}, {}, false});
  } else {
    std::rotate(c.apps.begin(), own, own + 1);
  }
  return {};
}

Status read_webhooks(const YamlReader& r, const YAML::Node& n, WebhooksConfig& w) {
  const std::string p = "webhooks";
  if (auto st = r.check_keys(
          n, p, {"retry_seconds", "timeout_ms", "workers", "batch", "lease_seconds", "poll_ms"});
      !st)
    return st;
  if (!n || n.IsNull()) return {};
  if (const YAML::Node retries = n["retry_seconds"]; retries && !retries.IsNull()) {
    if (!retries.IsSequence() || retries.size() > 20) {
      return r.error(p + ".retry_seconds", "expected a list of at most 20 delays in seconds");
    }
    std::vector<std::int64_t> delays;
    for (std::size_t i = 0; i < retries.size(); ++i) {
      const std::string text = retries[i].IsScalar() ? retries[i].Scalar() : "";
      if (text.empty() || text.size() > 6 ||
          text.find_first_not_of("0123456789") != std::string::npos) {
        return r.error(p + ".retry_seconds[" + std::to_string(i) + "]",
                       "expected an integer number of seconds from 0 to 604800");
      }
      const std::int64_t v = std::stoll(text);
      if (v > 604800) {
        return r.error(p + ".retry_seconds[" + std::to_string(i) + "]",
                       "expected an integer number of seconds from 0 to 604800");
      }
      delays.push_back(v);
    }
    w.retry_seconds = std::move(delays);
  }
  if (auto st = r.read(n, p, "timeout_ms", w.timeout_ms, 100, 120000); !st) return st;
  if (auto st = r.read(n, p, "workers", w.workers, 1, 64); !st) return st;
  if (auto st = r.read(n, p, "batch", w.batch, 1, 1000); !st) return st;
  if (auto st = r.read(n, p, "lease_seconds", w.lease_seconds, 1, 3600); !st) return st;
  if (auto st = r.read(n, p, "poll_ms", w.poll_ms, 10, 60000); !st) return st;
  if (w.lease_seconds * 1000LL <= w.timeout_ms) {
    return r.error(p + ".lease_seconds",
                   "must be longer than timeout_ms, or a delivery still "
                   "being sent would be sent again by another host");
  }
  return {};
}

Status read_api(const YamlReader& r, const YAML::Node& n, ApiConfig& a) {
  const std::string p = "api";
  if (auto st = r.check_keys(n, p, {"signature_window_seconds", "rate_limit_per_second"}); !st)
    return st;
  if (!n || n.IsNull()) return {};
  if (auto st = r.read(n, p, "signature_window_seconds", a.signature_window_seconds, 1, 86400); !st)
    return st;
  if (auto st = r.read(n, p, "rate_limit_per_second", a.rate_limit_per_second, 0, 1'000'000); !st)
    return st;
  return {};
}

}  // namespace payhost::host
