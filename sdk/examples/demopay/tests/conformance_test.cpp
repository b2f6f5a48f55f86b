// DemoPay against the SDK's channel conformance suite, with its simulator as the provider.
#include <payhost/sdk/testing/conformance.hpp>

#include "demopay_plugin.hpp"
#include "demopay_simulator.hpp"

namespace demopay {
namespace {

payhost::sdk::testing::ChannelUnderTest demopay() {
  return {.make_plugin = [] { return std::make_unique<DemoPayPlugin>(); },
          .make_provider = [] { return std::make_unique<testing::DemoPaySimulator>(); },
          .options = {{"merchant_id", testing::kMerchantId}, {"api_secret", testing::kSecret}},
          .secrets = {"api_secret"},
          .extra = {},
          .plugin_name = "demopay"};
}

PAYHOST_CHANNEL_CONFORMANCE(DemoPay, demopay());

}  // namespace
}  // namespace demopay
