// The WeChat Pay channel plugin: APP, H5, JSAPI (official account and mini program) and
// Native payments over WeChat Pay API v3.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "options.hpp"
#include "payhost/sdk/channel.hpp"
#include "payhost/sdk/host.hpp"
#include "requests.hpp"

namespace payhost::wechat {

class WechatPlugin final : public sdk::ChannelPlugin {
 public:
  std::vector<sdk::OptionSpec> option_specs() const override;
  std::vector<sdk::ChannelSpec> channel_specs() const override;
  sdk::Capabilities capabilities() const override;
  // WeChat's notifications name an app id per kind of payment; the plugin checks it itself
  // (against app_id, pub_app_id or lite_app_id), so the host has nothing to compare.
  std::string merchant_app_id() const override;

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
  // One API answer. `verified` says its signature headers checked out over its raw body;
  // nothing the plugin acts on is read from an answer that did not verify.
  struct Answer {
    int status = 0;
    bool verified = false;
    std::string unverified_reason;
    sdk::Json body;    // parsed JSON, or null when empty or not JSON
    std::string code;  // WeChat's error code of a non-2xx answer
    std::string message;
    bool success() const { return status >= 200 && status < 300; }
    // A verified error answer carrying `code`.
    bool verified_error(std::string_view wanted) const {
      return verified && !success() && code == wanted;
    }
  };

  std::string api_base() const;
  // Signs, sends and reads one API call; transport failures are `unavailable` errors.
  sdk::Result<Answer> call(std::string_view method, const std::string& path_and_query,
                           const std::string& body) const;
  // What an answer the caller could not use means: unavailable (outcome unknown) for
  // unverified successes, 5xx, 429 and anything unexpected; channel for WeChat's 4xx errors.
  sdk::Error answer_error(std::string_view what, const Answer& answer) const;
  const std::string& app_id_for(AppKind kind) const;
  sdk::Result<sdk::TradeStatus> status_from_query(const sdk::TradeRef& trade,
                                                  const Answer& answer) const;
  sdk::Result<sdk::RefundResult> refund_from_answer(std::string_view what,
                                                    const sdk::RefundRequest& request,
                                                    const Answer& answer) const;

  sdk::Host* host_ = nullptr;
  std::optional<Settings> settings_;
};

}  // namespace payhost::wechat
