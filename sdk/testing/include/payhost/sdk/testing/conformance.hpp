// The channel conformance suite: the checks every channel plugin must pass before payhost
// can trust it with money, run on the kit's FakeHost against the plugin's provider double.
// Link payhost::sdk_conformance and GTest::gtest_main, then, at namespace scope:
//
//   PAYHOST_CHANNEL_CONFORMANCE(MyPay, payhost::sdk::testing::ChannelUnderTest{
//       .make_plugin = [] { return std::make_unique<mypay::Plugin>(); },
//       .make_provider = [] { return std::make_unique<mypay::testing::ProviderDouble>(); },
//       .options = {{"app_id", "mp_1"}, {"api_secret", "s3cret-for-tests"}},
//       .secrets = {"api_secret"}});
//
// It registers ChannelConformance/MyPay.* : every declared channel creates a credential
// that serialises; declared capabilities work and undeclared ones refuse without a call;
// the option table refuses unknown keys, names a missing required key and marks secrets,
// and no secret reaches a log line; a valid notification is accepted and reports what it
// says, and forged, tampered, foreign, unknown-order, replayed, malformed, huge and deeply
// nested ones are refused (or reported as they are, for the host to refuse) without a
// throw; provider timeouts, resets, 5xx and cut-off answers are `unknown`, never `failed`;
// the replies are the provider's; sixteen threads can create at once.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "payhost/sdk/channel.hpp"
#include "payhost/sdk/testing/fake_host.hpp"

namespace payhost::sdk::testing {

// What a provider's payment notification says about one trade.
struct PaidTrade {
  std::string channel;
  std::string order_no;
  std::string transaction_no;
  Fen amount = 0;
  std::string app_id;  // the merchant app the provider addresses it to
  std::int64_t time_paid = 0;
};

// The provider's side of the wire, written by the plugin's author: it answers what the plugin
// sends and signs what the provider posts. Sign with code of its own (a few lines of the
// SDK's crypto), never the plugin's, so that it checks the plugin instead of agreeing with it.
class ProviderDouble {
 public:
  virtual ~ProviderDouble() = default;
  // Runs before the plugin starts: the keys, clock and URLs the plugin is configured with.
  virtual void prepare(FakeHost& host) { (void)host; }
  // The provider's successful answer to a request the plugin sends about a trade nobody has
  // paid yet: a trade created, a query saying it waits for payment, a close done, a refund
  // accepted or done, a refund query saying the same. Called from many threads at once only
  // one at a time.
  virtual OutboundResponse answer(const OutboundRequest& request) = 0;
  // The payment notification the provider posts for `trade`, signed as the provider signs.
  virtual HttpRequest notification(const PaidTrade& trade) = 0;
  // The same notification signed with a key that is not the provider's.
  virtual HttpRequest forged_notification(const PaidTrade& trade) = 0;
  // The notification for `trade` with its amount changed to `amount` after it was signed.
  virtual HttpRequest tampered_notification(const PaidTrade& trade, Fen amount) = 0;
  // What the provider expects back: the acknowledgement, or the refusal that makes it retry.
  virtual HttpResponse expected_reply(bool accepted) = 0;
};

struct ChannelUnderTest {
  std::function<std::unique_ptr<ChannelPlugin>()> make_plugin;
  std::function<std::unique_ptr<ProviderDouble>()> make_provider;
  // A working configuration with every secret given; defaults are filled in from the table.
  Json options = Json::object();
  // The options that hold secrets; each must be marked secret, and no value of a secret
  // option may reach a log line.
  std::vector<std::string> secrets;
  // charge.extra for each channel that needs one (its required_extra and what they mean).
  std::map<std::string, Json> extra;
  // The name payhostd loads the plugin by (notify URLs end in it); empty: the suite's name
  // in lower case.
  std::string plugin_name;
};

// Registers ChannelConformance/<name>.<check> with GoogleTest; use the macro below, or call
// it before RUN_ALL_TESTS. Returns true so the macro can keep it in a static.
bool register_channel_conformance(const std::string& name, ChannelUnderTest subject);

}  // namespace payhost::sdk::testing

#define PAYHOST_CHANNEL_CONFORMANCE(name, ...)                            \
  [[maybe_unused]] static const bool payhost_channel_conformance_##name = \
      ::payhost::sdk::testing::register_channel_conformance(#name, __VA_ARGS__)
