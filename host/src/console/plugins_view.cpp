// GET /console/api/plugins: the loaded plugins as configured. Every option the plugin's own
// table marks secret is shown as "••••", whatever its value and however it was given; a
// secret read from a file shows that file's path under "<name>_file", never its contents.
#include <set>

#include "console/charge_summary.hpp"
#include "console/console_handlers.hpp"

namespace payhost::host::console {

using sdk::HttpRequest;
using sdk::HttpResponse;
using sdk::Json;

namespace {

constexpr const char* kMasked = "••••";

Json options_json(const PluginEntry& entry) {
  const std::vector<sdk::OptionSpec> specs = entry.loaded->object().option_specs();
  std::set<std::string> secret;
  for (const auto& spec : specs) {
    if (spec.secret) secret.insert(spec.name);
  }
  Json out = Json::object();
  const Json& values = entry.options.all();
  for (const auto& spec : specs) {
    if (spec.secret) {
      out[spec.name] = kMasked;
      if (auto file = entry.option_files.find(spec.name); file != entry.option_files.end()) {
        out[spec.name + "_file"] = file->second;
      }
    } else if (auto it = values.find(spec.name); it != values.end()) {
      out[spec.name] = *it;
    }
  }
  // Validated values hold only the table's names; anything else is masked all the same.
  if (values.is_object()) {
    for (const auto& item : values.items()) {
      if (!out.contains(item.key()) && !secret.count(item.key())) out[item.key()] = kMasked;
    }
  }
  return out;
}

}  // namespace

HttpResponse plugins(ConsoleServices& s, const ConsoleCaller&, const HttpRequest&) {
  Json list = Json::array();
  for (const PluginEntry* entry : s.core.plugins.entries()) {
    if (!entry || !entry->config || !entry->loaded) continue;
    Json channels = Json::array();
    if (entry->channel) {
      for (const auto& name : entry->config->channels)
        channels.push_back(name);
    }
    list.push_back(Json{{"name", entry->config->name},
                        {"kind", entry->channel ? "channel" : "product"},
                        {"file", entry->config->path},
                        {"channels", std::move(channels)},
                        {"options", options_json(*entry)}});
  }
  return sdk::HttpResponse::json(
      200, Json{{"livemode", s.core.config.livemode}, {"plugins", std::move(list)}});
}

}  // namespace payhost::host::console
