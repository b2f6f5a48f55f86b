#include "credential_check.hpp"

#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/json.hpp"

namespace payhost::sandbox_wechat {
namespace {

using sdk::Json;

sdk::Error refused(std::string message) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, "bad_credential", std::move(message),
                         "credential");
}

// A credential string member; plain text without controls, so no member can carry a
// newline into the signed message and shift its lines.
sdk::Result<std::string> text_member(const Json& credential, const char* name) {
  const auto it = credential.find(name);
  if (it == credential.end() || !it->is_string()) {
    return refused(std::string("credential.") + name + " is missing or not a string");
  }
  std::string value = it->get<std::string>();
  if (value.empty() || value.size() > 1024) {
    return refused(std::string("credential.") + name + " is empty or too long");
  }
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return refused(std::string("credential.") + name + " holds a control character");
    }
  }
  return value;
}

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 12) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The APP timeStamp is a JSON number in Ping++'s credential; its text is what was signed.
sdk::Result<std::string> app_timestamp(const Json& credential) {
  const auto it = credential.find("timeStamp");
  if (it != credential.end() && it->is_number_unsigned())
    return std::to_string(it->get<std::uint64_t>());
  if (it != credential.end() && it->is_number_integer() && it->get<std::int64_t>() >= 0) {
    return std::to_string(it->get<std::int64_t>());
  }
  auto text = text_member(credential, "timeStamp");
  if (!text.ok() || !all_digits(text.value())) {
    return refused("credential.timeStamp must be Unix seconds");
  }
  return text;
}

sdk::Status expect_equal(const std::string& got, const std::string& want, const char* name) {
  if (got != want)
    return refused(std::string("credential.") + name + " " + got + " is not the trade's " + want);
  return {};
}

sdk::Status check_app(const Json& c, const Trade& trade, const RsaKey& key) {
  if (!c.is_object()) return refused("the wx credential must be an object");
  auto app_id = text_member(c, "appId");
  auto partner_id = text_member(c, "partnerId");
  auto prepay_id = text_member(c, "prepayId");
  auto nonce = text_member(c, "nonceStr");
  auto package = text_member(c, "packageValue");
  auto sign = text_member(c, "sign");
  for (const auto* r : {&app_id, &partner_id, &prepay_id, &nonce, &package, &sign}) {
    if (!r->ok()) return r->error();
  }
  auto timestamp = app_timestamp(c);
  if (!timestamp.ok()) return timestamp.error();
  if (auto s = expect_equal(*app_id, trade.appid, "appId"); !s.ok()) return s;
  if (auto s = expect_equal(*partner_id, trade.mchid, "partnerId"); !s.ok()) return s;
  if (auto s = expect_equal(*prepay_id, trade.prepay_id, "prepayId"); !s.ok()) return s;
  if (*package != "Sign=WXPay") return refused("credential.packageValue must be Sign=WXPay");
  const std::string message =
      *app_id + "\n" + *timestamp + "\n" + *nonce + "\n" + *prepay_id + "\n";
  if (!rsa_verify_base64(key, message, *sign)) {
    return refused(
        "credential.sign does not verify with the merchant key over "
        "appid\\ntimestamp\\nnoncestr\\nprepayid\\n");
  }
  return {};
}

sdk::Status check_jsapi(const Json& c, const Trade& trade, const RsaKey& key) {
  if (!c.is_object()) return refused("the JSAPI credential must be an object");
  auto app_id = text_member(c, "appId");
  auto timestamp = text_member(c, "timeStamp");
  auto nonce = text_member(c, "nonceStr");
  auto package = text_member(c, "package");
  auto sign_type = text_member(c, "signType");
  auto pay_sign = text_member(c, "paySign");
  for (const auto* r : {&app_id, &timestamp, &nonce, &package, &sign_type, &pay_sign}) {
    if (!r->ok()) return r->error();
  }
  if (!all_digits(*timestamp))
    return refused("credential.timeStamp must be Unix seconds as digits");
  if (auto s = expect_equal(*app_id, trade.appid, "appId"); !s.ok()) return s;
  if (auto s = expect_equal(*package, "prepay_id=" + trade.prepay_id, "package"); !s.ok()) return s;
  if (*sign_type != "RSA") return refused("credential.signType must be RSA");
  const std::string message = *app_id + "\n" + *timestamp + "\n" + *nonce + "\n" + *package + "\n";
  if (!rsa_verify_base64(key, message, *pay_sign)) {
    return refused(
        "credential.paySign does not verify with the merchant key over "
        "appId\\ntimeStamp\\nnonceStr\\npackage\\n");
  }
  return {};
}

