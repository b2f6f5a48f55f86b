#include "sandbox_pki.hpp"

#include <functional>

#include "beijing_time.hpp"
#include "pki_files.hpp"
#include "random_ids.hpp"

namespace payhost::sandbox_unionpay {
namespace {

constexpr std::size_t kMaxFileBytes = 64 * 1024;
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kTenYears = 3653 * kDay;

sdk::Error pki_error(const std::string& directory, std::string message) {
  return sdk::make_error(sdk::ErrorKind::internal, "sandbox_certificates",
                         std::move(message) + " (the files in " + directory +
                             " do not fit the sandbox keys; delete that folder and start again "
                             "to create a new set)");
}

std::string unionpay_common_name(const char* company) {
  return "041@" + random_digits(15) + "@" + company + "@" + random_digits(8);
}

struct Keys {
  RsaKey root, middle, sign, merchant, foreign, expired, outsider;
};

sdk::Result<Keys> load_keys(sdk::Host& host) {
  Keys keys;
  const std::pair<const char*, RsaKey*> wanted[] = {
      {"unionpay-root", &keys.root},        {"unionpay-middle", &keys.middle},
      {"unionpay-sign", &keys.sign},        {"unionpay-merchant", &keys.merchant},
      {"unionpay-foreign", &keys.foreign},  {"unionpay-expired", &keys.expired},
      {"unionpay-outsider", &keys.outsider}};
  for (const auto& [name, slot] : wanted) {
    auto pair = host.sandbox_keypair(name);
    if (!pair.ok()) return pair.error();
    auto key = RsaKey::private_from_pem(pair->private_key);
    if (!key.ok()) {
      return sdk::make_error(sdk::ErrorKind::internal, "sandbox_bad_key",
                             std::string(name) + ": " + key.error().message);
    }
    *slot = std::move(key.value());
  }
  return keys;
}

class Folder {
 public:
  Folder(std::string directory, std::int64_t now) : directory_(std::move(directory)), now_(now) {}

  const std::string& directory() const { return directory_; }
  std::int64_t now() const { return now_; }

  // The certificate in `name`, created by `make` if the file does not exist yet; then
  // checked to hold `key`.
  sdk::Result<Certificate> certificate(const std::string& name, const RsaKey& key,
                                       const std::function<sdk::Result<Certificate>()>& make) {
    auto pem = file(name, [&]() -> sdk::Result<std::string> {
      auto made = make();
      if (!made.ok()) return made.error();
      return certificate_pem(made->get());
    });
    if (!pem.ok()) return pem.error();
    auto loaded = certificate_from_pem(*pem);
    if (!loaded.ok()) return pki_error(directory_, name + ": " + loaded.error().message);
    if (!certificate_matches_key(loaded->get(), key)) {
      return pki_error(directory_, name + " does not hold its sandbox key pair's public key");
    }
    return std::move(loaded.value());
  }

  sdk::Result<std::string> file(const std::string& name,
                                const std::function<sdk::Result<std::string>()>& make) {
    const std::string path = directory_ + "/" + name;
    auto existing = read_file_if_exists(path, kMaxFileBytes);
    if (!existing.ok()) return existing.error();
    if (existing->has_value()) return std::move(**existing);
    auto bytes = make();
    if (!bytes.ok()) return bytes.error();
    return create_once(path, *bytes, kMaxFileBytes);
  }

  CertificateSpec spec(std::string common_name, bool ca) const {
    CertificateSpec s;
    s.common_name = std::move(common_name);
    s.organization = "payhost sandbox";
    s.ca = ca;
    s.not_before = now_ - kDay;
    s.not_after = now_ + kTenYears;
    s.serial_hex = random_serial_hex(ca ? 16 : 8);
    return s;
  }

