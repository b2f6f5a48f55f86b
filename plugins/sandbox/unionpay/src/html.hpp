// The few pages a browser sees from the simulated UnionPay gateway (frontTransReq.do): a
// redirect to the cashier, or a refusal showing respCode and respMsg.
#pragma once

#include <string>

#include "payhost/sdk/http.hpp"

namespace payhost::sandbox_unionpay {

// 302 to `location` (relative), with a link to it in the body.
sdk::HttpResponse redirect_page(const std::string& location);

// `status` page titled by the respCode's text, with
// <code id="respCode">…</code> and <code id="respMsg">…</code>.
sdk::HttpResponse refusal_page(int status, const std::string& resp_code,
                               const std::string& resp_msg);

}  // namespace payhost::sandbox_unionpay
