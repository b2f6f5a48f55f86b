// Synchronous answers as UnionPay sends them: HTTP 200, a raw "k=v&…" body sorted by name,
// with signPubKeyCert (the signing certificate's PEM, \r\n line ends) and a signature over
// every other field, signPubKeyCert included. Refusals are answered the same way, signed,
// with the respCode and the request's well-formed envelope fields echoed.
#pragma once

#include <optional>
#include <string>

#include "acp_signature.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/result.hpp"
#include "sandbox_pki.hpp"
#include "unionpay_sim.hpp"

namespace payhost::sandbox_unionpay {

// `fields` plus signPubKeyCert and signature made with `identity`; nullopt if signing fails.
std::optional<Fields> signed_by(const SigningIdentity& identity, Fields fields);

sdk::HttpResponse signed_answer(const UnionpaySim& sim, Fields fields);

// The envelope fields of `request` that are safe to echo raw (short, printable ASCII, no
// separator or bracket), plus respCode = error.code and respMsg.
Fields refusal_fields(const Fields& request, const sdk::Error& error);
sdk::HttpResponse refusal_answer(const UnionpaySim& sim, const Fields& request,
                                 const sdk::Error& error);

// A storage failure: logged in full, answered respCode 04 (state unknown: query later).
sdk::HttpResponse storage_failure_answer(const UnionpaySim& sim, const Fields& request,
                                         const sdk::Error& error);

}  // namespace payhost::sandbox_unionpay
