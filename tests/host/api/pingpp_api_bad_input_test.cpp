// Every /v1 route against hostile and sloppy input: malformed JSON, form bodies, wrong
// types, unknown fields, huge metadata, bad, revoked and wrong-mode keys, bad signatures
// and stale timestamps. Each answer is Ping++'s error envelope (type and message strings,
// code and param strings or absent) and changes no table.
#include <gtest/gtest.h>

#include <ctime>

#include "pingpp_api_support.hpp"
#include "support/raw_http.hpp"

namespace payhost::flow::v1 {
namespace {

struct Probe {
  std::string name;
  std::string method;
  std::string path;
  std::vector<std::string> headers;
  std::string body;
  int status = 400;
  std::string param;  // expected error.param; empty: not checked
};

void expect_pingpp_error(const testing::HttpResult& r, const Probe& p) {
  SCOPED_TRACE(p.name + ": " + p.method + " " + p.path + " " + p.body.substr(0, 200));
  EXPECT_EQ(r.status, p.status) << r.body;
  // Only Ping++'s Node SDK is sent away after each answer (see NodeSdkIsAnsweredWithClose).
  EXPECT_NE(r.headers.count("connection") ? r.headers.at("connection") : "", "close");
  const Json body = Json::parse(r.body, nullptr, false);
  ASSERT_TRUE(body.is_object() && body.size() == 1 && body.contains("error")) << r.body;
  const Json& e = body["error"];
  ASSERT_TRUE(e.is_object()) << r.body;
  EXPECT_TRUE(e["type"].is_string()) << r.body;
  const std::string type = e.value("type", "");
  EXPECT_TRUE(type == "invalid_request_error" || type == "api_error" || type == "channel_error")
      << r.body;
  EXPECT_TRUE(e["message"].is_string() && !e["message"].get<std::string>().empty()) << r.body;
  for (const auto& [k, v] : e.items()) {
    EXPECT_TRUE(k == "type" || k == "message" || k == "code" || k == "param") << r.body;
    EXPECT_TRUE(v.is_string()) << k << " is not a string: " << r.body;
  }
  if (!p.param.empty()) {
    EXPECT_EQ(e.value("param", ""), p.param) << r.body;
  }
}

class PingppBadInput : public ::testing::TestWithParam<bool> {};

TEST_P(PingppBadInput, EveryRouteRefusesAndChangesNothing) {
  Payhostd host(v1_config(), GetParam());
  const std::string key = create_key(host);
  const std::string live_key = create_key(host, {"--mode", "live"});
  const std::string signed_key = create_key(host, {"--app", kSignedApp});
  std::string out;
  const std::string revoked_key = create_key(host);
  ASSERT_EQ(host.cli({"keys", "list"}, &out), 0);
  const std::string revoked_id =
      key_id_in(out.substr(out.rfind('\n', out.find(revoked_key.substr(0, 12))) + 1));
  ASSERT_EQ(host.cli({"keys", "revoke", revoked_id}, &out), 0) << out;

  // A paid charge and an unpaid one to aim at.
  const auto json = [&](const std::string& k) {
    auto h = bearer(k);
    h.push_back("Content-Type: application/json");
    return h;
  };
  auto made = host.request("POST", "/v1/charges", charge_params("badinputpaid1").dump(), json(key));
  ASSERT_EQ(made.status, 200) << made.body;
  const Json paid = made.json();
  Notice n;
  n.order_no = paid["order_no"];
  n.amount = 100;
  n.transaction_no = "TBAD1";
  ASSERT_EQ(notify(host, n).status, 200);
  made = host.request("POST", "/v1/charges", charge_params("badinputopen1").dump(), json(key));
  ASSERT_EQ(made.status, 200) << made.body;
  const std::string open = made.json()["id"];
  const std::string paid_id = paid["id"];
  const auto refunded = host.request("POST", "/v1/charges/" + paid_id + "/refunds",
                                     R"({"amount":1,"description":"one fen"})", json(key));
  ASSERT_EQ(refunded.status, 200) << refunded.body;

  // Charges of a product (the test product, as the wallet's would be): read through /v1,
  // never reversed or refunded there.
  const Json product_open = create(host, 100);
  const Json product_paid = create(host, 100);
  Notice pn;
  pn.order_no = product_paid["order_no"];
  pn.amount = 100;
  pn.transaction_no = "TBAD2";
  ASSERT_EQ(notify(host, pn).status, 200);
  EXPECT_EQ(
      host.request("GET", "/v1/charges/" + product_paid["id"].get<std::string>(), "", bearer(key))
          .status,
      200);

  Tables tables(host);
  const std::string before = tables.snapshot();

  const auto form = [&](const std::string& k) {
    auto h = bearer(k);
    h.push_back("Content-Type: application/x-www-form-urlencoded");
    return h;
  };
  const auto with = [](Json params, const std::string& field, Json value) {
    params[field] = std::move(value);
    return params.dump();
  };
  const Json good = charge_params("badinput0001");
  Json many = Json::object();
  for (int i = 0; i < 51; ++i)
    many["k" + std::to_string(i)] = "v";
  const std::string nested = std::string(5000, '[') + std::string(5000, ']');

  std::vector<Probe> probes = {
      // POST /v1/charges
      {"malformed json", "POST", "/v1/charges", json(key), R"({"app":)"},
      {"json array", "POST", "/v1/charges", json(key), "[1,2]"},
      {"deep json", "POST", "/v1/charges", json(key), R"({"extra":)" + nested + "}"},
      {"text body", "POST", "/v1/charges", [&] {
         auto h = bearer(key);
         h.push_back("Content-Type: text/plain");
         return h;
       }(), good.dump()},
      {"amount string", "POST", "/v1/charges", json(key), with(good, "amount", "abc"), 400,
       "amount"},
      {"amount float", "POST", "/v1/charges", json(key), with(good, "amount", 1.5), 400, "amount"},
      {"amount negative", "POST", "/v1/charges", json(key), with(good, "amount", -1), 400,
       "amount"},
      {"amount huge", "POST", "/v1/charges", json(key), with(good, "amount", 1e300), 400,
       "amount"},
      {"channel number", "POST", "/v1/charges", json(key), with(good, "channel", 5), 400,
       "channel"},
      {"channel unknown", "POST", "/v1/charges", json(key), with(good, "channel", "wx_pub"), 400,
       "channel"},
      {"currency", "POST", "/v1/charges", json(key), with(good, "currency", "usd"), 400,
       "currency"},
      {"order_no", "POST", "/v1/charges", json(key), with(good, "order_no", "a b"), 400,
       "order_no"},
      {"order_no used", "POST", "/v1/charges", json(key),
       with(good, "order_no", paid["order_no"]), 400, "order_no"},
      {"subject too long", "POST", "/v1/charges", json(key),
       with(good, "subject", std::string(33, 's')), 400, "subject"},
      {"subject with &", "POST", "/v1/charges", json(key), with(good, "subject", "a&b=c"), 400,
       "subject"},
      {"extra array", "POST", "/v1/charges", json(key), with(good, "extra", Json::array()), 400,
       "extra"},
      {"metadata string", "POST", "/v1/charges", json(key), with(good, "metadata", "x"), 400,
       "metadata"},
      {"metadata 51 keys", "POST", "/v1/charges", json(key), with(good, "metadata", many), 400,
       "metadata"},
      {"metadata long value", "POST", "/v1/charges", json(key),
       with(good, "metadata", Json{{"k", std::string(100000, 'v')}}), 400, "metadata"},
      {"metadata nested", "POST", "/v1/charges", json(key),
       with(good, "metadata", Json{{"k", Json{{"a", 1}}}}), 400, "metadata"},
      {"time_expire past", "POST", "/v1/charges", json(key), with(good, "time_expire", 1), 400,
       "time_expire"},
      {"unknown field", "POST", "/v1/charges", json(key), with(good, "livemode", true), 400,
       "livemode"},
      {"other app", "POST", "/v1/charges", json(key), charge_params("badinput0002", kSignedApp).dump(),
       400, "app[id]"},
      {"missing app", "POST", "/v1/charges", json(key),
       [&] {
         Json p = good;
         p.erase("app");
         return p.dump();
       }(),
       400, "app[id]"},
      {"form amount float", "POST", "/v1/charges", form(key),
       "app[id]=" + std::string(kApp) +
           "&channel=testpay&amount=1.5&order_no=badinput0003&currency=cny&subject=s&body=b"
           "&client_ip=127.0.0.1",
       400, "amount"},
      {"form duplicate", "POST", "/v1/charges", form(key), "amount=1&amount=2"},
      {"form bad bracket", "POST", "/v1/charges", form(key), "app[id=1"},
      {"form value and object", "POST", "/v1/charges", form(key), "app=x&app[id]=y"},
      {"form unknown", "POST", "/v1/charges", form(key),
       "app[id]=" + std::string(kApp) +
           "&channel=testpay&amount=1&order_no=badinput0004&currency=cny&subject=s&body=b"
           "&client_ip=127.0.0.1&paid=true",
       400, "paid"},
      {"query on create", "POST", "/v1/charges?x=1", json(key), good.dump(), 400, "x"},
      // GET /v1/charges
      {"list without app", "GET", "/v1/charges", bearer(key), "", 400, "app[id]"},
      {"list other app", "GET", "/v1/charges?app[id]=" + std::string(kSignedApp), bearer(key), "",
       400, "app[id]"},
      {"list limit 0", "GET", "/v1/charges?app[id]=" + std::string(kApp) + "&limit=0", bearer(key),
       "", 400, "limit"},
      {"list limit text", "GET", "/v1/charges?app[id]=" + std::string(kApp) + "&limit=ten",
       bearer(key), "", 400, "limit"},
      {"list created text", "GET",
       "/v1/charges?app[id]=" + std::string(kApp) + "&created[gt]=yesterday", bearer(key), "", 400,
       "created[gt]"},
      {"list paid maybe", "GET", "/v1/charges?app[id]=" + std::string(kApp) + "&paid=maybe",
       bearer(key), "", 400, "paid"},
      {"list unknown cursor", "GET",
       "/v1/charges?app[id]=" + std::string(kApp) + "&starting_after=ch_000000000000000000000000",
       bearer(key), "", 400, "starting_after"},
      {"list unknown param", "GET", "/v1/charges?app[id]=" + std::string(kApp) + "&colour=red",
       bearer(key), "", 400, "colour"},
      // GET /v1/charges/{id}
      {"retrieve missing", "GET", "/v1/charges/ch_000000000000000000000000", bearer(key), "", 404,
       "id"},
      {"retrieve junk id", "GET", "/v1/charges/%00%27;DROP", bearer(key), "", 404, "id"},
      {"retrieve with query", "GET", "/v1/charges/" + open + "?expand=app", bearer(key), "", 400,
       "expand"},
      // POST /v1/charges/{id}/reverse
      {"reverse unknown field", "POST", "/v1/charges/" + open + "/reverse", json(key),
       R"({"force":true})", 400, "force"},
      {"reverse malformed", "POST", "/v1/charges/" + open + "/reverse", json(key), "{"},
      {"reverse missing", "POST", "/v1/charges/ch_000000000000000000000000/reverse", json(key),
       "{}", 404, "id"},
      {"reverse paid", "POST", "/v1/charges/" + paid_id + "/reverse", json(key), "{}", 400, "id"},
      // POST /v1/charges/{id}/refunds
      {"refund unpaid", "POST", "/v1/charges/" + open + "/refunds", json(key),
       R"({"description":"x"})"},
      {"refund no description", "POST", "/v1/charges/" + paid_id + "/refunds", json(key),
       R"({"amount":1})", 400, "description"},
      {"refund amount float", "POST", "/v1/charges/" + paid_id + "/refunds", json(key),
       R"({"amount":1.5,"description":"x"})", 400, "amount"},
      {"refund amount negative", "POST", "/v1/charges/" + paid_id + "/refunds", json(key),
       R"({"amount":-1,"description":"x"})", 400, "amount"},
      {"refund too much", "POST", "/v1/charges/" + paid_id + "/refunds", json(key),
       R"({"amount":100,"description":"x"})", 400, "amount"},
      {"refund unknown field", "POST", "/v1/charges/" + paid_id + "/refunds", json(key),
       R"({"description":"x","charge":"ch_1"})", 400, "charge"},
      {"refund metadata", "POST", "/v1/charges/" + paid_id + "/refunds", json(key),
       Json{{"description", "x"}, {"metadata", many}}.dump(), 400, "metadata"},
      {"refund description type", "POST", "/v1/charges/" + paid_id + "/refunds", json(key),
       R"({"description":5})", 400, "description"},
      {"refund malformed", "POST", "/v1/charges/" + paid_id + "/refunds", json(key),
       R"({"description":)"},
      {"refund form duplicate", "POST", "/v1/charges/" + paid_id + "/refunds", form(key),
       "description=a&description=b"},
      {"refund missing charge", "POST", "/v1/charges/ch_000000000000000000000000/refunds",
       json(key), R"({"description":"x"})", 404, "id"},
      {"refund of a product's charge", "POST",
       "/v1/charges/" + product_paid["id"].get<std::string>() + "/refunds", json(key),
       R"({"description":"x"})", 400, "id"},
      {"reverse of a product's charge", "POST",
       "/v1/charges/" + product_open["id"].get<std::string>() + "/reverse", json(key), "{}", 400,
       "id"},
      // GET /v1/charges/{id}/refunds and /{re_id}
      {"refunds limit", "GET", "/v1/charges/" + paid_id + "/refunds?limit=0", bearer(key), "", 400,
       "limit"},
      {"refunds cursor", "GET", "/v1/charges/" + paid_id + "/refunds?starting_after=ch_1",
       bearer(key), "", 400, "starting_after"},
      {"refunds unknown param", "GET", "/v1/charges/" + paid_id + "/refunds?x=1", bearer(key), "",
       400, "x"},
      {"refund missing", "GET", "/v1/charges/" + paid_id + "/refunds/re_000000000000000000000000",
       bearer(key), "", 404, "id"},
      {"refund junk id", "GET", "/v1/charges/" + paid_id + "/refunds/x", bearer(key), "", 404},
      // GET /v1/events/{id}
      {"event missing", "GET", "/v1/events/evt_000000000000000000000000", bearer(key), "", 404,
       "id"},
      {"event junk", "GET", "/v1/events/%2e%2e", bearer(key), "", 404},
      // Unknown routes under /v1
      {"unknown route", "GET", "/v1/customers", bearer(key), "", 404},
      {"unknown method", "DELETE", "/v1/charges/" + open, bearer(key), "", 404},
      // Idempotency-Key
      {"idempotency key too long", "POST", "/v1/charges",
       [&] {
         auto h = json(key);
         h.push_back("Idempotency-Key: " + std::string(300, 'k'));
         return h;
       }(),
       good.dump()},
  };

  // Keys, on every route.
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"POST", "/v1/charges"},
      {"GET", "/v1/charges?app[id]=" + std::string(kApp)},
      {"GET", "/v1/charges/" + paid_id},
      {"POST", "/v1/charges/" + open + "/reverse"},
      {"POST", "/v1/charges/" + paid_id + "/refunds"},
      {"GET", "/v1/charges/" + paid_id + "/refunds"},
      {"GET", "/v1/charges/" + paid_id + "/refunds/" + refunded.json()["id"].get<std::string>()},
      {"GET", "/v1/events/evt_000000000000000000000000"},
  };
  const std::vector<std::pair<std::string, std::vector<std::string>>> bad_keys = {
      {"no key", {}},
      {"empty bearer", {"Authorization: Bearer "}},
      {"malformed key", {"Authorization: Bearer sk_test_short"}},
      {"unknown key", {"Authorization: Bearer sk_test_" + std::string(24, 'Z')}},
      {"revoked key", bearer(revoked_key)},
      {"live key on a test host", bearer(live_key)},
      {"basic with password", {"Authorization: Basic " + sdk::base64_encode(key + ":secret")}},
      {"basic not base64", {"Authorization: Basic %%%"}},
      {"other scheme", {"Authorization: Token " + key}},
      {"huge header", {"Authorization: Bearer " + std::string(4000, 'k')}},
  };
  for (const auto& [method, path] : routes) {
    const std::string body = path == "/v1/charges" ? charge_params("badinput0005").dump()
                             : path.ends_with("/refunds") && method == "POST"
                                 ? R"({"description":"x"})"
                             : method == "POST" ? "{}"
                                                : "";
    for (const auto& [name, headers] : bad_keys) {
      auto h = headers;
      h.push_back("Content-Type: application/json");
      probes.push_back({name, method, path, h, body, 401});
    }
    // The signed app: no signature, a wrong one, a stale timestamp, a forged timestamp.
    const std::string now = std::to_string(std::time(nullptr));
    const std::string stale = std::to_string(std::time(nullptr) - 301);
    auto signed_headers = [&](const std::string& signature, const std::string& timestamp) {
      auto h = bearer(signed_key);
      h.push_back("Content-Type: application/json");
      if (!signature.empty()) h.push_back("Pingplusplus-Signature: " + signature);
      if (!timestamp.empty()) h.push_back("Pingplusplus-Request-Timestamp: " + timestamp);
      return h;
    };
    probes.push_back({"unsigned", method, path, signed_headers("", now), body, 401});
    probes.push_back({"signature of another body", method, path,
                      signed_headers(sign_request(body + " ", path, now), now), body, 401});
    probes.push_back({"stale timestamp", method, path,
                      signed_headers(sign_request(body, path, stale), stale), body, 401});
    probes.push_back({"timestamp not the signed one", method, path,
                      signed_headers(sign_request(body, path, now), stale), body, 401});
    probes.push_back({"signature without timestamp", method, path,
                      signed_headers(sign_request(body, path, now), ""), body, 401});
    probes.push_back({"signature garbage", method, path, signed_headers("!!!", now), body, 401});
  }