 private:
  std::string directory_;
  std::int64_t now_;
};

SigningIdentity identity(RsaKey key, const Certificate& certificate) {
  SigningIdentity out;
  out.key = std::move(key);
  out.certificate_pem_crlf = certificate_pem_crlf(certificate.get());
  out.common_name = common_name(certificate.get());
  return out;
}

}  // namespace

sdk::Result<SandboxPki> ensure_pki(sdk::Host& host, const std::string& mer_id) {
  auto keys = load_keys(host);
  if (!keys.ok()) return keys.error();
  const Keys& k = keys.value();
  Folder folder(host.data_dir() + "/" + kPkiFolder, host.clock().now());
  if (auto made = ensure_directory(folder.directory()); !made.ok()) return made.error();
  const std::int64_t now = folder.now();

  auto root = folder.certificate("root.cer", k.root, [&]() {
    CertificateSpec s = folder.spec(kRootCommonName, true);
    s.root = true;
    return issue_certificate(s, k.root, nullptr, RsaKey());
  });
  if (!root.ok()) return root.error();
  auto middle = folder.certificate("middle.cer", k.middle, [&]() {
    return issue_certificate(folder.spec(kMiddleCommonName, true), k.middle, root->get(), k.root);
  });
  if (!middle.ok()) return middle.error();
  const auto under_middle = [&](const std::string& name, const RsaKey& key,
                                std::function<std::string()> common_name_of,
                                std::int64_t not_before, std::int64_t not_after) {
    return folder.certificate(name, key, [&]() {
      CertificateSpec s = folder.spec(common_name_of(), false);
      s.not_before = not_before;
      s.not_after = not_after;
      return issue_certificate(s, key, middle->get(), k.middle);
    });
  };
  const auto unionpay_cn = [] { return unionpay_common_name(kUnionpayCompany); };
  auto sign = under_middle("sign.cer", k.sign, unionpay_cn, now - kDay, now + kTenYears);
  if (!sign.ok()) return sign.error();
  auto foreign = under_middle(
      "foreign.cer", k.foreign, [] { return unionpay_common_name("沙箱其他支付公司"); }, now - kDay,
      now + kTenYears);
  if (!foreign.ok()) return foreign.error();
  auto expired =
      under_middle("expired.cer", k.expired, unionpay_cn, now - 2 * 365 * kDay, now - kDay);
  if (!expired.ok()) return expired.error();
  auto outsider_root = folder.certificate("outsider-root.cer", k.outsider, [&]() {
    CertificateSpec s = folder.spec("payhost sandbox outsider root", true);
    s.root = true;
    return issue_certificate(s, k.outsider, nullptr, RsaKey());
  });
  if (!outsider_root.ok()) return outsider_root.error();
  auto outsider = folder.certificate("outsider.cer", k.outsider, [&]() {
    return issue_certificate(folder.spec(unionpay_cn(), false), k.outsider, outsider_root->get(),
                             k.outsider);
  });
  if (!outsider.ok()) return outsider.error();

  auto pfx = folder.file("merchant.pfx", [&]() -> sdk::Result<std::string> {
    CertificateSpec s =
        folder.spec("041@Z" + beijing_date_dashed(now) + "@" + mer_id + ":SIGN@00000001", false);
    s.serial_hex = random_serial_hex(5);  // an 11-13 digit certId, like UnionPay's
    auto certificate = issue_certificate(s, k.merchant, middle->get(), k.middle);
    if (!certificate.ok()) return certificate.error();
    return make_pkcs12(k.merchant, certificate->get(), {middle->get(), root->get()}, kPfxPassword,
                       kPfxFriendlyName);
  });
  if (!pfx.ok()) return pfx.error();
  auto merchant = read_pkcs12(*pfx, kPfxPassword);
  if (!merchant.ok())
    return pki_error(folder.directory(), "merchant.pfx: " + merchant.error().message);
  if (!certificate_matches_key(merchant->certificate.get(), k.merchant)) {
    return pki_error(folder.directory(), "merchant.pfx does not hold the unionpay-merchant key");
  }

  // The chain each certificate claims, checked now so a broken folder stops start-up
  // instead of every notification.
  const std::pair<const char*, x509_st*> chained[] = {
      {"sign.cer", sign->get()},
      {"foreign.cer", foreign->get()},
      {"merchant.pfx", merchant->certificate.get()}};
  for (const auto& [name, certificate] : chained) {
    if (auto why = chain_error(certificate, root->get(), {middle->get()}, now)) {
      return pki_error(folder.directory(),
                       std::string(name) + " does not chain to root.cer: " + *why);
    }
  }
  if (!chain_error(expired->get(), root->get(), {middle->get()}, now)) {
    return pki_error(folder.directory(), "expired.cer is not expired");
  }

  SandboxPki out;
  out.directory = folder.directory();
  out.unionpay = identity(k.sign, sign.value());
  out.foreign = identity(k.foreign, foreign.value());
  out.expired = identity(k.expired, expired.value());
  out.outsider = identity(k.outsider, outsider.value());
  out.merchant_cert_id = serial_decimal(merchant->certificate.get());
  auto merchant_key = RsaKey::public_from_certificate(merchant->certificate.get());
  if (!merchant_key.ok()) return pki_error(folder.directory(), merchant_key.error().message);
  out.merchant_public_key = std::move(merchant_key.value());
  out.merchant_certificate = std::move(merchant->certificate);
  out.root = std::move(root.value());
  out.middle = std::move(middle.value());
  return out;
}

}  // namespace payhost::sandbox_unionpay
