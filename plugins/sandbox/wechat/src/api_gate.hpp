// The door every WeChat Pay v3 request passes: its Authorization is checked against the
// merchant key, and every answer (errors and 204 included) leaves signed with the platform
// key, as the real API does.
#pragma once

#include <string>

#include "authorization.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/result.hpp"
#include "wechat_sim.hpp"

namespace payhost::sandbox_wechat {

// A body of at most 64 KiB (else PARAM_ERROR); exactly one Authorization header, well formed; mchid
// ours; serial_no the merchant certificate serial; |timestamp - host clock| <
// timestamp_window_seconds; the signature verifying over the actual method, raw path and query,
// timestamp, nonce and exact body. Authentication errors carry code SIGN_ERROR.
sdk::Result<Authorization> authenticate(const WechatSim& sim, const sdk::HttpRequest& request);

// `body` sent as is (empty for 204), with Content-Type application/json when non-empty,
// Wechatpay-Timestamp/-Nonce/-Signature/-Serial over exactly those bytes, and Request-ID.
sdk::HttpResponse signed_answer(const WechatSim& sim, int status, std::string body);

// {"code":…,"message":…} (+ "detail":{"field":"/amount/total"} for PARAM_ERROR), signed, with
// the status WeChat gives that code.
sdk::HttpResponse error_answer(const WechatSim& sim, const sdk::Error& error);

// A storage failure: logged, answered 500 SYSTEM_ERROR (the outcome is unknown to the
// caller, who should query).
sdk::HttpResponse system_error_answer(const WechatSim& sim, const sdk::Error& error);

// A path segment decoded once (percent escapes; '+' stays '+'), or nullopt if malformed.
std::optional<std::string> path_segment(const sdk::HttpRequest& request, const char* name);

}  // namespace payhost::sandbox_wechat
