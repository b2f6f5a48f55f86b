#include "catalogue.hpp"

#include <set>

namespace payhost::campus {
namespace {

using sdk::Error;
using sdk::Json;

// The longest validity a package may have; a typo such as 1200 months is refused.
constexpr std::int64_t kMaxMonths = 120;
constexpr std::int64_t kMaxDays = 3660;
// One package never costs more than 1,000,000 yuan.
constexpr sdk::Fen kMaxPrice = 100'000'000;

Error bad(const std::string& key, const std::string& what) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, "invalid_catalogue", key + ": " + what,
                         key);
}

// Rejects keys outside `allowed` so a typo ("prcie") fails at start instead of silently
// falling back to a default.
std::optional<Error> check_keys(const Json& object, const std::string& key,
                                const std::set<std::string>& allowed) {
  for (const auto& [name, value] : object.items()) {
    if (!allowed.contains(name)) {
      std::string list;
      for (const auto& a : allowed)
        list += (list.empty() ? "" : ", ") + a;
      return bad(key + "." + name, "unknown key (allowed: " + list + ")");
    }
  }
  return std::nullopt;
}

// Optional string field; YAML may hand a bare number (an account, an id) as a number.
sdk::Result<std::string> text(const Json& object, const std::string& key, const char* name,
                              bool required) {
  const std::string path = key + "." + name;
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    if (required) return bad(path, "is required");
    return std::string();
  }
  if (it->is_string()) {
    if (required && it->get<std::string>().empty()) return bad(path, "must not be empty");
    return it->get<std::string>();
  }
  if (it->is_number_integer()) return it->dump();
  return bad(path, "must be a string");
}

// An integer, or a string of digits (YAML loaders differ); floats are refused so a price
// of 158.5 yuan cannot be mistaken for fen.
std::optional<std::int64_t> integer(const Json& v) {
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_string()) {
    if (auto n = sdk::parse_fen(v.get<std::string>())) return *n;
  }
  return std::nullopt;
}

sdk::Result<std::vector<Detail>> parse_details(const Json& package, const std::string& key) {
  std::vector<Detail> out;
  auto it = package.find("details");
  if (it == package.end() || it->is_null()) return out;
  if (!it->is_array()) return bad(key + ".details", "must be a list of {icon, title, content}");
  for (std::size_t i = 0; i < it->size(); ++i) {
    const Json& d = (*it)[i];
    const std::string dkey = key + ".details[" + std::to_string(i) + "]";
    if (!d.is_object()) return bad(dkey, "must be an object {icon, title, content}");
    if (auto e = check_keys(d, dkey, {"icon", "title", "content"})) return *e;
    auto icon = text(d, dkey, "icon", false);
    if (!icon) return icon.error();
    auto title = text(d, dkey, "title", true);
    if (!title) return title.error();
    auto content = text(d, dkey, "content", false);
    if (!content) return content.error();
    out.push_back(Detail{*icon, *title, *content});
  }
  return out;
}

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

sdk::Result<Package> parse_package(const Json& p, const std::string& key, PackageType type) {
  if (!p.is_object()) return bad(key, "must be an object");
  if (auto e =
          check_keys(p, key, {"id", "name", "price", "months", "days", "description", "details"})) {
    return *e;
  }
  Package out;
  out.type = type;
  auto id = text(p, key, "id", true);
  if (!id) return id.error();
  // Ids travel comma-separated in itemIDs, so they are restricted to a safe alphabet.
  if (!valid_id(*id)) return bad(key + ".id", "must be 1-32 letters, digits, '-' or '_'");
  out.id = *id;
  auto name = text(p, key, "name", true);
  if (!name) return name.error();
  out.name = *name;

  auto price_it = p.find("price");
  if (price_it == p.end() || price_it->is_null()) return bad(key + ".price", "is required (fen)");
  auto price = integer(*price_it);
  if (!price || *price <= 0 || *price > kMaxPrice) {
    return bad(key + ".price", "must be a positive integer number of fen (15800 = 158 yuan), got " +
                                   price_it->dump());
  }
  out.price = *price;

  const bool has_months = p.contains("months") && !p["months"].is_null();
  const bool has_days = p.contains("days") && !p["days"].is_null();
  if (has_months == has_days) return bad(key, "needs exactly one of months or days");
  const char* unit = has_months ? "months" : "days";
  const std::int64_t max = has_months ? kMaxMonths : kMaxDays;
  auto n = integer(p[unit]);
  if (!n || *n <= 0 || *n > max) {
    return bad(key + "." + unit,
               "must be an integer from 1 to " + std::to_string(max) + ", got " + p[unit].dump());
  }
  (has_months ? out.validity.months : out.validity.days) = static_cast<int>(*n);

  auto description = text(p, key, "description", false);
  if (!description) return description.error();
  out.description = *description;
  auto details = parse_details(p, key);
  if (!details) return details.error();
  out.details = std::move(*details);
  return out;
}

