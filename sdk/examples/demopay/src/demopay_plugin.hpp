// The DemoPay channel plugin: a complete channel for a made-up provider, written the way a
// third party writes one for a real provider. Start here (README.md says how).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <payhost/sdk/sdk.hpp>

namespace demopay {

namespace sdk = payhost::sdk;

class DemoPayPlugin final : public sdk::ChannelPlugin {
 public:
  std::vector<sdk::OptionSpec> option_specs() const override;
  std::vector<sdk::ChannelSpec> channel_specs() const override;
  sdk::Capabilities capabilities() const override;
  std::string merchant_app_id() const override { return merchant_id_; }

 protected:
  sdk::Status do_validate(const sdk::Options& options) const override;
  sdk::Status do_start(const sdk::Options& options, sdk::Host& host) override;
  sdk::Result<sdk::CreateResult> do_create(const sdk::CreateRequest& request) override;
  sdk::Result<sdk::TradeStatus> do_verify_notification(const sdk::HttpRequest& request) override;
  sdk::HttpResponse do_notification_reply(bool accepted) const override;
  sdk::Result<sdk::TradeStatus> do_query(const sdk::TradeRef& trade) override;
  sdk::Result<sdk::TradeStatus> do_close(const sdk::TradeRef& trade) override;
  sdk::Result<sdk::RefundResult> do_refund(const sdk::RefundRequest& request) override;
  sdk::Result<sdk::RefundResult> do_query_refund(const sdk::RefundRequest& request) override;

 private:
  struct Answer {
    int status = 0;
    sdk::Json body;
  };
  // Signs and sends one API call and verifies the answer's signature. No answer, a 5xx, a
  // 429 or an answer that does not verify is `unavailable`: the outcome is unknown.
  sdk::Result<Answer> call(const std::string& method, const std::string& path,
                           const sdk::Json& body);
  sdk::Error refused(const std::string& what, const Answer& answer) const;
  sdk::Result<sdk::TradeStatus> trade_status(const sdk::TradeRef& trade, const Answer& answer);
  sdk::Result<sdk::RefundResult> refund_result(const sdk::RefundRequest& request,
                                               const Answer& answer);

  sdk::Host* host_ = nullptr;
  std::string merchant_id_;
  std::string api_secret_;
  std::string api_base_;
  std::chrono::milliseconds timeout_{10000};
};

}  // namespace demopay
