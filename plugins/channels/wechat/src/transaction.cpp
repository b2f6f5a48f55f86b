#include "transaction.hpp"

#include <algorithm>

#include "rfc3339.hpp"

namespace payhost::wechat {
namespace {

using sdk::ErrorKind;
using sdk::make_error;
using sdk::Outcome;

constexpr std::size_t kMaxShortText = 200;
// No real payment comes near it; a bigger number is not an amount we could have asked for.
constexpr std::int64_t kMaxAmountFen = 10'000'000'000;

sdk::Error invalid(std::string code, std::string message) {
  return make_error(ErrorKind::invalid_request, std::move(code), std::move(message));
}

// A string member; absent -> "", present with another type -> nullopt.
std::optional<std::string> string_member(const sdk::Json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// amount.<name> as fen: absent -> -1, not a non-negative integer -> nullopt.
std::optional<sdk::Fen> amount_member(const sdk::Json& object, const char* name) {
  const auto amount = object.find("amount");
  if (amount == object.end() || amount->is_null()) return -1;
  if (!amount->is_object()) return std::nullopt;
  const auto it = amount->find(name);
  if (it == amount->end() || it->is_null()) return -1;
  if (!it->is_number_integer()) return std::nullopt;
  const auto value = it->get<std::int64_t>();
  if (value < 0 || value > kMaxAmountFen) return std::nullopt;
  return value;
}

}  // namespace

Outcome outcome_from_trade_state(std::string_view s) {
  if (s == "SUCCESS" || s == "REFUND") return Outcome::succeeded;
  if (s == "NOTPAY" || s == "USERPAYING") return Outcome::pending;
  if (s == "CLOSED" || s == "REVOKED") return Outcome::closed;
  if (s == "PAYERROR") return Outcome::failed;
  return Outcome::unknown;
}

Outcome outcome_from_refund_status(std::string_view s) {
  if (s == "SUCCESS") return Outcome::succeeded;
  if (s == "PROCESSING") return Outcome::pending;
  if (s == "CLOSED" || s == "ABNORMAL") return Outcome::failed;
  return Outcome::unknown;
}

std::string short_text(std::string_view text) {
  std::string out;
  out.reserve(std::min(text.size(), kMaxShortText));
  for (const char c : text) {
    if (out.size() == kMaxShortText) break;
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
  }
  if (out.size() < text.size()) {
    // Drop a trailing partial UTF-8 sequence (continuation bytes and their lead byte).
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80)
      out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
  }
  return out;
}

sdk::Result<sdk::TradeStatus> read_transaction(const sdk::Json& tx, const Owner& owner) {
  if (!tx.is_object()) return invalid("invalid_transaction", "the transaction is not an object");
  const auto mchid = string_member(tx, "mchid");
  const auto appid = string_member(tx, "appid");
  const auto out_trade_no = string_member(tx, "out_trade_no");
  const auto transaction_id = string_member(tx, "transaction_id");
  const auto trade_state = string_member(tx, "trade_state");
  const auto trade_state_desc = string_member(tx, "trade_state_desc");
  const auto success_time = string_member(tx, "success_time");
  if (!mchid || !appid || !out_trade_no || !transaction_id || !trade_state || !trade_state_desc ||
      !success_time) {
    return invalid("invalid_transaction", "a transaction field is not a string");
  }
  if (*mchid != owner.mchid) {
    return invalid("mchid_mismatch", "the transaction is for merchant " + short_text(*mchid) +
                                         ", ours is " + owner.mchid);
  }
  if (std::find(owner.app_ids.begin(), owner.app_ids.end(), *appid) == owner.app_ids.end()) {
    return invalid("app_id_mismatch", "the transaction is for app " + short_text(*appid) +
                                          ", not one configured for this kind of payment");
  }
  if (out_trade_no->empty()) return invalid("invalid_transaction", "no out_trade_no");

  sdk::TradeStatus status;
  status.outcome = outcome_from_trade_state(*trade_state);
  status.order_no = *out_trade_no;
  status.transaction_no = *transaction_id;
  const auto amount = amount_member(tx, "total");
  if (!amount) return invalid("invalid_transaction", "amount.total is not an amount in fen");
  status.amount = *amount;
  if (tx.contains("payer")) {
    const sdk::Json& payer = tx.at("payer");
    if (!payer.is_object()) return invalid("invalid_transaction", "payer is not an object");
    const auto openid = string_member(payer, "openid");
    if (!openid) return invalid("invalid_transaction", "payer.openid is not a string");
    status.payer_account = *openid;
  }
  if (status.outcome == Outcome::succeeded) {
    if (status.transaction_no.empty()) {
      return invalid("invalid_transaction", "a paid transaction without transaction_id");
    }
    if (status.amount < 0)
      return invalid("invalid_transaction", "a paid transaction without amount.total");
    const auto paid = parse_rfc3339(*success_time);
    if (!paid) {
      return invalid("invalid_success_time",
                     "success_time is not an RFC 3339 time: " + short_text(*success_time));
    }
    status.time_paid = *paid;
  } else if (status.outcome == Outcome::failed || status.outcome == Outcome::closed) {
    status.failure_code = *trade_state;
    status.failure_msg = short_text(*trade_state_desc);
  }
  return status;
}

sdk::Result<sdk::RefundResult> read_refund(const sdk::Json& refund, std::string_view refund_no) {
  if (!refund.is_object()) return invalid("invalid_refund", "the refund is not an object");
  const auto out_refund_no = string_member(refund, "out_refund_no");
  const auto refund_id = string_member(refund, "refund_id");
  const auto status = string_member(refund, "status");
  if (!out_refund_no || !refund_id || !status) {
    return invalid("invalid_refund", "a refund field is not a string");
  }
  if (*out_refund_no != refund_no) {
    return invalid("refund_mismatch", "the answer is about refund " + short_text(*out_refund_no));
  }
  sdk::RefundResult result;
  result.outcome = outcome_from_refund_status(*status);
  result.provider_refund_no = *refund_id;
  // The Refund object gives this refund's amount, not the trade's refunded total.
  result.refunded_total = -1;
  return result;
}

}  // namespace payhost::wechat
