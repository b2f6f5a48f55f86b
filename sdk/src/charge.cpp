#include "payhost/sdk/charge.hpp"

namespace payhost::sdk {
namespace {

void append_int(std::string& out, std::int64_t v) {
  append_json(out, Json(v));  // an integer Json holds no allocation: this is to_chars
}

void append_object(std::string& out, const Json& j) {
  if (j.is_object()) {
    append_json(out, j);
  } else {
    out += "{}";
  }
}

// One "key": at a time, keys being literals that need no escaping.
class FieldWriter {
 public:
  explicit FieldWriter(std::string& out) : out_(out) {}
  std::string& operator()(std::string_view key) {
    out_ += first_ ? "{\"" : ",\"";
    first_ = false;
    out_ += key;
    out_ += "\":";
    return out_;
  }
  void close() { out_ += first_ ? "{}" : "}"; }

 private:
  std::string& out_;
  bool first_ = true;
};

void append_bool(std::string& out, bool v) {
  out += v ? "true" : "false";
}

template <class T, class Append>
void append_or_null(std::string& out, const std::optional<T>& v, Append append) {
  if (v) {
    append(out, *v);
  } else {
    out += "null";
  }
}

}  // namespace

const char* to_string(ChargeState state) noexcept {
  switch (state) {
    case ChargeState::pending:
      return "pending";
    case ChargeState::succeeded:
      return "succeeded";
    case ChargeState::failed:
      return "failed";
    case ChargeState::closed:
      return "closed";
  }
  return "pending";
}

std::optional<ChargeState> charge_state_from_string(std::string_view text) noexcept {
  if (text == "pending") return ChargeState::pending;
  if (text == "succeeded") return ChargeState::succeeded;
  if (text == "failed") return ChargeState::failed;
  if (text == "closed") return ChargeState::closed;
  return std::nullopt;
}

std::string to_pingpp_json_text(const Charge& c) {
  return to_pingpp_json_text(c, "[]", false);
}

std::string to_pingpp_json_text(const Charge& c, std::string_view refunds_data,
                                bool refunds_has_more) {
  std::string out;
  out.reserve(1024 + c.subject.size() + c.body.size() + refunds_data.size());
  FieldWriter field(out);
  append_json_string(field("id"), c.id);
  field("object") += "\"charge\"";
  append_int(field("created"), c.created);
  append_bool(field("livemode"), c.livemode);
  append_bool(field("paid"), c.paid());
  append_bool(field("refunded"), c.amount_refunded > 0 && c.amount_refunded >= c.amount);
  append_bool(field("reversed"), c.reversed);
  append_json_string(field("app"), c.app);
  append_json_string(field("channel"), c.channel);
  append_json_string(field("order_no"), c.order_no);
  append_json_string(field("client_ip"), c.client_ip);
  append_int(field("amount"), c.amount);
  append_int(field("amount_settle"), c.amount);
  append_json_string(field("currency"), c.currency);
  append_json_string(field("subject"), c.subject);
  append_json_string(field("body"), c.body);
  append_object(field("extra"), c.extra);
  append_or_null(field("time_paid"), c.time_paid, append_int);
  append_int(field("time_expire"), c.time_expire);
  field("time_settle") += "null";
  append_or_null(field("transaction_no"), c.transaction_no, append_json_string);
  {
    FieldWriter refunds(field("refunds"));
    refunds("object") += "\"list\"";
    append_json_string(refunds("url"), "/v1/charges/" + c.id + "/refunds");
    append_bool(refunds("has_more"), refunds_has_more);
    refunds("data") += refunds_data;
    refunds.close();
  }
  append_int(field("amount_refunded"), c.amount_refunded);
  append_or_null(field("failure_code"), c.failure_code, append_json_string);
  append_or_null(field("failure_msg"), c.failure_msg, append_json_string);
  append_object(field("metadata"), c.metadata);
  {
    FieldWriter credential(field("credential"));
    if (c.state == ChargeState::pending && !c.credential.is_null()) {
      credential("object") += "\"credential\"";
      out += ',';
      append_json_string(out, c.channel);
      out += ':';
      append_json(out, c.credential);
    }
    credential.close();
  }
  if (c.description.empty()) {
    field("description") += "null";
  } else {
    append_json_string(field("description"), c.description);
  }
  field.close();
  return out;
}

Json to_pingpp_json(const Charge& c) {
  return Json::parse(to_pingpp_json_text(c));
}

}  // namespace payhost::sdk
