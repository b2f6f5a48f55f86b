// What WeChat (its servers, the WeChat app, the JSAPI bridge) checks in a charge's
// credential before the buyer can pay: the client parameters must name the stored trade
// and carry the merchant's signature; the H5 and Native strings must be the ones the
// prepay answered.
#pragma once

#include <string>
#include <string_view>

#include "payhost/sdk/charge.hpp"
#include "payhost/sdk/result.hpp"
#include "rsa_sha256.hpp"
#include "trade_store.hpp"

namespace payhost::sandbox_wechat {

// The trade_type a channel's trade must have: wx APP, wx_wap MWEB, wx_pub and wx_lite
// JSAPI, wx_pub_qr NATIVE; nullptr for any other channel.
const char* trade_type_for_channel(std::string_view channel);

struct CheckedCredential {
  std::string return_url;  // wx_wap: the redirect_url it carried (absolute http(s)), or ""
};

// - wx: {appId, partnerId, prepayId, nonceStr, timeStamp (number or digits), packageValue
//   "Sign=WXPay", sign}; ids equal to the trade's, sign verifying with the merchant public
//   key over appid\ntimestamp\nnoncestr\nprepayid\n;
// - wx_pub, wx_lite: {appId, timeStamp (digits), nonceStr, package "prepay_id=<id>",
//   signType "RSA", paySign} with paySign over appId\ntimeStamp\nnonceStr\npackage\n;
// - wx_wap: the trade's h5_url, optionally followed by "&redirect_url=" + one URL-encoded
//   absolute http(s) URL;
// - wx_pub_qr: exactly the trade's code_url.
// The charge's amount must equal the trade's. Errors are invalid_request and say what is
// wrong.
sdk::Result<CheckedCredential> check_credential(const sdk::Charge& charge, const Trade& trade,
                                                const RsaKey& merchant_public_key);

}  // namespace payhost::sandbox_wechat
