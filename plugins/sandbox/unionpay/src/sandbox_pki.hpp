// The simulated UnionPay's certificates, created at the plugin's first start in
// <data_dir>/sandbox-unionpay/ and reused afterwards (and by other hosts sharing the data
// directory), as the unionpay channel expects them in test mode:
//   root.cer          self-signed CA "payhost sandbox UnionPay root"
//   middle.cer        CA "payhost sandbox UnionPay intermediate", issued by root
//   sign.cer          UnionPay's signing certificate, issued by middle, CN
//                     041@<15 digits>@中国银联股份有限公司@<8 digits>
//   merchant.pfx      PKCS#12 (password 000000, friendly name "payhost sandbox merchant"):
//                     the merchant's key and certificate (CN 041@Z<date>@<merId>:SIGN@00000001,
//                     issued by middle) plus middle and root
//   foreign.cer       issued by middle, another company in the CN       (tamper hooks)
//   expired.cer       issued by middle, UnionPay's CN, validity past    (tamper hooks)
//   outsider-root.cer + outsider.cer: UnionPay's CN under a root of its own (tamper hooks)
// Keys are the host's sandbox key pairs unionpay-root, -middle, -sign, -merchant,
// -foreign, -expired and -outsider (the outsider root and its certificate share one), so the
// host knows them and live mode refuses them; no key is written here except inside
// merchant.pfx, which is what a merchant receives from UnionPay.
#pragma once

#include <string>

#include "acp_signature.hpp"
#include "certificates.hpp"
#include "payhost/sdk/host.hpp"

namespace payhost::sandbox_unionpay {

inline constexpr const char* kPkiFolder = "sandbox-unionpay";
inline constexpr const char* kPfxPassword = "000000";
inline constexpr const char* kPfxFriendlyName = "payhost sandbox merchant";
inline constexpr const char* kUnionpayCompany = "中国银联股份有限公司";
inline constexpr const char* kRootCommonName = "payhost sandbox UnionPay root";
inline constexpr const char* kMiddleCommonName = "payhost sandbox UnionPay intermediate";

// A key and the certificate that vouches for it, as a notification carries it.
struct SigningIdentity {
  RsaKey key;
  std::string certificate_pem_crlf;  // what goes into signPubKeyCert
  std::string common_name;
};

struct SandboxPki {
  std::string directory;
  Certificate root;
  Certificate middle;
  SigningIdentity unionpay;  // signs every answer and notification
  SigningIdentity foreign;
  SigningIdentity expired;
  SigningIdentity outsider;
  Certificate merchant_certificate;
  RsaKey merchant_public_key;    // verifies what the merchant (the unionpay channel) signs
  std::string merchant_cert_id;  // its serial in decimal: the certId requests must carry
};

// Creates what is missing (each file once, race-safe), loads everything and checks that
// the certificates chain as described and hold the host's sandbox keys. `mer_id` goes into
// the merchant certificate's CN when it is created.
sdk::Result<SandboxPki> ensure_pki(sdk::Host& host, const std::string& mer_id);

}  // namespace payhost::sandbox_unionpay
