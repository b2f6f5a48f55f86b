#include <gtest/gtest.h>

#include "catalogue.hpp"
#include "options.hpp"

namespace payhost::campus {
namespace {

using sdk::Json;

Json valid_catalogue() {
  return Json::parse(R"({
    "project": {"name": "智慧校园一卡通", "description": "说明", "qrCode": "https://x/qr.png",
                "protocolUrl": "https://x/p.html", "wxAccount": "wx1", "alipayAccount": "a@b",
                "unionPayAccount": "", "selectType": 0},
    "packages": {
      "card": [
        {"id": "10000001", "name": "A套餐-不含定位", "price": 15800, "months": 12,
         "description": "基础", "details": [{"icon": "https://x/att.png", "title": "进出校考勤",
                                             "content": "每天上学到校"}]},
        {"id": 10000002, "name": "B套餐-含定位", "price": "18800", "months": 12}
      ],
      "sms": [{"id": "20000001", "name": "短信月包", "price": 1, "days": 30}]
    }
  })");
}

std::string error_of(const Json& catalogue) {
  auto r = parse_catalogue(catalogue);
  EXPECT_FALSE(r) << "expected an error for " << catalogue.dump();
  return r ? std::string() : r.error().message;
}

TEST(Catalogue, ParsesAValidCatalogue) {
  auto r = parse_catalogue(valid_catalogue());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->project.name, "智慧校园一卡通");
  EXPECT_EQ(r->project.alipay_account, "a@b");
  ASSERT_EQ(r->packages.size(), 3u);
  EXPECT_EQ(r->packages[0].details.size(), 1u);
  EXPECT_EQ(r->packages[1].id, "10000002");  // YAML numbers become ids
  EXPECT_EQ(r->packages[1].price, 18800);
  EXPECT_EQ(r->packages[2].type, PackageType::sms);
  EXPECT_EQ(r->packages[2].validity, (Validity{0, 30}));
  EXPECT_EQ(r->of_type(PackageType::card).size(), 2u);
  ASSERT_NE(r->find("20000001"), nullptr);
  EXPECT_EQ(r->find("nope"), nullptr);
}

TEST(Catalogue, ErrorsNameTheKey) {
  Json c = valid_catalogue();
  c["packages"]["card"][1]["price"] = 158.5;
  EXPECT_EQ(error_of(c).rfind("catalogue.packages.card[1].price: must be a positive integer", 0),
            0u)
      << error_of(c);

  c = valid_catalogue();
  c["packages"]["card"][0]["price"] = 0;
  EXPECT_NE(error_of(c).find("catalogue.packages.card[0].price"), std::string::npos);

  c = valid_catalogue();
  c["packages"]["sms"][0]["prcie"] = 1;
  EXPECT_NE(error_of(c).find("catalogue.packages.sms[0].prcie: unknown key"), std::string::npos);

  c = valid_catalogue();
  c["packages"]["sms"][0]["months"] = 1;  // and days
  EXPECT_NE(error_of(c).find("catalogue.packages.sms[0]: needs exactly one of months or days"),
            std::string::npos);

  c = valid_catalogue();
  c["packages"]["card"][0].erase("months");
  EXPECT_NE(error_of(c).find("needs exactly one of months or days"), std::string::npos);

  c = valid_catalogue();
  c["packages"]["card"][0]["months"] = 1200;
  EXPECT_NE(error_of(c).find("catalogue.packages.card[0].months: must be an integer from 1 to 120"),
            std::string::npos);

  c = valid_catalogue();
  c["packages"]["sms"][0]["id"] = "10000001";
  EXPECT_NE(error_of(c).find("catalogue.packages.sms[0].id: duplicate package id"),
            std::string::npos);

  c = valid_catalogue();
  c["packages"]["card"][0]["id"] = "a,b";
  EXPECT_NE(error_of(c).find("catalogue.packages.card[0].id"), std::string::npos);

  c = valid_catalogue();
  c["project"].erase("name");
  EXPECT_NE(error_of(c).find("catalogue.project.name: is required"), std::string::npos);

  c = valid_catalogue();
  c["project"]["selectType"] = 2;
  EXPECT_NE(error_of(c).find("catalogue.project.selectType"), std::string::npos);

  c = valid_catalogue();
  c["packages"]["card"][0]["details"][0]["colour"] = "red";
  EXPECT_NE(error_of(c).find("catalogue.packages.card[0].details[0].colour: unknown key"),
            std::string::npos);

  c = valid_catalogue();
  c["packages"]["cards"] = Json::array();
  EXPECT_NE(error_of(c).find("catalogue.packages.cards: unknown key"), std::string::npos);

  c = valid_catalogue();
  c["packages"] = Json::object();
  EXPECT_NE(error_of(c).find("catalogue.packages: must list at least one package"),
            std::string::npos);

  EXPECT_NE(error_of(Json()).find("catalogue: is required"), std::string::npos);
}

