// One conformance check's world: the kit's host, the provider double answering the plugin's
// requests, and the plugin started with the subject's options.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "payhost/sdk/testing/conformance.hpp"

namespace payhost::sdk::testing::conformance {

class Session {
 public:
  Session(const ChannelUnderTest& subject, const std::string& suite_name);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Validates the options with the table and starts the plugin; a GoogleTest failure (and
  // false) if it cannot.
  bool start();

  ChannelPlugin& plugin() { return *plugin_; }
  ProviderDouble& provider() { return *provider_; }
  const ChannelUnderTest& subject() const { return subject_; }
  const std::vector<ChannelSpec>& channels() const { return channels_; }
  const Options& options() const { return options_; }

  // A charge request for `channel` with a fresh charge id and order number.
  CreateRequest request_for(const ChannelSpec& channel);
  // What the provider would notify once the buyer paid `request`.
  PaidTrade paid(const CreateRequest& request) const;
  TradeRef trade_of(const CreateRequest& request) const;
  // A full refund of `request`'s charge once paid, its number in the host's form.
  RefundRequest full_refund_of(const CreateRequest& request) const;
  // Creates a charge for `channel`; a GoogleTest failure if the plugin refuses it.
  bool create(const ChannelSpec& channel, CreateRequest& request);
  // Whether creating a charge for `channel` asks the provider anything.
  bool create_calls_provider(const ChannelSpec& channel);

  FakeHost host;

 private:
  const ChannelUnderTest& subject_;
  std::string plugin_name_;
  std::unique_ptr<ProviderDouble> provider_;
  std::mutex provider_mutex_;
  std::unique_ptr<ChannelPlugin> plugin_;
  std::vector<ChannelSpec> channels_;
  Options options_;
  bool started_ = false;
  std::atomic<int> next_{0};
};

using Check = void (*)(Session&);

struct NamedCheck {
  const char* name;
  Check run;
};

// The checks, by file: channel_checks.cpp, notification_checks.cpp, option_checks.cpp.
std::vector<NamedCheck> channel_checks();
std::vector<NamedCheck> notification_checks();
std::vector<NamedCheck> option_checks();

// A refusal a plugin reports rather than throws: not the exception barrier's `internal`.
bool refused_cleanly(const Error& error);

}  // namespace payhost::sdk::testing::conformance
