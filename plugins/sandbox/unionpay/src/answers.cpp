#include "answers.hpp"

#include "acp_form.hpp"
#include "resp_codes.hpp"

namespace payhost::sandbox_unionpay {
namespace {

bool safe_to_echo(const std::string& value) {
  if (value.empty() || value.size() > 64) return false;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '&' || c == '=' || c == '[' || c == ']' || c == '{' ||
        c == '}') {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<Fields> signed_by(const SigningIdentity& identity, Fields fields) {
  fields.erase("signature");
  fields["signPubKeyCert"] = identity.certificate_pem_crlf;
  auto signature = sign_fields(identity.key, fields);
  if (!signature) return std::nullopt;
  fields["signature"] = std::move(*signature);
  return fields;
}

sdk::HttpResponse signed_answer(const UnionpaySim& sim, Fields fields) {
  auto signed_fields = signed_by(sim.pki.unionpay, std::move(fields));
  if (!signed_fields) {
    sim.host.logger().error("sandbox_unionpay: signing an answer failed");
    return sdk::HttpResponse::text(500, "sandbox_unionpay: signing the answer failed");
  }
  return sdk::HttpResponse::text(200, raw_answer(*signed_fields), "text/plain; charset=UTF-8");
}

Fields refusal_fields(const Fields& request, const sdk::Error& error) {
  Fields out;
  for (const char* name :
       {"version", "encoding", "signMethod", "txnType", "txnSubType", "bizType", "accessType",
        "channelType", "merId", "orderId", "txnTime", "txnAmt", "currencyCode", "origQryId"}) {
    const auto it = request.find(name);
    if (it != request.end() && safe_to_echo(it->second)) out[name] = it->second;
  }
  out["respCode"] = error.code;
  out["respMsg"] = resp_msg(error.code, error.message);
  return out;
}

sdk::HttpResponse refusal_answer(const UnionpaySim& sim, const Fields& request,
                                 const sdk::Error& error) {
  return signed_answer(sim, refusal_fields(request, error));
}

sdk::HttpResponse storage_failure_answer(const UnionpaySim& sim, const Fields& request,
                                         const sdk::Error& error) {
  sim.host.logger().error("sandbox_unionpay: storage failed: " + error.message);
  return refusal_answer(sim, request,
                        acp_error(kRespUnknown, "the sandbox could not read or write its trade"));
}

}  // namespace payhost::sandbox_unionpay