TEST(Prices, YuanTextIsExact) {
  EXPECT_EQ(yuan_text(15800), "158");
  EXPECT_EQ(yuan_text(15850), "158.5");
  EXPECT_EQ(yuan_text(15805), "158.05");
  EXPECT_EQ(yuan_text(1), "0.01");
  EXPECT_EQ(yuan_text(10), "0.1");
  EXPECT_EQ(yuan_text(100), "1");
  EXPECT_EQ(yuan_text(99999999), "999999.99");
}

TEST(Prices, ItemValueIsAJsonNumberWithTheExactDecimals) {
  EXPECT_EQ(yuan_value(15800).dump(), "158");
  EXPECT_TRUE(yuan_value(15800).is_number_integer());
  EXPECT_EQ(yuan_value(1).dump(), "0.01");
  EXPECT_EQ(yuan_value(15850).dump(), "158.5");
  EXPECT_EQ(yuan_value(19999).dump(), "199.99");
  EXPECT_EQ(yuan_value(30).dump(), "0.3");
  EXPECT_EQ(yuan_value(99999999).dump(), "999999.99");
}

TEST(Prices, Labels) {
  EXPECT_EQ(price_label(15800, Validity{12, 0}), "¥158元/年");
  EXPECT_EQ(price_label(1, Validity{12, 0}), "¥0.01元/年");
  EXPECT_EQ(price_label(30000, Validity{24, 0}), "¥300元/2年");
  EXPECT_EQ(price_label(9000, Validity{6, 0}), "¥90元/半年");
  EXPECT_EQ(price_label(4500, Validity{3, 0}), "¥45元/季度");
  EXPECT_EQ(price_label(1500, Validity{1, 0}), "¥15元/月");
  EXPECT_EQ(price_label(1500, Validity{5, 0}), "¥15元/5个月");
  EXPECT_EQ(price_label(500, Validity{0, 30}), "¥5元/30天");
  EXPECT_EQ(price_label(50, Validity{0, 1}), "¥0.5元/天");
  EXPECT_EQ(price_label(3000), "¥30元");
}

sdk::Options options(Json extra) {
  Json all = {{"catalogue", valid_catalogue()}};
  for (auto& [k, v] : extra.items())
    all[k] = v;
  return sdk::Options(all);
}

TEST(Settings, DefaultsAndValidation) {
  auto s = parse_settings(options(Json::object()));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->auth, AuthMode::jwt);
  EXPECT_EQ(s->web_path, "");
  EXPECT_EQ(s->utc_offset_minutes, 480);

  s = parse_settings(options({{"web_path", "/campus"}, {"auth", "none"}}));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->web_path, "/campus");
  EXPECT_EQ(s->auth, AuthMode::none);

  for (const char* bad : {"campus", "/campus/", "/a{b}"}) {
    auto r = parse_settings(options({{"web_path", bad}}));
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("web_path"), std::string::npos);
  }
  auto r = parse_settings(options({{"auth", "api_key"}}));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("api_key: is required"), std::string::npos);
  EXPECT_TRUE(parse_settings(options({{"auth", "api_key"}, {"api_key", "0123456789abcdef"}})));
  r = parse_settings(options({{"channel_extra", {{"alipay_wap", "x"}}}}));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("channel_extra.alipay_wap"), std::string::npos);
}

TEST(Settings, OptionTableDocumentsEveryOption) {
  std::vector<std::string> names;
  for (const auto& spec : option_specs()) {
    names.push_back(spec.name);
    EXPECT_FALSE(spec.description.empty()) << spec.name;
    if (spec.name == "api_key") {
      EXPECT_TRUE(spec.secret);
    }
    if (spec.name == "catalogue") {
      EXPECT_TRUE(spec.required);
    }
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"catalogue", "web_path", "auth", "api_key", "channel_extra",
                                      "utc_offset_minutes", "retrieve_interval_seconds"}));
}

}  // namespace
}  // namespace payhost::campus
