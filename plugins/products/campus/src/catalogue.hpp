// The package catalogue from the product's options: one project and its packages, one list
// per package type. Parsed and fully validated once at start; read-only afterwards.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "payhost/sdk/json.hpp"
#include "payhost/sdk/money.hpp"
#include "payhost/sdk/result.hpp"
#include "validity.hpp"

namespace payhost::campus {

// The API's "type": what kind of package.
enum class PackageType { card = 0, sms = 1 };

const char* catalogue_key(PackageType type) noexcept;  // "card" / "sms"

struct Detail {
  std::string icon;
  std::string title;
  std::string content;
};

struct Package {
  std::string id;
  PackageType type = PackageType::card;
  std::string name;
  sdk::Fen price = 0;
  Validity validity;
  std::string description;
  std::vector<Detail> details;
};

struct Project {
  std::string name;
  std::string description;
  std::string qr_code;
  std::string protocol_url;
  std::string wx_account;
  std::string alipay_account;
  std::string union_pay_account;
  int select_type = 0;  // 0: exactly one package per payment, 1: several
};

struct Catalogue {
  Project project;
  std::vector<Package> packages;  // in configuration order, card packages first

  const Package* find(std::string_view id) const;
  std::vector<const Package*> of_type(PackageType type) const;
};

// Validates everything and names the offending key in the error, e.g.
// "catalogue.packages.card[1].price: must be a positive integer number of fen".
sdk::Result<Catalogue> parse_catalogue(const sdk::Json& value);

// Money as people read it: 15800 -> "158", 15850 -> "158.5", 1 -> "0.01".
std::string yuan_text(sdk::Fen amount);
// The API's itemValue: yuan as a JSON number with exactly the decimals of `amount`.
sdk::Json yuan_value(sdk::Fen amount);
// "年", "半年", "3个月", "30天", ...
std::string period_label(const Validity& validity);
// "¥158元/年": a package's display price.
std::string price_label(sdk::Fen amount, const Validity& validity);
// "¥30元": an upgrade's difference, which buys no period of its own.
std::string price_label(sdk::Fen amount);

}  // namespace payhost::campus
