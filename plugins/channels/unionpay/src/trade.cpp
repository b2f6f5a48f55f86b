#include "trade.hpp"

#include "beijing_time.hpp"
#include "payhost/sdk/money.hpp"
#include "requests.hpp"

namespace payhost::unionpay {
namespace {

using sdk::ErrorKind;
using sdk::make_error;
using sdk::Outcome;

sdk::Error refusal(std::string code, std::string message) {
  return make_error(ErrorKind::invalid_request, std::move(code), std::move(message));
}

sdk::Error unknown_outcome(std::string code, std::string message) {
  return make_error(ErrorKind::unavailable, std::move(code), std::move(message));
}

// The answer's respCode and respMsg as one line for messages.
std::string describe(const Fields& f) {
  return "respCode " + short_text(field_or_empty(f, "respCode")) + " (" +
         short_text(field_or_empty(f, "respMsg")) + ")";
}

sdk::Error refused_by_unionpay(std::string_view what, const Fields& f) {
  const std::string code = short_text(field_or_empty(f, "respCode"));
  return make_error(ErrorKind::channel, "unionpay_" + (code.empty() ? "no_code" : code),
                    std::string(what) + " refused by UnionPay: " + describe(f));
}

// merId, when the answer echoes it, must be ours.
sdk::Status check_merchant(const Fields& f, std::string_view mer_id) {
  const auto echoed = field(f, "merId");
  if (echoed && *echoed != mer_id) {
    return refusal("mer_id_mismatch", "the message is for merchant " + short_text(*echoed) +
                                          ", ours is " + std::string(mer_id));
  }
  return {};
}

sdk::Error as_unknown(std::string_view what, sdk::Error e) {
  e.kind = ErrorKind::unavailable;
  e.message = std::string(what) + ": " + e.message;
  return e;
}

}  // namespace

bool is_in_progress(std::string_view c) {
  return c == "03" || c == "04" || c == "05";
}

bool is_success(std::string_view c) {
  return c == kRespSuccess || c == kRespDefectiveSuccess;
}

sdk::Status check_notification_envelope(const Fields& f) {
  const std::string sign_method = field_or_empty(f, "signMethod");
  if (sign_method != "01") {
    return refusal("unsupported_sign_method",
                   "signMethod \"" + short_text(sign_method) + "\" (this plugin verifies 01)");
  }
  const std::string version = field_or_empty(f, "version");
  if (version != "5.1.0") {
    return refusal("unsupported_version", "version \"" + short_text(version) + "\", not 5.1.0");
  }
  return {};
}

sdk::Result<sdk::TradeStatus> read_paid_trade(const Fields& f) {
  sdk::TradeStatus s;
  s.outcome = Outcome::succeeded;
  s.order_no = field_or_empty(f, "orderId");
  if (!is_valid_order_id(s.order_no)) {
    return refusal("invalid_order_id", "orderId is not 8-40 letters and digits");
  }
  s.transaction_no = field_or_empty(f, "queryId");
  if (!is_valid_query_id(s.transaction_no)) {
    return refusal("invalid_query_id", "a paid trade without a usable queryId");
  }
  const auto amount = sdk::parse_fen(field_or_empty(f, "txnAmt"));
  if (!amount || *amount <= 0) {
    return refusal("invalid_amount", "txnAmt is not a positive amount in fen: \"" +
                                         short_text(field_or_empty(f, "txnAmt")) + "\"");
  }
  s.amount = *amount;
  const auto currency = field(f, "currencyCode");
  if (currency && *currency != "156") {
    return refusal("currency_mismatch", "currencyCode " + short_text(*currency) + ", not 156");
  }
  const auto txn_time = parse_txn_time(field_or_empty(f, "txnTime"));
  if (!txn_time) {
    return refusal("invalid_txn_time", "txnTime is not YYYYMMDDhhmmss: \"" +
                                           short_text(field_or_empty(f, "txnTime")) + "\"");
  }
  s.time_paid = *txn_time;
  if (const auto trace = field(f, "traceTime")) {
    const auto paid = parse_trace_time(*trace, *txn_time);
    if (!paid) {
      return refusal("invalid_trace_time",
                     "traceTime is not MMDDhhmmss: \"" + short_text(*trace) + "\"");
    }
    s.time_paid = *paid;
  }
  return s;
}

sdk::Result<sdk::TradeStatus> read_payment_notification(const Fields& f, std::string_view mer_id) {
  if (auto st = check_notification_envelope(f); !st) return st.error();
  if (!field(f, "merId")) return refusal("mer_id_mismatch", "the notification names no merId");
  if (auto st = check_merchant(f, mer_id); !st) return st.error();
  const std::string txn_type = field_or_empty(f, "txnType");
  if (txn_type != "01") {
    // Refund results (txnType 04) arrive at the same backUrl; refund() and query_refund()
    // learn them by asking.
    return refusal("not_a_payment",
                   "txnType " + short_text(txn_type) + " is not a consume (01) notification");
  }
  const std::string code = field_or_empty(f, "respCode");
  if (!is_success(code)) {
    return refusal("payment_not_successful",
                   "a notification with " + describe(f) + "; UnionPay notifies successes only");
  }
  return read_paid_trade(f);
}

sdk::Result<sdk::TradeStatus> read_query_answer(const Fields& f, const sdk::TradeRef& trade,
                                                std::string_view mer_id, std::int64_t now) {
  const std::string code = field_or_empty(f, "respCode");
  if (code == kRespNoSuchTrade) {
    // UnionPay records a trade only once someone starts paying it. After payTimeout
    // (time_expire) nobody can, so a trade it still does not know is closed.
    sdk::TradeStatus s;
    s.order_no = trade.order_no;
    if (trade.time_expire > 0 && now >= trade.time_expire + kNoSuchTradeMarginSeconds) {
      s.outcome = Outcome::closed;
      s.failure_code = "unionpay_34";
      s.failure_msg = "UnionPay has no such trade and its payTimeout has passed";
    } else {
      s.outcome = Outcome::pending;
    }
    return s;
  }
  if (is_in_progress(code)) return unknown_outcome("unionpay_" + code, "query: " + describe(f));
  if (code != kRespSuccess) return refused_by_unionpay("query", f);
  if (auto st = check_merchant(f, mer_id); !st) return as_unknown("query", st.error());
  if (field_or_empty(f, "orderId") != trade.order_no) {
    return unknown_outcome("order_mismatch", "query: the answer is about orderId " +
                                                 short_text(field_or_empty(f, "orderId")));
  }
  const auto txn_type = field(f, "txnType");
  if (txn_type && *txn_type != "01") {
    return unknown_outcome("not_a_payment",
                           "query: the answer is about txnType " + short_text(*txn_type));
  }
  const std::string orig = field_or_empty(f, "origRespCode");
  sdk::TradeStatus s;
  s.order_no = trade.order_no;
  if (is_success(orig)) {
    auto paid = read_paid_trade(f);
    if (!paid) return as_unknown("query", paid.error());
    return paid;
  }
  if (is_in_progress(orig)) {
    s.outcome = Outcome::pending;
    return s;
  }
  if (orig.empty()) return unknown_outcome("invalid_answer", "query: no origRespCode");
  s.outcome = Outcome::failed;
  s.failure_code = "unionpay_" + short_text(orig);
  s.failure_msg = short_text(field_or_empty(f, "origRespMsg"));
  return s;
}

sdk::Result<sdk::RefundResult> read_refund_answer(const Fields& f,
                                                  const sdk::RefundRequest& request,
                                                  std::string_view mer_id) {
  const std::string code = field_or_empty(f, "respCode");
  if (is_in_progress(code)) return unknown_outcome("unionpay_" + code, "refund: " + describe(f));
  if (code != kRespSuccess) return refused_by_unionpay("refund", f);
  if (auto st = check_merchant(f, mer_id); !st) return as_unknown("refund", st.error());
  const auto order_id = field(f, "orderId");
  if (order_id && *order_id != request.refund_no) {
    return unknown_outcome("refund_mismatch",
                           "refund: the answer is about orderId " + short_text(*order_id));
  }
  sdk::RefundResult r;
  r.outcome = Outcome::pending;  // accepted; the money moves later
  const std::string query_id = field_or_empty(f, "queryId");
  if (is_valid_query_id(query_id)) r.provider_refund_no = query_id;
  return r;
}

sdk::Result<sdk::RefundResult> read_refund_query(const Fields& f, const sdk::RefundRequest& request,
                                                 std::string_view mer_id) {
  const std::string code = field_or_empty(f, "respCode");
  if (code == kRespNoSuchTrade) {
    return make_error(
        ErrorKind::not_found, "refund_not_found",
        "UnionPay has no refund " + request.refund_no + " (send it again with the same refund_no)",
        "refund_no");
  }
  if (is_in_progress(code)) {
    return unknown_outcome("unionpay_" + code, "refund query: " + describe(f));
  }
  if (code != kRespSuccess) return refused_by_unionpay("refund query", f);
  if (auto st = check_merchant(f, mer_id); !st) return as_unknown("refund query", st.error());
  if (field_or_empty(f, "orderId") != request.refund_no) {
    return unknown_outcome("refund_mismatch", "refund query: the answer is about orderId " +
                                                  short_text(field_or_empty(f, "orderId")));
  }
  const auto txn_type = field(f, "txnType");
  if (txn_type && *txn_type != "04") {
    return unknown_outcome("not_a_refund",
                           "refund query: the answer is about txnType " + short_text(*txn_type));
  }
  const std::string orig = field_or_empty(f, "origRespCode");
  sdk::RefundResult r;
  const std::string query_id = field_or_empty(f, "queryId");
  if (is_valid_query_id(query_id)) r.provider_refund_no = query_id;
  if (is_success(orig)) {
    r.outcome = Outcome::succeeded;
  } else if (is_in_progress(orig)) {
    r.outcome = Outcome::pending;
  } else if (orig.empty()) {
    return unknown_outcome("invalid_answer", "refund query: no origRespCode");
  } else {
    r.outcome = Outcome::failed;
  }
  return r;
}

}  // namespace payhost::unionpay
