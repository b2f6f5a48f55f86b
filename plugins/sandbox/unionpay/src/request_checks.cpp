#include "request_checks.hpp"

#include <strings.h>

#include <initializer_list>

#include "beijing_time.hpp"
#include "resp_codes.hpp"

namespace payhost::sandbox_unionpay {
namespace {

const std::string& value_of(const Fields& fields, const char* name) {
  static const std::string kEmpty;
  const auto it = fields.find(name);
  return it == fields.end() ? kEmpty : it->second;
}

sdk::Status require(const Fields& fields, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (value_of(fields, name).empty()) {
      return acp_error(kRespMissing, std::string(name) + " is missing");
    }
  }
  return {};
}

sdk::Status expect(const Fields& fields, const char* name,
                   std::initializer_list<const char*> allowed) {
  const std::string& value = value_of(fields, name);
  std::string listed;
  for (const char* a : allowed) {
    if (value == a) return {};
    listed += listed.empty() ? a : std::string(" or ") + a;
  }
  return acp_error(kRespFormat, std::string(name) + " must be " + listed);
}

bool digits(const std::string& s, std::size_t min, std::size_t max) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool alnum(const std::string& s, std::size_t min, std::size_t max) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!ok) return false;
  }
  return true;
}

sdk::Status check_order_id(const Fields& fields) {
  if (!alnum(value_of(fields, "orderId"), 8, 40)) {
    return acp_error(kRespFormat, "orderId must be 8-40 letters and digits");
  }
  return {};
}

sdk::Result<std::int64_t> check_txn_time(const Fields& fields) {
  const auto unix = parse_beijing_digits(value_of(fields, "txnTime"));
  if (!unix) return acp_error(kRespFormat, "txnTime must be Beijing time YYYYMMDDhhmmss");
  return *unix;
}

sdk::Result<sdk::Fen> check_amount(const Fields& fields) {
  const std::string& text = value_of(fields, "txnAmt");
  if (!digits(text, 1, 12) || text[0] == '0') {
    return acp_error(kRespFormat, "txnAmt must be fen as digits without a leading 0 (1-12)");
  }
  return static_cast<sdk::Fen>(std::stoll(text));
}

sdk::Status check_url(const Fields& fields, const char* name) {
  if (!absolute_http_url(value_of(fields, name))) {
    return acp_error(kRespFormat, std::string(name) + " must be an absolute http(s) URL");
  }
  return {};
}

sdk::Status check_text(const Fields& fields, const char* name, std::size_t max) {
  if (value_of(fields, name).size() > max) {
    return acp_error(kRespFormat, std::string(name) + " is longer than " + std::to_string(max));
  }
  return {};
}

std::int64_t distance(std::int64_t a, std::int64_t b) {
  return a > b ? a - b : b - a;
}

sdk::Error window_error(const UnionpaySim& sim, const std::string& txn_time, std::int64_t now) {
  return acp_error(kRespTimeRange, "txnTime " + txn_time + " is not within " +
                                       std::to_string(sim.options.txn_time_window_seconds) +
                                       " s of the server time " + beijing_digits(now));
}

}  // namespace

bool absolute_http_url(const std::string& url) {
  std::size_t scheme = 0;
  if (url.rfind("https://", 0) == 0) {
    scheme = 8;
  } else if (url.rfind("http://", 0) == 0) {
    scheme = 7;
  } else {
    return false;
  }
  if (url.size() == scheme || url.size() > 2048) return false;
  const char first = url[scheme];
  if (first == '/' || first == '?' || first == '#' || first == ':') return false;
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\') return false;
  }
  return true;
}

sdk::Status check_envelope(const UnionpaySim& sim, const Fields& fields) {
  if (auto s =
          require(fields, {"version", "encoding", "signMethod", "merId", "certId", "signature"});
      !s.ok()) {
    return s;
  }
  if (auto s = expect(fields, "version", {"5.1.0"}); !s.ok()) return s;
  if (strcasecmp(value_of(fields, "encoding").c_str(), "UTF-8") != 0) {
    return acp_error(kRespFormat, "encoding must be UTF-8");
  }
  if (auto s = expect(fields, "signMethod", {"01"}); !s.ok()) return s;
  if (value_of(fields, "merId") != sim.options.mer_id) {
    return acp_error(kRespMerchantState,
                     "merId " + value_of(fields, "merId") + " is not a merchant of this sandbox");
  }
  if (value_of(fields, "certId") != sim.pki.merchant_cert_id) {
    return acp_error(kRespSignature, "certId " + value_of(fields, "certId") +
                                         " is not the serial of merId " + sim.options.mer_id +
                                         "'s signing certificate");
  }
  if (!verify_fields(sim.pki.merchant_public_key, fields, value_of(fields, "signature"))) {
    return acp_error(kRespSignature,
                     "signature does not verify with the merchant certificate over the sorted "
                     "non-empty fields (SHA-256 hex, then RSA-SHA256)");
  }
  return {};
}

