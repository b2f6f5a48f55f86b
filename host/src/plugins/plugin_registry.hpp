// The loaded plugins and the channels they enable.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "payhost/sdk/channel.hpp"
#include "payhost/sdk/options.hpp"
#include "payhost/sdk/product.hpp"
#include "plugins/loader.hpp"

namespace payhost::host {

struct PluginEntry {
  const PluginConfig* config = nullptr;
  std::unique_ptr<LoadedPlugin> loaded;
  sdk::Options options;
  std::map<std::string, std::string> option_files;  // option -> the file it was read from
  sdk::ChannelPlugin* channel = nullptr;            // set for channel plugins
  sdk::ProductPlugin* product = nullptr;            // set for product plugins
};

struct EnabledChannel {
  std::string name;
  sdk::ChannelSpec spec;
  PluginEntry* plugin = nullptr;
};

class PluginRegistry {
 public:
  // Loads every configured plugin and checks: descriptors, kinds, duplicate plugin or
  // channel names, channels offered by the plugin, options against each table. Nothing is
  // started. Errors name the file and key.
  sdk::Status load(const Config& config);

  std::vector<PluginEntry*> entries();
  PluginEntry* find(const std::string& name);
  const EnabledChannel* channel(const std::string& name) const;
  std::vector<std::string> channel_names() const;  // in config order
  sdk::ProductPlugin* product(const std::string& name);

  // Re-reads each enabled channel's spec: a plugin's specs may depend on its options,
  // which it only sees in start().
  void refresh_channel_specs();

  // Destroys plugin objects (libraries stay loaded until process exit).
  void clear();

 private:
  std::vector<std::unique_ptr<PluginEntry>> entries_;
  std::map<std::string, EnabledChannel> channels_;
  std::vector<std::string> channel_order_;
};

}  // namespace payhost::host