  for (const auto& p : probes) {
    const auto r = host.request(p.method, p.path, p.body, p.headers);
    expect_pingpp_error(r, p);
  }
  EXPECT_EQ(tables.snapshot(), before);

  // Controls: the same requests, well formed, do go through (so the refusals above were
  // about what was wrong with them).
  const std::string now = std::to_string(std::time(nullptr));
  auto signed_ok = bearer(signed_key);
  signed_ok.push_back("Pingplusplus-Signature: " +
                      sign_request("", "/v1/charges?app[id]=" + std::string(kSignedApp), now));
  signed_ok.push_back("Pingplusplus-Request-Timestamp: " + now);
  EXPECT_EQ(
      host.request("GET", "/v1/charges?app[id]=" + std::string(kSignedApp), "", signed_ok).status,
      200);
  auto basic = std::vector<std::string>{"Authorization: Basic " + sdk::base64_encode(key + ":")};
  EXPECT_EQ(host.request("GET", "/v1/charges/" + paid_id, "", basic).status, 200);
  const auto by_form = host.request(
      "POST", "/v1/charges",
      "app[id]=" + std::string(kApp) +
          "&channel=testpay&amount=100&order_no=badinput0006&currency=cny&subject=s&body=b"
          "&client_ip=127.0.0.1&metadata[k]=v&extra[note]=n",
      form(key));
  ASSERT_EQ(by_form.status, 200) << by_form.body;
  EXPECT_EQ(by_form.json()["metadata"], (Json{{"k", "v"}}));
  EXPECT_EQ(tables.number("SELECT COUNT(*) FROM charges"),
            tables.number("SELECT COUNT(*) FROM charges WHERE id <> '" +
                          by_form.json()["id"].get<std::string>() + "'") +
                1);
}

