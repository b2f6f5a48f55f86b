// A channel plugin for testing the host, not shipped. Its "provider" is a directory of
// JSON files (one per order) that tests write to say what the provider would answer, and
// its notifications are JSON signed with HMAC-SHA256.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "payhost/sdk/sdk.hpp"

namespace payhost::testchannel {

namespace fs = std::filesystem;
using sdk::ErrorKind;
using sdk::Json;
using sdk::Outcome;
using sdk::Result;

class TestChannel final : public sdk::ChannelPlugin {
 public:
  std::vector<sdk::OptionSpec> option_specs() const override {
    return {
        {"merchant_id", sdk::OptionType::string, "test-merchant", false, false,
         "app id the notifications must carry"},
        {"secret", sdk::OptionType::string, "testchannel-secret", false, true,
         "HMAC-SHA256 key of notifications"},
        {"expiry_seconds",
         sdk::OptionType::integer,
         86400,
         false,
         false,
         "default expiry of its charges",
         {},
         0,
         864000},
        {"create_result",
         sdk::OptionType::string,
         "ok",
         false,
         false,
         "what create() answers",
         {"ok", "unavailable", "refused"}},
    };
  }

  std::vector<sdk::ChannelSpec> channel_specs() const override {
    return {{"testpay", "test payments", expiry_, {}, {}},
            {"testpay_wap", "test payments needing a return URL", expiry_, {"success_url"}, {}}};
  }
  sdk::Capabilities capabilities() const override { return {true, false, false}; }
  std::string merchant_app_id() const override { return merchant_; }

 protected:
  sdk::Status do_start(const sdk::Options& options, sdk::Host& host) override {
    merchant_ = options.get_string("merchant_id");
    secret_ = options.get_string("secret");
    expiry_ = options.get_int("expiry_seconds");
    create_result_ = options.get_string("create_result");
    state_dir_ = (fs::path(host.data_dir()) / "testchannel").string();
    fs::create_directories(state_dir_);
    return {};
  }

  Result<sdk::CreateResult> do_create(const sdk::CreateRequest& r) override {
    if (create_result_ == "unavailable") {
      return sdk::make_error(ErrorKind::unavailable, "timeout", "provider timed out");
    }
    if (create_result_ == "refused") {
      return sdk::make_error(ErrorKind::channel, "REFUSED", "provider refused the order");
    }
    return sdk::CreateResult{Json{{"order_no", r.order_no},
                                  {"amount", r.amount},
                                  {"notify_url", r.notify_url},
                                  {"expire", r.time_expire}}};
  }

  Result<sdk::TradeStatus> do_verify_notification(const sdk::HttpRequest& request) override {
    const Json body = sdk::parse_json(request.body);
    if (!body.is_object()) return bad("not_json", "body is not JSON");
    for (const char* key : {"order_no", "app_id", "status", "transaction_no", "signature"}) {
      if (!body.contains(key) || !body[key].is_string()) return bad("malformed", key);
    }
    if (!body.contains("amount") || !body["amount"].is_number_integer()) {
      return bad("malformed", "amount");
    }
    const std::string signed_text = signing_text(body);
    const std::string expected = sdk::hex_lower(sdk::crypto::hmac_sha256(secret_, signed_text));
    if (!sdk::crypto::constant_time_equals(expected, body["signature"].get<std::string>())) {
      return bad("bad_signature", "signature does not verify");
    }
    sdk::TradeStatus s;
    s.order_no = body["order_no"];
    s.amount = body["amount"];
    s.app_id = body["app_id"];
    s.transaction_no = body["transaction_no"];
    s.payer_account = body.value("payer", "");
    s.outcome = outcome_of(body["status"]);
    return s;
  }

  sdk::HttpResponse do_notification_reply(bool accepted) const override {
    return sdk::HttpResponse::json(accepted ? 200 : 400, Json{{"ok", accepted}});
  }

  Result<sdk::TradeStatus> do_query(const sdk::TradeRef& trade) override {
    const Json state = read_state(trade.order_no);
    sdk::TradeStatus s;
    s.order_no = trade.order_no;
    if (state.is_null()) {
      s.outcome = Outcome::pending;
      return s;
    }
    if (state.value("status", "") == "timeout") {
      return sdk::make_error(ErrorKind::unavailable, "timeout", "provider timed out");
    }
    s.outcome = outcome_of(state.value("status", "pending"));
    s.amount = state.value("amount", static_cast<sdk::Fen>(-1));
    s.transaction_no = state.value("transaction_no", "");
    s.payer_account = state.value("payer", "");
    return s;
  }

  Result<sdk::TradeStatus> do_close(const sdk::TradeRef& trade) override {
    const Json state = read_state(trade.order_no);
    if (!state.is_null() && state.value("status", "") == "paid") return do_query(trade);
    std::ofstream(state_path(trade.order_no)) << Json{{"status", "closed"}}.dump();
    sdk::TradeStatus s;
    s.order_no = trade.order_no;
    s.outcome = Outcome::closed;
    return s;
  }

 private:
  static sdk::Error bad(const std::string& code, const std::string& message) {
    return sdk::make_error(ErrorKind::invalid_request, code, message);
  }
  static std::string signing_text(const Json& b) {
    return b["order_no"].get<std::string>() + "|" + std::to_string(b["amount"].get<long long>()) +
           "|" + b["app_id"].get<std::string>() + "|" + b["status"].get<std::string>() + "|" +
           b["transaction_no"].get<std::string>();
  }
  static Outcome outcome_of(const std::string& status) {
    if (status == "paid") return Outcome::succeeded;
    if (status == "closed") return Outcome::closed;
    if (status == "failed") return Outcome::failed;
    if (status == "pending") return Outcome::pending;
    return Outcome::unknown;  // as a real channel reports a status it cannot read
  }
  std::string state_path(const std::string& order_no) const {
    return (fs::path(state_dir_) / (order_no + ".json")).string();
  }
  Json read_state(const std::string& order_no) const {
    std::ifstream in(state_path(order_no));
    if (!in) return nullptr;
    std::stringstream ss;
    ss << in.rdbuf();
    Json j = Json::parse(ss.str(), nullptr, false);
    return j.is_discarded() ? Json(nullptr) : j;
  }

  std::string merchant_;
  std::string secret_;
  std::int64_t expiry_ = 86400;
  std::string create_result_;
  std::string state_dir_;
};

}  // namespace payhost::testchannel

PAYHOST_REGISTER_PLUGIN(PAYHOST_PLUGIN_CHANNEL, "testchannel", "0.1.0",
                        "Test channel: file-backed provider, HMAC-signed JSON notifications",
                        payhost::testchannel::TestChannel);
