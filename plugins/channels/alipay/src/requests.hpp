// Pure builders for the Alipay OpenAPI calls this plugin makes: the system parameters,
// each method's biz_content, and the credential each channel hands to the client.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "payhost/sdk/channel.hpp"
#include "payhost/sdk/json.hpp"
#include "signing.hpp"

namespace payhost::alipay {

enum class Channel { app, wap, page, qr };

struct ChannelInfo {
  Channel channel;
  std::string_view name;          // payhost/Ping++ channel name
  std::string_view method;        // Alipay OpenAPI method
  std::string_view product_code;  // biz_content product_code ("" where Alipay wants none)
};

std::optional<ChannelInfo> channel_info(std::string_view channel_name);
const ChannelInfo& channel_info(Channel channel);

inline constexpr std::string_view kQueryMethod = "alipay.trade.query";
inline constexpr std::string_view kCloseMethod = "alipay.trade.close";
inline constexpr std::string_view kRefundMethod = "alipay.trade.refund";

// The common request parameters, unsigned. Empty notify_url/return_url are left out.
struct SystemParams {
  std::string app_id;
  std::string method;
  std::string timestamp;  // Beijing time, see format_beijing
  std::string notify_url;
  std::string return_url;
  std::string biz_content;
};
Params system_params(const SystemParams& p);

// biz_content of app/wap/page pay and precreate. `quit_url` only applies to wap.
std::string pay_biz_content(const sdk::CreateRequest& request, const ChannelInfo& info,
                            std::string_view quit_url = {});
std::string query_biz_content(std::string_view order_no);
std::string close_biz_content(std::string_view order_no);
std::string refund_biz_content(const sdk::RefundRequest& request);

// alipay (app): {"orderInfo": "<signed, percent-encoded order string>"}.
sdk::Json app_credential(const Params& signed_params);
// alipay_wap / alipay_pc_direct: the signed fields unencoded (pingpp-js encodes them when it
// builds channel_url?k=v&...) plus "channel_url".
sdk::Json form_credential(const Params& signed_params, std::string_view gateway_url);

}  // namespace payhost::alipay
