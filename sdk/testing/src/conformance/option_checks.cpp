// The option table: complete, strict about keys, honest about secrets.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "conformance/session.hpp"

namespace payhost::sdk::testing::conformance {

namespace {

void TableIsWellFormed(Session& s) {
  std::set<std::string> names;
  for (const auto& spec : s.plugin().option_specs()) {
    EXPECT_TRUE(names.insert(spec.name).second) << "option " << spec.name << " declared twice";
    EXPECT_FALSE(spec.description.empty()) << "option " << spec.name << " has no description";
    EXPECT_FALSE(spec.required && !spec.default_value.is_null())
        << "option " << spec.name << " is required and has a default";
  }
  for (const auto& spec : s.plugin().option_specs()) {
    if (spec.secret) {
      EXPECT_EQ(names.count(spec.name + "_file"), 0U)
          << spec.name << "_file is both an option and the file form of secret " << spec.name;
    }
  }
}

void SecretsAreMarked(Session& s) {
  const auto specs = s.plugin().option_specs();
  for (const auto& secret : s.subject().secrets) {
    bool found = false;
    for (const auto& spec : specs) {
      if (spec.name != secret) continue;
      found = true;
      EXPECT_TRUE(spec.secret) << "option " << secret << " holds a secret but is not marked "
                               << "secret (as_secret()): it would be logged and shown";
    }
    EXPECT_TRUE(found) << "the subject names secret " << secret << ", which the table lacks";
  }
}

void UnknownKeysAreRefused(Session& s) {
  Json options = s.subject().options;
  options["no_such_option"] = "x";
  auto v = validate_options(s.plugin().option_specs(), options);
  ASSERT_FALSE(v.ok()) << "an unknown option was accepted";
  EXPECT_EQ(v.error().param, "no_such_option");
  EXPECT_NE(v.error().message.find("unknown option"), std::string::npos) << v.error().message;
}

void MissingRequiredKeysAreNamed(Session& s) {
  for (const auto& spec : s.plugin().option_specs()) {
    if (!spec.required || !spec.default_value.is_null()) continue;
    Json options = s.subject().options;
    options.erase(spec.name);
    auto v = validate_options(s.plugin().option_specs(), options);
    ASSERT_FALSE(v.ok()) << "options without required " << spec.name << " were accepted";
    EXPECT_EQ(v.error().param, spec.name);
    EXPECT_NE(v.error().message.find("required"), std::string::npos) << v.error().message;
  }
}

// A secret's whole value, and each line of it long enough to identify it (a PEM body).
std::vector<std::string> telltales(const std::string& secret) {
  std::vector<std::string> out{secret};
  std::istringstream lines(secret);
  for (std::string line; std::getline(lines, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
      line.pop_back();
    if (line.size() >= 16 && line.find("-----") == std::string::npos) out.push_back(line);
  }
  return out;
}

// Creates, notifies (good and bad), queries, closes and refunds, with faults, and then reads
// every log line for the secrets' values.
void NoSecretReachesALog(Session& s) {
  const auto caps = s.plugin().capabilities();
  for (const auto& channel : s.channels()) {
    CreateRequest r;
    if (!s.create(channel, r)) return;
    const PaidTrade paid = s.paid(r);
    (void)s.plugin().verify_notification(s.provider().notification(paid));
    (void)s.plugin().verify_notification(s.provider().forged_notification(paid));
    (void)s.plugin().verify_notification(s.provider().tampered_notification(paid, 1));
    HttpRequest garbage;
    garbage.method = "POST";
    garbage.body = "{\"not\":\"a notification\"";
    (void)s.plugin().verify_notification(garbage);
    TradeRef trade = s.trade_of(r);
    (void)s.plugin().query(trade);
    s.host.provider.timeout();
    (void)s.plugin().query(trade);
    s.host.provider.server_error(500, "internal error");
    (void)s.plugin().query(trade);
    trade.transaction_no = paid.transaction_no;
    if (caps.close) (void)s.plugin().close(trade);
    if (caps.refund) {
      const RefundRequest refund = s.full_refund_of(r);
      (void)s.plugin().refund(refund);
      s.host.provider.reset();
      (void)s.plugin().refund(refund);
    }
  }
  const auto lines = s.host.log.lines();
  for (const auto& name : s.subject().secrets) {
    const Json& value = s.options().get(name);
    if (!value.is_string() || value.get<std::string>().empty()) continue;
    for (const auto& telltale : telltales(value.get<std::string>())) {
      for (const auto& line : lines) {
        EXPECT_EQ(line.text.find(telltale), std::string::npos)
            << "the value of secret option " << name << " is in a log line: " << line.text;
      }
    }
  }
}

}  // namespace

std::vector<NamedCheck> option_checks() {
  return {{"OptionTableIsWellFormed", TableIsWellFormed},
          {"OptionTableMarksSecrets", SecretsAreMarked},
          {"OptionTableRefusesUnknownKeys", UnknownKeysAreRefused},
          {"OptionTableNamesMissingRequiredKeys", MissingRequiredKeysAreNamed},
          {"NoSecretReachesALogLine", NoSecretReachesALog}};
}

}  // namespace payhost::sdk::testing::conformance
