// The bodies of WeChat Pay v3 requests, checked as the real API checks them, and WeChat's
// error codes. An error is an sdk::Error whose `code` is WeChat's (PARAM_ERROR,
// INVALID_REQUEST, ...) and whose `param` names the field ("amount.total").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "options.hpp"
#include "payhost/sdk/money.hpp"
#include "payhost/sdk/result.hpp"
#include "trade_store.hpp"

namespace payhost::sandbox_wechat {

inline constexpr std::size_t kMaxBodyBytes = 64 * 1024;

// WeChat's codes and the HTTP status each comes with.
inline constexpr const char* kParamError = "PARAM_ERROR";                 // 400
inline constexpr const char* kInvalidRequest = "INVALID_REQUEST";         // 400
inline constexpr const char* kOrderPaid = "ORDERPAID";                    // 400
inline constexpr const char* kOrderClosed = "ORDER_CLOSED";               // 400
inline constexpr const char* kSignError = "SIGN_ERROR";                   // 401
inline constexpr const char* kOrderNotExist = "ORDER_NOT_EXIST";          // 404
inline constexpr const char* kResourceNotExists = "RESOURCE_NOT_EXISTS";  // 404
inline constexpr const char* kSystemError = "SYSTEM_ERROR";               // 500

sdk::Error wechat_error(const char* code, std::string message, std::string field = {});
int status_of(const sdk::Error& error);

enum class PrepayKind { app, h5, jsapi, native };

const char* trade_type_of(PrepayKind kind);  // APP, MWEB, JSAPI, NATIVE

struct PrepayOrder {
  PrepayKind kind = PrepayKind::app;
  std::string appid;
  std::string mchid;
  std::string description;
  std::string out_trade_no;
  std::string notify_url;
  std::string attach;
  std::string time_expire;
  std::int64_t expires_at = 0;
  sdk::Fen amount = 0;
  std::string payer_openid;     // jsapi
  std::string payer_client_ip;  // h5
  std::string h5_type;          // h5
};

// appid among `options.app_ids`; mchid ours and the Authorization's; description 1-127
// bytes; out_trade_no 6-32 of [A-Za-z0-9_|*-]; notify_url an absolute http(s) URL without
// query or fragment (WeChat requires https; the sandbox also takes http because payhost
// itself listens on http in test mode); amount.total an integer 1..10^10 and currency
// "CNY" when given; time_expire RFC 3339 when given; attach ≤ 128 bytes; payer.openid for
// jsapi; scene_info.payer_client_ip (an IP address) and scene_info.h5_info.type
// (Wap, iOS, Android) for h5. Fields WeChat knows but the sandbox has no use for
// (goods_tag, detail, settle_info, ...) are accepted and ignored.
sdk::Result<PrepayOrder> parse_prepay(PrepayKind kind, std::string_view body,
                                      const SimOptions& options, const std::string& auth_mchid);

bool valid_out_trade_no(std::string_view text);   // 6-32 of [A-Za-z0-9_|*-]
bool valid_out_refund_no(std::string_view text);  // 1-64 of [A-Za-z0-9_|*@-]

struct RefundRequest {
  TradeKey key;
  std::string out_refund_no;
  std::string reason;
  std::string notify_url;
  sdk::Fen refund = 0;
  sdk::Fen total = 0;
};

// out_trade_no or transaction_id (one at least), out_refund_no, reason ≤ 80 bytes,
// notify_url as above when given, amount{refund, total integers > 0, currency "CNY"}.
sdk::Result<RefundRequest> parse_refund(std::string_view body);

}  // namespace payhost::sandbox_wechat
