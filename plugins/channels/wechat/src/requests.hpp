// Pure builders for the WeChat Pay v3 calls this plugin makes: the channel table, the checks
// on a charge before it is sent, request bodies and paths, and each channel's credential.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "payhost/sdk/channel.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::wechat {

enum class Channel { app, h5, pub, native, lite };

// Which configured app id a channel's trades are made for.
enum class AppKind { app, pub, lite };

struct ChannelInfo {
  Channel channel;
  std::string_view name;         // payhost/Ping++ channel name
  std::string_view prepay_path;  // e.g. /v3/pay/transactions/app
  std::string_view trade_type;   // APP, MWEB, JSAPI, NATIVE
  AppKind app_kind;
};

std::optional<ChannelInfo> channel_info(std::string_view channel_name);
std::vector<sdk::ChannelSpec> channel_specs();

inline constexpr std::int64_t kDefaultExpirySeconds = 7200;  // Ping++'s for WeChat
inline constexpr std::size_t kMaxDescriptionBytes = 127;
inline constexpr std::string_view kRefundPath = "/v3/refund/domestic/refunds";

// out_trade_no / out_refund_no alphabets and lengths WeChat Pay accepts.
bool is_valid_out_trade_no(std::string_view s);   // 6-32 of [A-Za-z0-9_|*-]
bool is_valid_out_refund_no(std::string_view s);  // 1-64 of [A-Za-z0-9_|*@-]

// The checks WeChat would make, made before anything is sent: amount, currency, subject
// (description) length, order_no, client_ip (wx_wap) and the channel's extras. Errors are
// invalid_request naming the param ("subject", "order_no", "extra.open_id", ...).
sdk::Status check_create(const sdk::CreateRequest& request, const ChannelInfo& info);

// The prepay body, fields in WeChat's documented order. `request` passed check_create.
std::string prepay_body(const sdk::CreateRequest& request, const ChannelInfo& info,
                        std::string_view app_id, std::string_view mchid,
                        std::string_view notify_url);

// Paths below the API base, segments percent-encoded.
std::string query_path(std::string_view order_no, std::string_view mchid);
std::string close_path(std::string_view order_no);
std::string close_body(std::string_view mchid);
std::string refund_query_path(std::string_view refund_no);

// Refund checks (amount within the trade, refund_no, reason of at most 80 bytes) and body.
sdk::Status check_refund(const sdk::RefundRequest& request);
std::string refund_body(const sdk::RefundRequest& request);

// wx: {appId, partnerId, prepayId, nonceStr, timeStamp (number), packageValue, sign}.
sdk::Result<sdk::Json> app_credential(const sdk::crypto::PrivateKey& key, std::string_view app_id,
                                      std::string_view mchid, std::string_view prepay_id,
                                      std::int64_t timestamp, std::string_view nonce);
// wx_pub / wx_lite: {appId, timeStamp (string), nonceStr, package, signType, paySign}.
sdk::Result<sdk::Json> jsapi_credential(const sdk::crypto::PrivateKey& key, std::string_view app_id,
                                        std::string_view prepay_id, std::int64_t timestamp,
                                        std::string_view nonce);
// wx_wap: the h5_url, with "&redirect_url=" + url_encode(result_url) when one was given.
std::string wap_credential(std::string_view h5_url, std::string_view result_url);

}  // namespace payhost::wechat
