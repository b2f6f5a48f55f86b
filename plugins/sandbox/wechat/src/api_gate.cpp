#include "api_gate.hpp"

#include <strings.h>

#include "api_requests.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/json.hpp"

namespace payhost::sandbox_wechat {
namespace {

sdk::Error sign_error(std::string message) {
  return wechat_error(kSignError, std::move(message));
}

// "amount.total" -> "/amount/total", the JSON-pointer style WeChat's detail.field uses.
std::string pointer_of(const std::string& field) {
  std::string out = "/";
  for (char c : field)
    out += c == '.' ? '/' : c;
  return out;
}

}  // namespace

sdk::Result<Authorization> authenticate(const WechatSim& sim, const sdk::HttpRequest& request) {
  // Refused before any hashing: no WeChat request body comes near this.
  if (request.body.size() > kMaxBodyBytes) {
    return wechat_error(kParamError,
                        "body: larger than " + std::to_string(kMaxBodyBytes) + " bytes", "body");
  }
  int count = 0;
  std::string header;
  for (const auto& [name, value] : request.headers.all()) {
    if (name.size() == 13 && strncasecmp(name.c_str(), "Authorization", 13) == 0) {
      ++count;
      header = value;
    }
  }
  if (count == 0) return sign_error("Authorization header is missing");
  if (count > 1) return sign_error("more than one Authorization header");
  auto auth = parse_authorization(header);
  if (!auth.ok()) return auth.error();
  if (auth->mchid != sim.options.mchid) {
    return sign_error("mchid " + auth->mchid + " is not a merchant this sandbox knows");
  }
  if (auth->serial_no != sim.merchant_serial) {
    return sign_error("serial_no " + auth->serial_no +
                      " is not the merchant API certificate serial of mchid " + auth->mchid);
  }
  const auto timestamp = parse_timestamp(auth->timestamp);
  if (!timestamp) return sign_error("timestamp must be decimal Unix seconds");
  const std::int64_t now = sim.host.clock().now();
  const std::int64_t skew = *timestamp > now ? *timestamp - now : now - *timestamp;
  if (skew >= sim.options.timestamp_window_seconds) {
    return sign_error("timestamp " + auth->timestamp + " is " + std::to_string(skew) +
                      " s away from the server clock (limit " +
                      std::to_string(sim.options.timestamp_window_seconds) + " s)");
  }
  const std::string message = request_message(request.method, signed_url(request), auth->timestamp,
                                              auth->nonce_str, request.body);
  if (!rsa_verify_base64(sim.merchant_public_key, message, auth->signature)) {
    // WeChat's own message shows no signing string; naming the parts checked helps a
    // developer find which one differs.
    return sign_error("signature does not verify over \"" + request.method + "\\n" +
                      signed_url(request) + "\\n" + auth->timestamp + "\\n" + auth->nonce_str +
                      "\\n<body of " + std::to_string(request.body.size()) + " bytes>\\n\"");
  }
  return auth;
}

sdk::HttpResponse signed_answer(const WechatSim& sim, int status, std::string body) {
  const auto headers = sim.signer->sign(body, sim.host.clock().now());
  if (!headers) {
    sim.host.logger().error("sandbox_wechat: signing an answer failed");
    return sdk::HttpResponse::text(500, "sandbox_wechat: signing the answer failed");
  }
  sdk::HttpResponse response;
  response.status = status;
  if (!body.empty()) response.headers.set("Content-Type", "application/json; charset=utf-8");
  headers->apply(response.headers);
  response.body = std::move(body);
  return response;
}

sdk::HttpResponse error_answer(const WechatSim& sim, const sdk::Error& error) {
  sdk::Json body = sdk::Json::object();
  body["code"] = error.code;
  body["message"] = error.message;
  if (error.code == kParamError && !error.param.empty()) {
    body["detail"] = sdk::Json{{"field", pointer_of(error.param)}};
  }
  return signed_answer(sim, status_of(error), sdk::json_dump(body));
}

sdk::HttpResponse system_error_answer(const WechatSim& sim, const sdk::Error& error) {
  sim.host.logger().error("sandbox_wechat: storage failed: " + error.message);
  return error_answer(sim, wechat_error(kSystemError, "系统错误 (storage failed; query later)"));
}

std::optional<std::string> path_segment(const sdk::HttpRequest& request, const char* name) {
  return sdk::url_decode(request.path_param(name), false);
}

}  // namespace payhost::sandbox_wechat