TEST_P(PingppBadInput, IdempotencyKeyReplaysAndRefusesAnotherBody) {
  Payhostd host(v1_config(), GetParam());
  const std::string key = create_key(host);
  auto headers = bearer(key);
  headers.push_back("Content-Type: application/json");
  headers.push_back("Idempotency-Key: order-42");
  const std::string body = charge_params("idem00042").dump();
  const auto first = host.request("POST", "/v1/charges", body, headers);
  ASSERT_EQ(first.status, 200) << first.body;
  const auto again = host.request("POST", "/v1/charges", body, headers);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.headers.count("idempotent-replayed"), 1u);
  Tables tables(host);
  EXPECT_EQ(tables.number("SELECT COUNT(*) FROM charges"), 1);
  const auto other =
      host.request("POST", "/v1/charges", charge_params("idem00043").dump(), headers);
  expect_pingpp_error(other, {"same key, other body", "POST", "/v1/charges", {}, "", 400});
  EXPECT_EQ(tables.number("SELECT COUNT(*) FROM charges"), 1);
  // Without the header each request is its own.
  const auto without = host.request("POST", "/v1/charges", charge_params("idem00044").dump(),
                                    {headers[0], headers[1]});
  EXPECT_EQ(without.status, 200);
}

// Ping++'s Node SDK cannot reuse a socket (it writes a body only on `connect`): its
// requests, answers and errors alike, close the connection; other clients keep theirs.
TEST_P(PingppBadInput, NodeSdkIsAnsweredWithClose) {
  Payhostd host(v1_config(), GetParam());
  const std::string key = create_key(host);
  const std::string list = "/v1/charges?app[id]=" + std::string(kApp);
  std::vector<std::string> node = bearer(key);
  node.push_back("User-Agent: Pingpp/v1 NodeBindings/2.1.6");
  for (const std::string& path : {list, std::string("/v1/charges/ch_missing")}) {
    const auto r = host.request("GET", path, "", node);
    EXPECT_EQ(r.headers.count("connection") ? r.headers.at("connection") : "", "close")
        << path << " " << r.status;
    const auto other = host.request("GET", path, "", bearer(key));
    EXPECT_EQ(other.status, r.status);
    EXPECT_NE(other.headers.count("connection") ? other.headers.at("connection") : "", "close")
        << path;
  }
}