bool absolute_http_url(std::string_view url) {
  std::string_view rest;
  if (url.substr(0, 8) == "https://") {
    rest = url.substr(8);
  } else if (url.substr(0, 7) == "http://") {
    rest = url.substr(7);
  } else {
    return false;
  }
  if (rest.empty() || rest.front() == '/' || rest.front() == '?' || rest.front() == '#') {
    return false;
  }
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\') return false;
  }
  return url.size() <= 2048;
}

sdk::Result<CheckedCredential> check_h5(const Json& c, const Trade& trade) {
  if (!c.is_string()) return refused("the wx_wap credential must be the h5_url string");
  const std::string url = c.get<std::string>();
  if (url.compare(0, trade.h5_url.size(), trade.h5_url) != 0) {
    return refused("the wx_wap credential does not start with the trade's h5_url " + trade.h5_url);
  }
  const std::string_view rest = std::string_view(url).substr(trade.h5_url.size());
  CheckedCredential out;
  if (rest.empty()) return out;
  constexpr std::string_view kRedirect = "&redirect_url=";
  if (rest.substr(0, kRedirect.size()) != kRedirect) {
    return refused("after the h5_url only &redirect_url=<URL-encoded URL> may follow");
  }
  const std::string_view encoded = rest.substr(kRedirect.size());
  const auto decoded = sdk::url_decode(encoded, false);
  if (encoded.find('&') != std::string_view::npos || !decoded || !absolute_http_url(*decoded)) {
    return refused("redirect_url must be one URL-encoded absolute http(s) URL");
  }
  out.return_url = *decoded;
  return out;
}

}  // namespace

const char* trade_type_for_channel(std::string_view channel) {
  if (channel == "wx") return kApp;
  if (channel == "wx_wap") return kMweb;
  if (channel == "wx_pub" || channel == "wx_lite") return kJsapi;
  if (channel == "wx_pub_qr") return kNative;
  return nullptr;
}

sdk::Result<CheckedCredential> check_credential(const sdk::Charge& charge, const Trade& trade,
                                                const RsaKey& merchant_public_key) {
  const char* trade_type = trade_type_for_channel(charge.channel);
  if (trade_type == nullptr) return refused("channel " + charge.channel + " is not WeChat Pay's");
  if (trade.trade_type != trade_type) {
    return refused("the trade for order " + trade.out_trade_no + " is " + trade.trade_type +
                   ", not the " + trade_type + " trade a " + charge.channel + " charge needs");
  }
  if (trade.amount != charge.amount) {
    return refused("the trade's amount.total " + std::to_string(trade.amount) +
                   " differs from the charge's amount " + std::to_string(charge.amount));
  }
  const Json& c = charge.credential;
  if (charge.channel == "wx") {
    if (auto s = check_app(c, trade, merchant_public_key); !s.ok()) return s.error();
    return CheckedCredential{};
  }
  if (charge.channel == "wx_pub" || charge.channel == "wx_lite") {
    if (auto s = check_jsapi(c, trade, merchant_public_key); !s.ok()) return s.error();
    return CheckedCredential{};
  }
  if (charge.channel == "wx_wap") return check_h5(c, trade);
  if (!c.is_string() || c.get<std::string>() != trade.code_url) {
    return refused("the wx_pub_qr credential is not the trade's code_url " + trade.code_url);
  }
  return CheckedCredential{};
}

}  // namespace payhost::sandbox_wechat
