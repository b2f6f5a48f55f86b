#include "requests.hpp"

#include <array>

#include "beijing_time.hpp"
#include "payhost/sdk/money.hpp"

namespace payhost::alipay {
namespace {

constexpr std::array<ChannelInfo, 4> kChannels = {{
    {Channel::app, "alipay", "alipay.trade.app.pay", "QUICK_MSECURITY_PAY"},
    {Channel::wap, "alipay_wap", "alipay.trade.wap.pay", "QUICK_WAP_WAY"},
    {Channel::page, "alipay_pc_direct", "alipay.trade.page.pay", "FAST_INSTANT_TRADE_PAY"},
    {Channel::qr, "alipay_qr", "alipay.trade.precreate", ""},
}};

}  // namespace

std::optional<ChannelInfo> channel_info(std::string_view channel_name) {
  for (const auto& c : kChannels) {
    if (c.name == channel_name) return c;
  }
  return std::nullopt;
}

const ChannelInfo& channel_info(Channel channel) {
  for (const auto& c : kChannels) {
    if (c.channel == channel) return c;
  }
  return kChannels.front();
}

Params system_params(const SystemParams& p) {
  Params out = {
      {"app_id", p.app_id},  {"method", p.method},       {"format", "JSON"}, {"charset", "utf-8"},
      {"sign_type", "RSA2"}, {"timestamp", p.timestamp}, {"version", "1.0"},
  };
  if (!p.notify_url.empty()) out.emplace_back("notify_url", p.notify_url);
  if (!p.return_url.empty()) out.emplace_back("return_url", p.return_url);
  out.emplace_back("biz_content", p.biz_content);
  return out;
}

// biz_content is signed as the exact string sent, so it is produced once, here. Invalid
// UTF-8 in a subject is replaced (sdk::json_dump) rather than thrown on: the request must
// still be built.
std::string pay_biz_content(const sdk::CreateRequest& request, const ChannelInfo& info,
                            std::string_view quit_url) {
  sdk::Json biz = sdk::Json::object();
  biz["out_trade_no"] = request.order_no;
  biz["total_amount"] = sdk::format_yuan(request.amount);
  biz["subject"] = request.subject;
  if (!request.body.empty()) biz["body"] = request.body;
  if (!info.product_code.empty()) biz["product_code"] = std::string(info.product_code);
  // Alipay closes the trade at time_expire, so it can never be paid after payhost has
  // given up on the charge.
  if (request.time_expire > 0) biz["time_expire"] = format_beijing(request.time_expire);
  if (info.channel == Channel::wap && !quit_url.empty()) biz["quit_url"] = std::string(quit_url);
  return sdk::json_dump(biz);
}

std::string query_biz_content(std::string_view order_no) {
  return sdk::json_dump(sdk::Json{{"out_trade_no", std::string(order_no)}});
}

std::string close_biz_content(std::string_view order_no) {
  return sdk::json_dump(sdk::Json{{"out_trade_no", std::string(order_no)}});
}

std::string refund_biz_content(const sdk::RefundRequest& request) {
  sdk::Json biz = sdk::Json::object();
  biz["out_trade_no"] = request.trade.order_no;
  biz["refund_amount"] = sdk::format_yuan(request.amount);
  // Alipay dedupes on out_request_no: the same refund_no on a retry can never refund twice.
  biz["out_request_no"] = request.refund_no;
  if (!request.reason.empty()) biz["refund_reason"] = request.reason;
  return sdk::json_dump(biz);
}

sdk::Json app_credential(const Params& signed_params) {
  return sdk::Json{{"orderInfo", order_string(signed_params)}};
}

sdk::Json form_credential(const Params& signed_params, std::string_view gateway_url) {
  sdk::Json out = sdk::Json::object();
  for (const auto& [k, v] : signed_params)
    out[k] = v;
  out["channel_url"] = std::string(gateway_url);
  return out;
}

}  // namespace payhost::alipay
