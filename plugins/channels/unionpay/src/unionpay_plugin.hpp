// The UnionPay channel plugin: online payments over ACP 5.1.0 (signMethod 01, RSA with
// certificates) for Apple Pay and the UnionPay control in apps (applepay_upacp, upacp) and
// for mobile and PC browsers (upacp_wap, upacp_pc).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "messages.hpp"
#include "options.hpp"
#include "payhost/sdk/channel.hpp"
#include "payhost/sdk/host.hpp"

namespace payhost::unionpay {

class UnionpayPlugin final : public sdk::ChannelPlugin {
 public:
  std::vector<sdk::OptionSpec> option_specs() const override;
  std::vector<sdk::ChannelSpec> channel_specs() const override;
  // No close: UnionPay has no call to close an unpaid consume; it lapses at payTimeout.
  sdk::Capabilities capabilities() const override;
  // The plugin checks merId itself, so the host has no app id to compare.
  std::string merchant_app_id() const override;

 protected:
  sdk::Status do_validate(const sdk::Options& options) const override;
  sdk::Status do_start(const sdk::Options& options, sdk::Host& host) override;
  sdk::Result<sdk::CreateResult> do_create(const sdk::CreateRequest& request) override;
  sdk::Result<sdk::TradeStatus> do_verify_notification(const sdk::HttpRequest& request) override;
  sdk::HttpResponse do_notification_reply(bool accepted) const override;
  sdk::Result<sdk::TradeStatus> do_query(const sdk::TradeRef& trade) override;
  sdk::Result<sdk::RefundResult> do_refund(const sdk::RefundRequest& request) override;
  sdk::Result<sdk::RefundResult> do_query_refund(const sdk::RefundRequest& request) override;

 private:
  // The keys and certificates; in test mode loaded on first use when the simulator wrote
  // them after this plugin started (once, under a lock).
  sdk::Result<std::shared_ptr<const Material>> material() const;
  std::string gateway_base() const;
  std::string back_url(const std::string& request_notify_url) const;
  // Signs and posts one request and returns the answer's fields once its signer
  // certificate and signature check out. Transport failures, non-200 answers and answers
  // that cannot be parsed or verified are `unavailable` errors (outcome unknown).
  sdk::Result<Fields> call(std::string_view path, Fields fields, std::string_view what) const;
  // The signer certificate and signature of a parsed message.
  sdk::Status verify(const Fields& fields, const Material& material) const;

  sdk::Host* host_ = nullptr;
  std::optional<Settings> settings_;
  mutable std::mutex material_mutex_;
  mutable std::shared_ptr<const Material> material_;
};

}  // namespace payhost::unionpay
