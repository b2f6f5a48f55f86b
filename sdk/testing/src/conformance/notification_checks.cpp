// Notifications: the genuine one accepted and reported as it is, every other refused (or,
// where only the host can tell, reported faithfully so that the host refuses it), and the
// replies the provider expects.
#include <gtest/gtest.h>

#include <random>

#include "conformance/session.hpp"

namespace payhost::sdk::testing::conformance {

namespace {

// A charge for every channel, and what the provider would say once each was paid.
std::vector<PaidTrade> paid_trades(Session& s) {
  std::vector<PaidTrade> out;
  for (const auto& channel : s.channels()) {
    CreateRequest r;
    if (!s.create(channel, r)) return {};
    out.push_back(s.paid(r));
  }
  return out;
}

void expect_refused(Session& s, const HttpRequest& request, const std::string& what) {
  auto result = s.plugin().verify_notification(request);
  EXPECT_FALSE(result.ok()) << what << " was accepted";
  if (!result.ok()) {
    EXPECT_TRUE(refused_cleanly(result.error()))
        << what << " made the plugin throw: " << result.error().message;
  }
}

void ValidNotificationIsAccepted(Session& s) {
  for (const auto& paid : paid_trades(s)) {
    auto result = s.plugin().verify_notification(s.provider().notification(paid));
    ASSERT_TRUE(result.ok()) << paid.channel << ": " << result.error().code << ": "
                             << result.error().message << "\n"
                             << s.host.log.dump();
    EXPECT_EQ(result->outcome, Outcome::succeeded) << paid.channel;
    EXPECT_EQ(result->order_no, paid.order_no) << paid.channel;
    EXPECT_EQ(result->transaction_no, paid.transaction_no) << paid.channel;
    EXPECT_EQ(result->amount, paid.amount) << paid.channel;
    EXPECT_EQ(result->app_id, s.plugin().merchant_app_id()) << paid.channel;
  }
}

void RepliesAreTheProviders(Session& s) {
  for (const bool accepted : {true, false}) {
    const HttpResponse expected = s.provider().expected_reply(accepted);
    const HttpResponse reply = s.plugin().notification_reply(accepted);
    EXPECT_EQ(reply.status, expected.status) << (accepted ? "acknowledgement" : "refusal");
    EXPECT_EQ(reply.body, expected.body) << (accepted ? "acknowledgement" : "refusal");
  }
}

void ForgedSignatureIsRefused(Session& s) {
  for (const auto& paid : paid_trades(s))
    expect_refused(s, s.provider().forged_notification(paid),
                   paid.channel + ": a forged signature");
}

void AmountChangedAfterSigningIsRefused(Session& s) {
  for (const auto& paid : paid_trades(s)) {
    expect_refused(s, s.provider().tampered_notification(paid, paid.amount * 100),
                   paid.channel + ": an amount changed after signing");
  }
}

// With a merchant_app_id() the host compares it with what the plugin reports; without one
// (the plugin checks app ids itself, per kind of payment) the plugin must refuse.
void ForeignAppIsNeverReportedAsOurs(Session& s) {
  const std::string ours = s.plugin().merchant_app_id();
  for (auto paid : paid_trades(s)) {
    paid.app_id = "app0ther0Merchant";
    auto result = s.plugin().verify_notification(s.provider().notification(paid));
    if (!result.ok()) {
      EXPECT_TRUE(refused_cleanly(result.error())) << result.error().message;
    } else if (ours.empty()) {
      ADD_FAILURE() << paid.channel << ": a notification for another merchant was accepted "
                    << "(the plugin declares no merchant_app_id, so it must check itself)";
    } else {
      EXPECT_NE(result->app_id, ours)
          << paid.channel << ": a notification for another merchant app reads as ours";
    }
  }
}

void UnknownOrderIsReportedAsItIs(Session& s) {
  for (auto paid : paid_trades(s)) {
    paid.order_no = "nosuch" + paid.order_no.substr(4);
    auto result = s.plugin().verify_notification(s.provider().notification(paid));
    if (result.ok()) {
      EXPECT_EQ(result->order_no, paid.order_no)
          << paid.channel << ": the host finds the charge by the order the plugin reports";
    } else {
      EXPECT_TRUE(refused_cleanly(result.error())) << result.error().message;
    }
  }
}

void ReplayReportsTheSameTrade(Session& s) {
  for (const auto& paid : paid_trades(s)) {
    const HttpRequest request = s.provider().notification(paid);
    auto first = s.plugin().verify_notification(request);
    ASSERT_TRUE(first.ok()) << paid.channel << ": " << first.error().message;
    s.host.time.advance(std::chrono::seconds(30));
    auto again = s.plugin().verify_notification(request);
    if (!again.ok()) {
      EXPECT_TRUE(refused_cleanly(again.error())) << again.error().message;
      continue;
    }
    EXPECT_EQ(again->outcome, first->outcome) << paid.channel;
    EXPECT_EQ(again->order_no, first->order_no) << paid.channel;
    EXPECT_EQ(again->transaction_no, first->transaction_no) << paid.channel;
    EXPECT_EQ(again->amount, first->amount) << paid.channel;
  }
}

void MalformedBodiesAreRefused(Session& s) {
  const auto trades = paid_trades(s);
  ASSERT_FALSE(trades.empty());
  const HttpRequest valid = s.provider().notification(trades.front());
  std::mt19937 random(20261206);
  std::string noise(4096, '\0');
  for (auto& c : noise)
    c = static_cast<char>(random() & 0xff);

  std::vector<std::pair<std::string, std::string>> bodies = {
      {"an empty body", ""},
      {"the first half of the body", valid.body.substr(0, valid.body.size() / 2)},
      {"random bytes", noise},
      {"the body with a NUL inside", valid.body.substr(0, valid.body.size() / 2) +
                                         std::string(1, '\0') +
                                         valid.body.substr(valid.body.size() / 2)},
      {"the body with invalid UTF-8 inside", valid.body.substr(0, valid.body.size() / 2) +
                                                 "\xff\xfe\xc3" +
                                                 valid.body.substr(valid.body.size() / 2)},
      {"a JSON null", "null"},
      {"a JSON array", "[1,2,3]"},
      {"a form of empty pairs", "&&&=&=="},
  };
  for (const auto& [what, body] : bodies) {
    HttpRequest request = valid;
    request.body = body;
    expect_refused(s, request, what);
  }
  HttpRequest bare;
  bare.method = "POST";
  bare.path = valid.path;
  expect_refused(s, bare, "a request without headers or body");
}

void HugeBodiesAreRefused(Session& s) {
  const auto trades = paid_trades(s);
  ASSERT_FALSE(trades.empty());
  const HttpRequest valid = s.provider().notification(trades.front());
  HttpRequest padded = valid;
  padded.body += std::string(10 * 1024 * 1024, 'a');
  expect_refused(s, padded, "a notification followed by 10 MB");
  HttpRequest pairs = valid;
  pairs.body.clear();
  for (int i = 0; i < 1000000; ++i)
    pairs.body += "a=&";
  expect_refused(s, pairs, "a million form fields");
}

void DeeplyNestedBodiesAreRefused(Session& s) {
  const auto trades = paid_trades(s);
  ASSERT_FALSE(trades.empty());
  const HttpRequest valid = s.provider().notification(trades.front());
  constexpr int kDepth = 200000;
  std::string arrays(kDepth, '[');
  std::string objects;
  for (int i = 0; i < kDepth; ++i)
    objects += "{\"a\":";
  std::string brackets;
  for (int i = 0; i < kDepth / 10; ++i)
    brackets += "a[b]";
  for (const auto& [what, body] : std::vector<std::pair<std::string, std::string>>{
           {"200,000 nested arrays", arrays + std::string(kDepth, ']')},
           {"200,000 nested objects, unclosed", objects},
           {"nested form keys", brackets + "=1"}}) {
    HttpRequest request = valid;
    request.body = body;
    expect_refused(s, request, what);
  }
}

}  // namespace

std::vector<NamedCheck> notification_checks() {
  return {{"ValidNotificationIsAccepted", ValidNotificationIsAccepted},
          {"RepliesAreTheProviders", RepliesAreTheProviders},
          {"ForgedSignatureIsRefused", ForgedSignatureIsRefused},
          {"AmountChangedAfterSigningIsRefused", AmountChangedAfterSigningIsRefused},
          {"ForeignAppIsNeverReportedAsOurs", ForeignAppIsNeverReportedAsOurs},
          {"UnknownOrderIsReportedAsItIs", UnknownOrderIsReportedAsItIs},
          {"ReplayReportsTheSameTrade", ReplayReportsTheSameTrade},
          {"MalformedBodiesAreRefused", MalformedBodiesAreRefused},
          {"HugeBodiesAreRefused", HugeBodiesAreRefused},
          {"DeeplyNestedBodiesAreRefused", DeeplyNestedBodiesAreRefused}};
}

}  // namespace payhost::sdk::testing::conformance
