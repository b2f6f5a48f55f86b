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

// biz_content is signed as the exact string sent, so it is produced once, as text: a JSON
// object of string members in the order added. Invalid UTF-8 in a subject is replaced
// (sdk::append_json_string) rather than thrown on: the request must still be built.
class BizContent {
 public:
  void add(std::string_view name, std::string_view value) {
    text_ += text_.empty() ? "{\"" : ",\"";
    text_ += name;  // our own literals: nothing to escape
    text_ += "\":";
    sdk::append_json_string(text_, value);
  }
  std::string text() && {
    text_ += text_.empty() ? "{}" : "}";
    return std::move(text_);
  }

 private:
  std::string text_;
};

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

std::string pay_biz_content(const sdk::CreateRequest& request, const ChannelInfo& info,
                            std::string_view quit_url) {
  BizContent biz;
  biz.add("out_trade_no", request.order_no);
  biz.add("total_amount", sdk::format_yuan(request.amount));
  biz.add("subject", request.subject);
  if (!request.body.empty()) biz.add("body", request.body);
  if (!info.product_code.empty()) biz.add("product_code", info.product_code);
  // Alipay closes the trade at time_expire, so it can never be paid after payhost has
  // given up on the charge.
  if (request.time_expire > 0) biz.add("time_expire", format_beijing(request.time_expire));
  if (info.channel == Channel::wap && !quit_url.empty()) biz.add("quit_url", quit_url);
  return std::move(biz).text();
}

std::string query_biz_content(std::string_view order_no) {
  BizContent biz;
  biz.add("out_trade_no", order_no);
  return std::move(biz).text();
}

std::string close_biz_content(std::string_view order_no) {
  return query_biz_content(order_no);  // alipay.trade.close names the trade the same way
}

std::string refund_biz_content(const sdk::RefundRequest& request) {
  BizContent biz;
  biz.add("out_trade_no", request.trade.order_no);
  biz.add("refund_amount", sdk::format_yuan(request.amount));
  // Alipay dedupes on out_request_no: the same refund_no on a retry can never refund twice.
  biz.add("out_request_no", request.refund_no);
  if (!request.reason.empty()) biz.add("refund_reason", request.reason);
  return std::move(biz).text();
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
