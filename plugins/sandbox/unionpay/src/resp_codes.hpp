// The respCodes the simulated UnionPay answers with, from ACP's code table as the official
// SDK copies and wrappers list it (see README.md: which refusal gets which code is partly
// inferred). Errors inside the simulator carry the respCode as sdk::Error::code and the
// detail as its message.
#pragma once

#include <string>

#include "payhost/sdk/result.hpp"

namespace payhost::sandbox_unionpay {

inline constexpr const char* kRespSuccess = "00";   // 成功
inline constexpr const char* kRespFailed = "01";    // 交易失败
inline constexpr const char* kRespUnknown = "04";   // 交易状态未明，请查询对账结果
inline constexpr const char* kRespAccepted = "05";  // 交易已受理，请稍后查询交易结果
inline constexpr const char* kRespFormat = "10";    // 报文格式错误
inline constexpr const char* kRespSignature = "11";      // 验证签名失败
inline constexpr const char* kRespDuplicate = "12";      // 重复交易
inline constexpr const char* kRespMissing = "13";        // 报文交易要素缺失
inline constexpr const char* kRespMerchantState = "31";  // 商户状态不正确
inline constexpr const char* kRespAmountLimit = "33";    // 交易金额超限
inline constexpr const char* kRespNoSuchTrade = "34";    // 查无此交易
inline constexpr const char* kRespOriginalState = "35";  // 原交易不存在或状态不正确
inline constexpr const char* kRespTimeRange = "39";      // 交易不在受理时间范围内

// The table's Chinese text for `code` ("通用错误" for codes not listed above).
const char* resp_text(const std::string& code);

// respMsg as UnionPay writes it, "<text>[<detail>]": the detail sanitised so the raw answer
// still splits one way ('&', '=', brackets, braces and controls become spaces).
std::string resp_msg(const std::string& code, const std::string& detail);

// An ACP refusal: kind invalid_request, code = respCode, message = detail.
sdk::Error acp_error(const char* resp_code, std::string detail);

}  // namespace payhost::sandbox_unionpay
