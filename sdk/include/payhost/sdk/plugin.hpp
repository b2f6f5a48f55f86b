// The base of every plugin object, and the descriptor each shared library exports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "payhost/sdk/abi.hpp"
#include "payhost/sdk/options.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::sdk {

class Host;
class ChannelPlugin;
class ProductPlugin;

class PAYHOST_SDK_VISIBLE Plugin {
 public:
  virtual ~Plugin() = default;

  // The option table. Called before start(), also by `payhostd plugins describe`.
  virtual std::vector<OptionSpec> option_specs() const = 0;

  // Checks options beyond what the table says (a catalogue's contents, rules between
  // options) without side effects and without the host. Every payhostd command that loads
  // plugins calls it, `config check` included, so a config that checks clean also starts.
  Status validate(const Options& options) const noexcept;

  // Called once, on the start-up thread, with options validated against the table and by
  // validate(). The host outlives the plugin. A failure stops start-up with the plugin's
  // name and message.
  Status start(const Options& options, Host& host) noexcept;
  // Called once before the host exits; stop background work here.
  void stop() noexcept;

  // Kind casts without RTTI: dynamic_cast across shared libraries is fragile.
  virtual ChannelPlugin* as_channel() noexcept { return nullptr; }
  virtual ProductPlugin* as_product() noexcept { return nullptr; }

 protected:
  virtual Status do_validate(const Options&) const { return {}; }
  virtual Status do_start(const Options& options, Host& host) = 0;
  virtual void do_stop() {}
};

}  // namespace payhost::sdk
