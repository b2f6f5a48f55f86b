#include "notification.hpp"

#include <utility>
#include <vector>

#include "answers.hpp"
#include "beijing_time.hpp"
#include "payhost/sdk/encoding.hpp"
#include "random_ids.hpp"

namespace payhost::sandbox_unionpay {
namespace {

std::string form_body(const Fields& fields) {
  std::vector<std::pair<std::string, std::string>> pairs(fields.begin(), fields.end());
  return sdk::form_encode(pairs);
}

std::optional<std::string> signed_body(const SigningIdentity& identity, Fields fields) {
  auto signed_fields = signed_by(identity, std::move(fields));
  if (!signed_fields) return std::nullopt;
  return form_body(*signed_fields);
}

}  // namespace

std::optional<Tamper> tamper_from_string(std::string_view name) {
  if (name == "foreign_cn") return Tamper::foreign_cn;
  if (name == "expired") return Tamper::expired;
  if (name == "outside_chain") return Tamper::outside_chain;
  if (name == "amount") return Tamper::amount;
  if (name == "signature") return Tamper::signature;
  if (name == "mer_id") return Tamper::mer_id;
  if (name == "unknown_order") return Tamper::unknown_order;
  return std::nullopt;
}

const char* tamper_names() {
  return "foreign_cn, expired, outside_chain, amount, signature, mer_id, unknown_order";
}

Fields notification_fields(const Trade& trade, std::int64_t now) {
  const std::string when = beijing_digits(now);
  Fields f;
  f["accessType"] = "0";
  f["bizType"] = trade.biz_type;
  f["currencyCode"] = trade.currency_code;
  f["encoding"] = "UTF-8";
  f["merId"] = trade.mer_id;
  f["orderId"] = trade.order_id;
  f["queryId"] = trade.query_id;
  f["respCode"] = "00";
  f["respMsg"] = "success";
  f["settleAmt"] = std::to_string(trade.amount);
  f["settleCurrencyCode"] = "156";
  f["settleDate"] = trade.settle_date.empty() ? when.substr(4, 4) : trade.settle_date;
  f["signMethod"] = "01";
  f["traceNo"] = trade.trace_no;
  f["traceTime"] = trade.trace_time.empty() ? when.substr(4, 10) : trade.trace_time;
  f["txnAmt"] = std::to_string(trade.amount);
  f["txnSubType"] = "01";
  f["txnTime"] = trade.txn_time;
  f["txnType"] = "01";
  f["version"] = "5.1.0";
  if (!trade.req_reserved.empty()) f["reqReserved"] = trade.req_reserved;
  return f;
}

std::optional<std::string> notification_body(const UnionpaySim& sim, const Trade& trade,
                                             std::int64_t now) {
  return signed_body(sim.pki.unionpay, notification_fields(trade, now));
}

std::optional<std::string> tampered_notification_body(const UnionpaySim& sim, const Trade& trade,
                                                      Tamper tamper, std::int64_t now) {
  Fields fields = notification_fields(trade, now);
  switch (tamper) {
    case Tamper::foreign_cn:
      return signed_body(sim.pki.foreign, std::move(fields));
    case Tamper::expired:
      return signed_body(sim.pki.expired, std::move(fields));
    case Tamper::outside_chain:
      return signed_body(sim.pki.outsider, std::move(fields));
    case Tamper::amount:
      fields["txnAmt"] = std::to_string(trade.amount + 1);
      fields["settleAmt"] = std::to_string(trade.amount + 1);
      return signed_body(sim.pki.unionpay, std::move(fields));
    case Tamper::mer_id:
      // Another merchant number of the same shape, never the simulator's own.
      fields["merId"] = trade.mer_id == "777290058100000" ? "777290058100001" : "777290058100000";
      return signed_body(sim.pki.unionpay, std::move(fields));
    case Tamper::unknown_order:
      fields["orderId"] = "unknown" + random_digits(17);
      return signed_body(sim.pki.unionpay, std::move(fields));
    case Tamper::signature: {
      auto signed_fields = signed_by(sim.pki.unionpay, std::move(fields));
      if (!signed_fields) return std::nullopt;
      auto raw = sdk::base64_decode((*signed_fields)["signature"]);
      if (!raw || raw->empty()) return std::nullopt;
      (*raw)[raw->size() / 2] = static_cast<char>((*raw)[raw->size() / 2] ^ 0x01);
      (*signed_fields)["signature"] = sdk::base64_encode(*raw);
      return form_body(*signed_fields);
    }
  }
  return std::nullopt;
}

}  // namespace payhost::sandbox_unionpay