sdk::Result<ConsumeRequest> check_consume(const UnionpaySim& sim, const Fields& fields,
                                          Endpoint endpoint, std::int64_t now, bool check_window) {
  if (auto s = check_envelope(sim, fields); !s.ok()) return s.error();
  const bool front = endpoint == Endpoint::front;
  if (auto s = require(fields, {"txnType", "txnSubType", "bizType", "channelType", "accessType",
                                "orderId", "txnTime", "txnAmt", "currencyCode", "backUrl"});
      !s.ok()) {
    return s.error();
  }
  if (front) {
    if (auto s = require(fields, {"frontUrl"}); !s.ok()) return s.error();
  }
  for (const auto& status :
       {expect(fields, "txnType", {"01"}), expect(fields, "txnSubType", {"01"}),
        front ? expect(fields, "bizType", {"000201"})
              : expect(fields, "bizType", {"000201", "000802"}),
        front ? expect(fields, "channelType", {"07", "08"}) : expect(fields, "channelType", {"08"}),
        expect(fields, "accessType", {"0"}), check_order_id(fields),
        expect(fields, "currencyCode", {"156"}), check_url(fields, "backUrl"),
        check_text(fields, "orderDesc", 256), check_text(fields, "reqReserved", 1024)}) {
    if (!status.ok()) return status.error();
  }
  if (!value_of(fields, "frontUrl").empty()) {
    if (auto s = check_url(fields, "frontUrl"); !s.ok()) return s.error();
  }
  auto txn_unix = check_txn_time(fields);
  if (!txn_unix.ok()) return txn_unix.error();
  auto amount = check_amount(fields);
  if (!amount.ok()) return amount.error();

  ConsumeRequest out;
  out.pay_timeout = value_of(fields, "payTimeout");
  if (!out.pay_timeout.empty()) {
    const auto expires = parse_beijing_digits(out.pay_timeout);
    if (!expires || *expires <= *txn_unix) {
      return acp_error(kRespFormat, "payTimeout must be Beijing time YYYYMMDDhhmmss after txnTime");
    }
    out.expires_at = *expires;
  }
  if (check_window && distance(*txn_unix, now) >= sim.options.txn_time_window_seconds) {
    // The buyer may post a front form later than the merchant made it, while the order
    // has not timed out.
    const bool pending_front =
        front && out.expires_at > now && *txn_unix < now + sim.options.txn_time_window_seconds;
    if (!pending_front) return window_error(sim, value_of(fields, "txnTime"), now);
  }
  out.order_id = value_of(fields, "orderId");
  out.txn_time = value_of(fields, "txnTime");
  out.txn_unix = *txn_unix;
  out.amount = *amount;
  out.channel_type = value_of(fields, "channelType");
  out.biz_type = value_of(fields, "bizType");
  out.currency_code = value_of(fields, "currencyCode");
  out.back_url = value_of(fields, "backUrl");
  out.front_url = value_of(fields, "frontUrl");
  out.order_desc = value_of(fields, "orderDesc");
  out.req_reserved = value_of(fields, "reqReserved");
  out.digest = sha256_hex(signing_string(fields));
  return out;
}

sdk::Result<QueryRequest> check_query(const UnionpaySim& sim, const Fields& fields) {
  if (auto s = check_envelope(sim, fields); !s.ok()) return s.error();
  if (auto s =
          require(fields, {"txnType", "txnSubType", "bizType", "accessType", "orderId", "txnTime"});
      !s.ok()) {
    return s.error();
  }
  for (const auto& status :
       {expect(fields, "txnType", {"00"}), expect(fields, "txnSubType", {"00"}),
        expect(fields, "bizType", {"000000"}), expect(fields, "accessType", {"0"}),
        check_order_id(fields)}) {
    if (!status.ok()) return status.error();
  }
  auto txn_unix = check_txn_time(fields);
  if (!txn_unix.ok()) return txn_unix.error();
  return QueryRequest{value_of(fields, "orderId"), value_of(fields, "txnTime")};
}

sdk::Result<RefundRequest> check_refund(const UnionpaySim& sim, const Fields& fields,
                                        std::int64_t now) {
  if (auto s = check_envelope(sim, fields); !s.ok()) return s.error();
  if (auto s = require(fields, {"txnType", "txnSubType", "bizType", "accessType", "orderId",
                                "txnTime", "txnAmt", "origQryId", "backUrl"});
      !s.ok()) {
    return s.error();
  }
  for (const auto& status :
       {expect(fields, "txnType", {"04"}), expect(fields, "txnSubType", {"00"}),
        expect(fields, "bizType", {"000201"}), expect(fields, "accessType", {"0"}),
        check_order_id(fields), check_url(fields, "backUrl"),
        check_text(fields, "reqReserved", 1024)}) {
    if (!status.ok()) return status.error();
  }
  if (!value_of(fields, "channelType").empty()) {
    if (auto s = expect(fields, "channelType", {"07", "08"}); !s.ok()) return s.error();
  }
  if (!value_of(fields, "currencyCode").empty()) {
    if (auto s = expect(fields, "currencyCode", {"156"}); !s.ok()) return s.error();
  }
  if (!digits(value_of(fields, "origQryId"), 21, 21)) {
    return acp_error(kRespFormat, "origQryId must be the 21-digit queryId of the payment");
  }
  auto txn_unix = check_txn_time(fields);
  if (!txn_unix.ok()) return txn_unix.error();
  if (distance(*txn_unix, now) >= sim.options.txn_time_window_seconds) {
    return window_error(sim, value_of(fields, "txnTime"), now);
  }
  auto amount = check_amount(fields);
  if (!amount.ok()) return amount.error();
  RefundRequest out;
  out.order_id = value_of(fields, "orderId");
  out.txn_time = value_of(fields, "txnTime");
  out.amount = *amount;
  out.orig_query_id = value_of(fields, "origQryId");
  out.back_url = value_of(fields, "backUrl");
  out.req_reserved = value_of(fields, "reqReserved");
  return out;
}

}  // namespace payhost::sandbox_unionpay
