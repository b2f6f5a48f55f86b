#include "plugins/plugin_registry.hpp"

#include <algorithm>

#include "config/yaml_access.hpp"
#include "observability/logging.hpp"
#include "plugins/plugin_options.hpp"

namespace payhost::host {

using sdk::ErrorKind;
using sdk::Status;

Status PluginRegistry::load(const Config& config) {
  YamlReader reader(config.file);
  for (const auto& pc : config.plugins) {
    auto loaded = load_plugin(pc.path, pc.name);
    if (!loaded) {
      return reader.error(pc.key_path, loaded.error().message);
    }
    auto entry = std::make_unique<PluginEntry>();
    entry->config = &pc;
    entry->loaded = std::move(*loaded);
    sdk::Plugin& object = entry->loaded->object();
    entry->channel = object.as_channel();
    entry->product = object.as_product();

    if (entry->channel) {
      const auto specs = entry->channel->channel_specs();
      std::string offered;
      for (const auto& s : specs)
        offered += (offered.empty() ? "" : ", ") + s.name;
      if (!pc.channels_given || pc.channels.empty()) {
        return reader.error(pc.key_path + ".channels",
                            "list the channels to enable (this plugin offers: " + offered + ")");
      }
      for (const auto& name : pc.channels) {
        auto it = std::find_if(specs.begin(), specs.end(),
                               [&](const sdk::ChannelSpec& s) { return s.name == name; });
        if (it == specs.end()) {
          return reader.error(pc.key_path + ".channels", "plugin " + pc.name +
                                                             " does not offer channel \"" + name +
                                                             "\" (it offers: " + offered + ")");
        }
        if (channels_.count(name)) {
          return reader.error(pc.key_path + ".channels", "channel \"" + name +
                                                             "\" is already enabled by plugin " +
                                                             channels_[name].plugin->config->name);
        }
        channels_[name] = EnabledChannel{name, *it, entry.get()};
        channel_order_.push_back(name);
      }
    } else if (pc.channels_given) {
      return reader.error(pc.key_path + ".channels",
                          "only channel plugins enable channels; " + pc.name + " is a product");
    }

    auto validated =
        validate_plugin_options(reader, pc.key_path, pc.options, object.option_specs());
    if (!validated) return validated.error();
    entry->options = std::move(validated->options);
    entry->option_files = std::move(validated->files);
    for (const auto& secret : validated->secret_values)
      redactor().add(secret);
    if (auto checked = object.validate(entry->options); !checked) {
      return reader.error(pc.key_path + ".options", redactor().apply(checked.error().message));
    }
    entries_.push_back(std::move(entry));
  }
  return {};
}

std::vector<PluginEntry*> PluginRegistry::entries() {
  std::vector<PluginEntry*> out;
  for (auto& e : entries_)
    out.push_back(e.get());
  return out;
}

PluginEntry* PluginRegistry::find(const std::string& name) {
  for (auto& e : entries_) {
    if (e->config->name == name) return e.get();
  }
  return nullptr;
}

const EnabledChannel* PluginRegistry::channel(const std::string& name) const {
  auto it = channels_.find(name);
  return it == channels_.end() ? nullptr : &it->second;
}

std::vector<std::string> PluginRegistry::channel_names() const {
  return channel_order_;
}

sdk::ProductPlugin* PluginRegistry::product(const std::string& name) {
  PluginEntry* e = find(name);
  return e ? e->product : nullptr;
}

void PluginRegistry::refresh_channel_specs() {
  for (auto& [name, enabled] : channels_) {
    for (const auto& spec : enabled.plugin->channel->channel_specs()) {
      if (spec.name == name) enabled.spec = spec;
    }
  }
}

void PluginRegistry::clear() {
  channels_.clear();
  channel_order_.clear();
  // Reverse order: later plugins may hold references into earlier ones' services.
  while (!entries_.empty())
    entries_.pop_back();
}

}  // namespace payhost::host
