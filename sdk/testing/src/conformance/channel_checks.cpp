// Creating, asking and acting on trades: credentials, capabilities, provider faults, threads.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <set>
#include <thread>

#include "conformance/session.hpp"

namespace payhost::sdk::testing::conformance {

namespace {

void ChannelsAreDeclared(Session& s) {
  ASSERT_FALSE(s.channels().empty()) << "the plugin declares no channel";
  std::set<std::string> names;
  for (const auto& c : s.channels()) {
    EXPECT_TRUE(names.insert(c.name).second) << "channel " << c.name << " declared twice";
    EXPECT_FALSE(c.name.empty());
    EXPECT_EQ(c.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_"), std::string::npos)
        << "channel names are Ping++'s: lower case, digits, '_': " << c.name;
    EXPECT_GT(c.default_expiry_seconds, 0) << c.name;
    for (const auto& key : c.required_extra) {
      const auto it = s.subject().extra.find(c.name);
      EXPECT_TRUE(it != s.subject().extra.end() && it->second.contains(key))
          << c.name << " requires extra." << key << ": give it in ChannelUnderTest::extra";
    }
  }
}

void EveryChannelCreatesACredentialThatSerialises(Session& s) {
  for (const auto& channel : s.channels()) {
    const CreateRequest r = s.request_for(channel);
    auto created = s.plugin().create(r);
    ASSERT_TRUE(created.ok()) << channel.name << ": " << created.error().code << ": "
                              << created.error().message << "\n"
                              << s.host.log.dump();
    const Json& credential = created->credential;
    EXPECT_TRUE(credential.is_object() || credential.is_string())
        << channel.name << ": a credential is an object or a string, got " << credential.dump();
    EXPECT_FALSE(credential.empty()) << channel.name << ": empty credential";
    const std::string text = credential.dump();
    EXPECT_EQ(Json::parse(text, nullptr, false), credential)
        << channel.name << ": the credential does not survive JSON";
  }
}

// An undeclared capability: refused cleanly, and the provider never asked.
template <class Call>
void expect_refused_without_a_call(Session& s, const char* what, Call call) {
  const auto before = s.host.provider.sent().size();
  auto result = call();
  EXPECT_FALSE(result.ok()) << what << " is not declared but did not refuse";
  if (!result.ok()) {
    EXPECT_TRUE(refused_cleanly(result.error())) << result.error().message;
  }
  EXPECT_EQ(s.host.provider.sent().size(), before)
      << what << " is not declared but asked the provider";
}

void DeclaredCapabilitiesWorkAndOthersRefuse(Session& s) {
  const auto caps = s.plugin().capabilities();
  EXPECT_FALSE(caps.partial_refund && !caps.refund) << "partial refunds without refunds";
  EXPECT_FALSE(caps.refund_query && !caps.refund) << "refund queries without refunds";
  for (const auto& channel : s.channels()) {
    CreateRequest r;
    if (!s.create(channel, r)) return;
    TradeRef trade = s.trade_of(r);
    auto queried = s.plugin().query(trade);
    ASSERT_TRUE(queried.ok()) << channel.name << " query: " << queried.error().message;
    EXPECT_EQ(queried->outcome, Outcome::pending)
        << channel.name << ": a trade nobody paid queries as " << to_string(queried->outcome);

    if (caps.close) {
      auto closed = s.plugin().close(trade);
      ASSERT_TRUE(closed.ok()) << channel.name << " close: " << closed.error().message;
      EXPECT_EQ(closed->outcome, Outcome::closed) << channel.name;
    } else {
      expect_refused_without_a_call(s, "close", [&] { return s.plugin().close(trade); });
    }

    const RefundRequest refund = s.full_refund_of(r);
    if (caps.refund) {
      auto refunded = s.plugin().refund(refund);
      ASSERT_TRUE(refunded.ok()) << channel.name << " refund: " << refunded.error().message;
      EXPECT_TRUE(refunded->outcome == Outcome::succeeded || refunded->outcome == Outcome::pending)
          << channel.name << ": an accepted refund is " << to_string(refunded->outcome);
      if (caps.partial_refund) {
        RefundRequest part = refund;
        part.refund_no += "p";
        part.amount = r.amount / 2;
        auto partial = s.plugin().refund(part);
        ASSERT_TRUE(partial.ok()) << channel.name << " partial refund: " << partial.error().message;
      }
      if (caps.refund_query) {
        auto asked = s.plugin().query_refund(refund);
        ASSERT_TRUE(asked.ok()) << channel.name << " refund query: " << asked.error().message;
        EXPECT_NE(asked->outcome, Outcome::failed) << channel.name;
      }
    } else {
      expect_refused_without_a_call(s, "refund", [&] { return s.plugin().refund(refund); });
    }
    if (!caps.refund_query) {
      expect_refused_without_a_call(s, "query_refund",
                                    [&] { return s.plugin().query_refund(refund); });
    }
  }
}

struct Fault {
  const char* name;
  std::function<void(ScriptedHttp&)> inject;
};

std::vector<Fault> faults() {
  return {{"timeout", [](ScriptedHttp& h) { h.timeout(); }},
          {"reset", [](ScriptedHttp& h) { h.reset(); }},
          {"502", [](ScriptedHttp& h) { h.server_error(502, "Bad Gateway"); }},
          {"503 with a JSON body",
           [](ScriptedHttp& h) { h.server_error(503, R"({"code":"SYSTEM_ERROR"})"); }},
          {"500", [](ScriptedHttp& h) { h.server_error(500, "<html>oops</html>"); }},
          {"truncated", [](ScriptedHttp& h) { h.truncated(200, "{\"code\":\"100"); }}};
}

// An unknown outcome: an `unavailable` error, or an answer saying `unknown`.
template <class T>
void expect_unknown(const Result<T>& result, const std::string& what) {
  if (result.ok()) {
    EXPECT_EQ(result->outcome, Outcome::unknown)
        << what << " reported " << to_string(result->outcome) << " without an answer";
  } else {
    EXPECT_EQ(result.error().kind, ErrorKind::unavailable)
        << what << " is " << to_string(result.error().kind) << " (" << result.error().code << ": "
        << result.error().message << "), not unknown";
  }
}

void ProviderFaultsAreUnknownNeverFailed(Session& s) {
  const auto caps = s.plugin().capabilities();
  for (const auto& channel : s.channels()) {
    const bool create_asks = s.create_calls_provider(channel);
    CreateRequest r;
    if (!s.create(channel, r)) return;
    TradeRef trade = s.trade_of(r);
    for (const auto& fault : faults()) {
      const std::string where = channel.name + " " + fault.name + ": ";
      if (create_asks) {
        fault.inject(s.host.provider);
        auto created = s.plugin().create(s.request_for(channel));
        ASSERT_FALSE(created.ok()) << where << "create succeeded without an answer";
        EXPECT_EQ(created.error().kind, ErrorKind::unavailable)
            << where << "create is " << to_string(created.error().kind) << " ("
            << created.error().message << "): the charge's fate is unknown, not refused";
      }
      fault.inject(s.host.provider);
      expect_unknown(s.plugin().query(trade), where + "query");
      if (caps.close) {
        fault.inject(s.host.provider);
        expect_unknown(s.plugin().close(trade), where + "close");
      }
      if (caps.refund) {
        const RefundRequest refund = s.full_refund_of(r);
        fault.inject(s.host.provider);
        expect_unknown(s.plugin().refund(refund), where + "refund");
        if (caps.refund_query) {
          fault.inject(s.host.provider);
          expect_unknown(s.plugin().query_refund(refund), where + "refund query");
        }
      }
      EXPECT_EQ(s.host.provider.queued(), 0U) << where << "a fault was never asked for";
    }
  }
}

void SixteenThreadsCreateAtOnce(Session& s) {
  constexpr int kThreads = 16;
  constexpr int kEach = 6;
  std::atomic<int> created{0};
  std::atomic<int> failed{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      while (!go.load())
        std::this_thread::yield();
      for (int i = 0; i < kEach; ++i) {
        const auto& channel = s.channels()[static_cast<std::size_t>(t + i) % s.channels().size()];
        auto result = s.plugin().create(s.request_for(channel));
        (result.ok() ? created : failed)++;
      }
    });
  }
  go = true;
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(created.load(), kThreads * kEach) << failed.load() << " creates failed\n"
                                              << s.host.log.dump();
}

}  // namespace

std::vector<NamedCheck> channel_checks() {
  return {{"ChannelsAreDeclared", ChannelsAreDeclared},
          {"EveryChannelCreatesACredentialThatSerialises",
           EveryChannelCreatesACredentialThatSerialises},
          {"DeclaredCapabilitiesWorkAndOthersRefuse", DeclaredCapabilitiesWorkAndOthersRefuse},
          {"ProviderFaultsAreUnknownNeverFailed", ProviderFaultsAreUnknownNeverFailed},
          {"SixteenThreadsCreateAtOnce", SixteenThreadsCreateAtOnce}};
}

}  // namespace payhost::sdk::testing::conformance