TEST_P(PingppBadInput, RateLimitAnswers429InPingppsShape) {
  Payhostd host(v1_config(/*rate_limit=*/2), GetParam());
  const std::string key = create_key(host);
  int limited = 0, ok = 0;
  for (int i = 0; i < 12; ++i) {
    const auto r = host.request("GET", "/v1/charges?app[id]=" + std::string(kApp), "", bearer(key));
    if (r.status == 429) {
      ++limited;
      expect_pingpp_error(r, {"rate limit", "GET", "/v1/charges", {}, "", 429});
    } else {
      EXPECT_EQ(r.status, 200) << r.body;
      ++ok;
    }
  }
  EXPECT_GE(ok, 4);  // the bucket holds two seconds' worth
  EXPECT_GE(limited, 1);
}

// Refused by the listener before any /v1 handler runs (a declared body over
// server.max_body_bytes; a method no route of the path takes): still Ping++'s envelope on
// the API's paths, the host's own elsewhere.
TEST_P(PingppBadInput, RefusalsBeforeRoutingAnswerInPingppsShape) {
  Payhostd host(v1_config(), GetParam());
  const auto ask = [&](const std::string& head) {
    testing::RawConnection c(host.port());
    EXPECT_TRUE(c.send_all(head));
    auto r = c.read_response(std::chrono::seconds(5));
    EXPECT_TRUE(r) << head;
    return r ? *r : testing::RawResponse{};
  };
  const std::string too_big = "Content-Length: 10485760\r\n\r\n";
  for (const std::string path : {"/v1/charges", "/v1/charges/ch_x/refunds", "/v1/events/evt_x"}) {
    SCOPED_TRACE(path);
    const auto r = ask("POST " + path + " HTTP/1.1\r\nHost: t\r\n" + too_big);
    EXPECT_EQ(r.status, 413) << r.body;
    const Json body = Json::parse(r.body, nullptr, false);
    ASSERT_TRUE(body.is_object() && body.size() == 1 && body.contains("error")) << r.body;
    EXPECT_EQ(body["error"].value("type", ""), "invalid_request_error") << r.body;
    EXPECT_NE(body["error"].value("message", "").find("larger than"), std::string::npos);
  }
  const auto options = ask("OPTIONS /v1/charges HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(options.status, 405) << options.body;
  EXPECT_EQ(Json::parse(options.body, nullptr, false)["error"].value("type", ""),
            "invalid_request_error")
      << options.body;
  // Paths of other APIs keep the host's envelope.
  for (const std::string path : {"/notify/testchannel", "/v1/me"}) {
    const auto r = ask("POST " + path + " HTTP/1.1\r\nHost: t\r\n" + too_big);
    EXPECT_EQ(r.status, 413) << r.body;
    EXPECT_FALSE(Json::parse(r.body, nullptr, false).value("message", "").empty()) << r.body;
  }
}

TEST_P(PingppBadInput, ProviderRefusalIs402AndUnknownOutcomeIs500) {
  {
    Payhostd host(config("{create_result: refused}"), GetParam());
    const std::string key = create_key(host);
    auto headers = bearer(key);
    headers.push_back("Content-Type: application/json");
    const auto r = host.request("POST", "/v1/charges", charge_params("refused001").dump(), headers);
    expect_pingpp_error(r, {"provider refusal", "POST", "/v1/charges", {}, "", 402});
    EXPECT_EQ(r.json()["error"]["type"], "channel_error");
    // The refused charge is stored, failed, and listed.
    Tables tables(host);
    EXPECT_EQ(tables.text("SELECT state FROM charges WHERE order_no = 'refused001'"), "failed");
    const auto listed =
        host.request("GET", "/v1/charges?app[id]=" + std::string(kApp), "", bearer(key));
    ASSERT_EQ(listed.status, 200) << listed.body;
    ASSERT_EQ(listed.json()["data"].size(), 1u);
    EXPECT_EQ(listed.json()["data"][0]["order_no"], "refused001");
    EXPECT_EQ(listed.json()["data"][0]["failure_code"].is_string(), true);
  }
  {
    Payhostd host(config("{create_result: unavailable}"), GetParam());
    const std::string key = create_key(host);
    auto headers = bearer(key);
    headers.push_back("Content-Type: application/json");
    const auto r = host.request("POST", "/v1/charges", charge_params("unknown001").dump(), headers);
    // 500, not 502: SDKs repeat a 502, and a repeated create is another order.
    expect_pingpp_error(r, {"unknown outcome", "POST", "/v1/charges", {}, "", 500});
  }
}

TEST_P(PingppBadInput, ReverseOfAChargePaidMeanwhileSettlesItAndRefuses) {
  Payhostd host(v1_config(), GetParam());
  const std::string key = create_key(host);
  auto headers = bearer(key);
  headers.push_back("Content-Type: application/json");
  const auto made =
      host.request("POST", "/v1/charges", charge_params("paidmeanwhile1").dump(), headers);
  ASSERT_EQ(made.status, 200) << made.body;
  const std::string id = made.json()["id"];
  // The provider has the payment; payhost does not know yet. Closing reports it.
  provider_says(host, "paidmeanwhile1",
                Json{{"status", "paid"}, {"amount", 100}, {"transaction_no", "TMEAN1"}});
  const auto reversed = host.request("POST", "/v1/charges/" + id + "/reverse", "{}", headers);
  expect_pingpp_error(reversed, {"reverse of a charge paid meanwhile", "POST", "", {}, "", 400});
  const auto now = host.request("GET", "/v1/charges/" + id, "", bearer(key));
  ASSERT_EQ(now.status, 200);
  EXPECT_EQ(now.json()["paid"], true);
  EXPECT_EQ(now.json()["reversed"], false);
  EXPECT_EQ(now.json()["transaction_no"], "TMEAN1");
}

INSTANTIATE_TEST_SUITE_P(Databases, PingppBadInput, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& p) {
                           return p.param ? "PostgreSQL" : "SQLite";
                         });

}  // namespace
}  // namespace payhost::flow::v1
