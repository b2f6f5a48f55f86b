// The Alipay channel plugin: app, wap, page (pc_direct) and QR payments over Alipay's
// OpenAPI with RSA2 keys.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "options.hpp"
#include "payhost/sdk/channel.hpp"
#include "payhost/sdk/host.hpp"
#include "requests.hpp"
#include "signing.hpp"

namespace payhost::alipay {

class AlipayPlugin final : public sdk::ChannelPlugin {
 public:
  std::vector<sdk::OptionSpec> option_specs() const override;
  std::vector<sdk::ChannelSpec> channel_specs() const override;
  sdk::Capabilities capabilities() const override;
  std::string merchant_app_id() const override;

 protected:
  sdk::Status do_start(const sdk::Options& options, sdk::Host& host) override;
  sdk::Result<sdk::CreateResult> do_create(const sdk::CreateRequest& request) override;
  sdk::Result<sdk::TradeStatus> do_verify_notification(const sdk::HttpRequest& request) override;
  sdk::HttpResponse do_notification_reply(bool accepted) const override;
  sdk::Result<sdk::TradeStatus> do_query(const sdk::TradeRef& trade) override;
  sdk::Result<sdk::TradeStatus> do_close(const sdk::TradeRef& trade) override;
  sdk::Result<sdk::RefundResult> do_refund(const sdk::RefundRequest& request) override;

 private:
  // A verified business answer of one gateway call.
  struct Answer {
    sdk::Json node;
    std::string code;
    std::string sub_code;
    std::string sub_msg;
    bool success() const { return code == "10000"; }
    std::string field(const char* name) const;
  };

  std::string gateway_url() const;
  std::string notify_url(const std::string& from_request) const;
  std::string timestamp() const;
  sdk::Result<Params> signed_params(std::string_view method, std::string biz_content,
                                    const std::string& notify, const std::string& return_to) const;
  // Signs, POSTs and verifies one server-to-server call.
  sdk::Result<Answer> call(std::string_view method, std::string biz_content,
                           const std::string& notify = {}) const;
  sdk::Error business_error(std::string_view method, const Answer& answer) const;
  sdk::Result<sdk::TradeStatus> trade_status_from_query(const sdk::TradeRef& trade,
                                                        const Answer& answer) const;

  sdk::Host* host_ = nullptr;
  std::optional<Settings> settings_;
};

// trade_status -> Outcome, shared by notifications and queries.
sdk::Outcome outcome_from_trade_status(std::string_view trade_status);

}  // namespace payhost::alipay