sdk::Result<Project> parse_project(const Json& p) {
  const std::string key = "catalogue.project";
  if (!p.is_object()) return bad(key, "is required: an object with at least a name");
  if (auto e = check_keys(p, key,
                          {"name", "description", "qrCode", "protocolUrl", "wxAccount",
                           "alipayAccount", "unionPayAccount", "selectType"})) {
    return *e;
  }
  Project out;
  struct Field {
    const char* name;
    std::string* target;
    bool required;
  };
  for (const Field& f :
       {Field{"name", &out.name, true}, Field{"description", &out.description, false},
        Field{"qrCode", &out.qr_code, false}, Field{"protocolUrl", &out.protocol_url, false},
        Field{"wxAccount", &out.wx_account, false},
        Field{"alipayAccount", &out.alipay_account, false},
        Field{"unionPayAccount", &out.union_pay_account, false}}) {
    auto v = text(p, key, f.name, f.required);
    if (!v) return v.error();
    *f.target = std::move(*v);
  }
  if (p.contains("selectType") && !p["selectType"].is_null()) {
    auto st = integer(p["selectType"]);
    if (!st || (*st != 0 && *st != 1)) {
      return bad(key + ".selectType", "must be 0 (single choice) or 1 (multiple choice)");
    }
    out.select_type = static_cast<int>(*st);
  }
  return out;
}

}  // namespace

const char* catalogue_key(PackageType type) noexcept {
  return type == PackageType::sms ? "sms" : "card";
}

const Package* Catalogue::find(std::string_view id) const {
  for (const auto& p : packages) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

std::vector<const Package*> Catalogue::of_type(PackageType type) const {
  std::vector<const Package*> out;
  for (const auto& p : packages) {
    if (p.type == type) out.push_back(&p);
  }
  return out;
}

sdk::Result<Catalogue> parse_catalogue(const Json& value) {
  if (!value.is_object()) return bad("catalogue", "is required: an object {project, packages}");
  if (auto e = check_keys(value, "catalogue", {"project", "packages"})) return *e;
  Catalogue out;
  auto project = parse_project(value.contains("project") ? value["project"] : Json());
  if (!project) return project.error();
  out.project = std::move(*project);

  if (!value.contains("packages") || !value["packages"].is_object()) {
    return bad("catalogue.packages", "is required: an object {card: [...], sms: [...]}");
  }
  const Json& packages = value["packages"];
  if (auto e = check_keys(packages, "catalogue.packages", {"card", "sms"})) return *e;
  std::set<std::string> ids;
  for (PackageType type : {PackageType::card, PackageType::sms}) {
    const std::string key = std::string("catalogue.packages.") + catalogue_key(type);
    if (!packages.contains(catalogue_key(type)) || packages[catalogue_key(type)].is_null()) {
      continue;
    }
    const Json& list = packages[catalogue_key(type)];
    if (!list.is_array()) return bad(key, "must be a list of packages");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string pkey = key + "[" + std::to_string(i) + "]";
      auto package = parse_package(list[i], pkey, type);
      if (!package) return package.error();
      // Ids are unique across types: PayMoney names packages by id alone.
      if (!ids.insert(package->id).second) {
        return bad(pkey + ".id", "duplicate package id \"" + package->id + "\"");
      }
      out.packages.push_back(std::move(*package));
    }
  }
  if (out.packages.empty()) return bad("catalogue.packages", "must list at least one package");
  return out;
}

std::string yuan_text(sdk::Fen amount) {
  std::string s = sdk::format_yuan(amount);  // always two decimals, integer arithmetic
  while (s.back() == '0')
    s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

Json yuan_value(sdk::Fen amount) {
  if (amount % 100 == 0) return Json(amount / 100);
  // The shortest decimal that round-trips ("0.01") is what nlohmann writes back, so the
  // client sees exactly the decimals of the fen amount.
  return Json::parse(yuan_text(amount));
}

std::string period_label(const Validity& v) {
  if (v.months > 0) {
    if (v.months % 12 == 0) return v.months == 12 ? "年" : std::to_string(v.months / 12) + "年";
    if (v.months == 6) return "半年";
    if (v.months == 3) return "季度";
    if (v.months == 1) return "月";
    return std::to_string(v.months) + "个月";
  }
  return v.days == 1 ? "天" : std::to_string(v.days) + "天";
}

std::string price_label(sdk::Fen amount, const Validity& validity) {
  return price_label(amount) + "/" + period_label(validity);
}

std::string price_label(sdk::Fen amount) {
  return "¥" + yuan_text(amount) + "元";
}

}  // namespace payhost::campus
