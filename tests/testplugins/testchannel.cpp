// A channel plugin for testing the host, not shipped. Its "provider" is a directory of
// JSON files (one per order) that tests write to say what the provider would answer, and
// its notifications are JSON signed with HMAC-SHA256.
//
// Refunds are scripted the same way, per charge: `<charge order_no>.refund.json` says what
// the provider does with the next refund of that charge (no file: it refunds):
//   {"status": "ok" | "refused" | "error" | "pending" | "timeout",
//    "code": "...", "message": "...",   // refused (an answer saying failed) / error (an error)
//    "then": "ok" | "pending" | "none", // timeout: what the provider did meanwhile (default ok)
//    "query": "ok" | "refused" | "pending" | "timeout" | "not_found"}  // forces query_refund
// The provider keeps what it decided per refund number in `<refund_no>.refund-record.json`
// and answers a repeated refund (same number) from it; a pending one is decided again
// from the script by the next refund or query. Every call is logged, one line each, in
// `<charge order_no>.refund-calls`: "refund <refund_no> <amount>" or "query <refund_no>".
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
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
    namespace option = sdk::option;
    return {
        option::string("merchant_id", "app id the notifications must carry")
            .with_default("test-merchant"),
        option::string("secret", "HMAC-SHA256 key of notifications")
            .with_default("testchannel-secret")
            .as_secret(),
        option::integer("expiry_seconds", "default expiry of its charges")
            .with_default(86400)
            .in_range(0, 864000),
        option::string("create_result", "what create() answers")
            .with_default("ok")
            .one_of({"ok", "unavailable", "refused"}),
        option::boolean("refund_query",
                        "whether it declares refund_query (without it the host asks by "
                        "refunding again)")
            .with_default(true),
    };
  }

  std::vector<sdk::ChannelSpec> channel_specs() const override {
    return {{"testpay", "test payments", expiry_, {}, {}},
            {"testpay_wap", "test payments needing a return URL", expiry_, {"success_url"}, {}}};
  }
  sdk::Capabilities capabilities() const override { return {true, true, true, refund_query_}; }
  std::string merchant_app_id() const override { return merchant_; }

 protected:
  sdk::Status do_start(const sdk::Options& options, sdk::Host& host) override {
    merchant_ = options.get_string("merchant_id");
    secret_ = options.get_string("secret");
    expiry_ = options.get_int("expiry_seconds");
    create_result_ = options.get_string("create_result");
    refund_query_ = options.get_bool("refund_query", true);
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

  Result<sdk::RefundResult> do_refund(const sdk::RefundRequest& r) override {
    if (auto bad_no = check_refund_no(r.refund_no)) return *bad_no;
    log_call(r.trade.order_no, "refund " + r.refund_no + " " + std::to_string(r.amount));
    const Json record = read_json(refund_record_path(r.refund_no));
    if (!record.is_null()) {
      if (record.value("amount", static_cast<sdk::Fen>(-1)) != r.amount) {
        return sdk::make_error(ErrorKind::invalid_request, "REFUND_NO_REUSED",
                               "refund number already used for another amount");
      }
      if (record.value("status", "") != "pending") return from_record(r.refund_no, record);
    }
    return decide(r);
  }

  Result<sdk::RefundResult> do_query_refund(const sdk::RefundRequest& r) override {
    if (auto bad_no = check_refund_no(r.refund_no)) return *bad_no;
    log_call(r.trade.order_no, "query " + r.refund_no);
    const Json script = refund_script(r.trade.order_no);
    const std::string forced = script.value("query", "");
    if (forced == "not_found") {
      return sdk::make_error(ErrorKind::not_found, "REFUND_NOT_EXIST", "no such refund");
    }
    if (forced == "timeout") {
      return sdk::make_error(ErrorKind::unavailable, "timeout", "provider timed out");
    }
    if (forced == "ok" || forced == "refused" || forced == "pending") {
      Json decided = script;
      decided["status"] = forced;
      return record_decision(r, decided);
    }
    const Json record = read_json(refund_record_path(r.refund_no));
    if (record.is_null()) {
      return sdk::make_error(ErrorKind::not_found, "REFUND_NOT_EXIST", "no such refund");
    }
    if (record.value("status", "") != "pending") return from_record(r.refund_no, record);
    return decide(r);
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
  Json read_state(const std::string& order_no) const { return read_json(state_path(order_no)); }

  static Json read_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) return nullptr;
    std::stringstream ss;
    ss << in.rdbuf();
    Json j = Json::parse(ss.str(), nullptr, false);
    return j.is_discarded() ? Json(nullptr) : j;
  }

  // Refund numbers name files here: letters and digits only, as the host makes them.
  static std::optional<sdk::Error> check_refund_no(const std::string& refund_no) {
    const bool alnum =
        !refund_no.empty() && refund_no.size() <= 64 &&
        std::all_of(refund_no.begin(), refund_no.end(), [](char c) {
          return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        });
    if (alnum) return std::nullopt;
    return sdk::make_error(ErrorKind::invalid_request, "BAD_REFUND_NO", "refund_no is malformed");
  }
  std::string refund_record_path(const std::string& refund_no) const {
    return (fs::path(state_dir_) / (refund_no + ".refund-record.json")).string();
  }
  Json refund_script(const std::string& order_no) const {
    const Json script = read_json((fs::path(state_dir_) / (order_no + ".refund.json")).string());
    return script.is_object() ? script : Json{{"status", "ok"}};
  }
  void log_call(const std::string& order_no, const std::string& line) {
    const std::string path = (fs::path(state_dir_) / (order_no + ".refund-calls")).string();
    std::lock_guard lock(call_log_mutex_);
    std::ofstream(path, std::ios::app) << line + "\n" << std::flush;
  }

  // What the script says about this refund now, remembered under its number.
  Result<sdk::RefundResult> decide(const sdk::RefundRequest& r) {
    return record_decision(r, refund_script(r.trade.order_no));
  }

  Result<sdk::RefundResult> record_decision(const sdk::RefundRequest& r, const Json& script) {
    const std::string status = script.value("status", "ok");
    const std::string code = script.value("code", "REFUND_REFUSED");
    const std::string message = script.value("message", "the provider refused the refund");
    Json record{{"order_no", r.trade.order_no}, {"amount", r.amount}};
    if (status == "timeout") {
      const std::string then = script.value("then", "ok");
      if (then != "none") {
        record["status"] = then == "pending" ? "pending" : "succeeded";
        write_record(r.refund_no, record);
      }
      return sdk::make_error(ErrorKind::unavailable, "timeout", "provider timed out");
    }
    if (status == "error") {
      record["status"] = "failed";
      record["code"] = code;
      record["message"] = message;
      write_record(r.refund_no, record);
      return sdk::make_error(ErrorKind::channel, code, message);
    }
    if (status == "refused") {
      record["status"] = "failed";
      record["code"] = code;
      record["message"] = message;
    } else {
      record["status"] = status == "pending" ? "pending" : "succeeded";
    }
    write_record(r.refund_no, record);
    return from_record(r.refund_no, record);
  }

  void write_record(const std::string& refund_no, const Json& record) const {
    std::ofstream(refund_record_path(refund_no)) << record.dump();
  }

  static sdk::RefundResult from_record(const std::string& refund_no, const Json& record) {
    sdk::RefundResult out;
    const std::string status = record.value("status", "");
    if (status == "succeeded") {
      out.outcome = Outcome::succeeded;
      out.provider_refund_no = "TR" + refund_no;
    } else if (status == "failed") {
      out.outcome = Outcome::failed;
      out.failure_code = record.value("code", "");
      out.failure_msg = record.value("message", "");
    } else {
      out.outcome = Outcome::pending;
    }
    return out;
  }

  std::string merchant_;
  std::string secret_;
  std::int64_t expiry_ = 86400;
  std::string create_result_;
  bool refund_query_ = true;
  std::string state_dir_;
  std::mutex call_log_mutex_;
};

}  // namespace payhost::testchannel

PAYHOST_REGISTER_PLUGIN(PAYHOST_PLUGIN_CHANNEL, "testchannel", "0.1.0",
                        "Test channel: file-backed provider, HMAC-signed JSON notifications",
                        payhost::testchannel::TestChannel);
