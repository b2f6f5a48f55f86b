#include "resp_codes.hpp"

namespace payhost::sandbox_unionpay {

const char* resp_text(const std::string& code) {
  static const std::pair<const char*, const char*> kTable[] = {
      {"00", "成功"},
      {"01", "交易失败"},
      {"04", "交易状态未明，请查询对账结果"},
      {"05", "交易已受理，请稍后查询交易结果"},
      {"10", "报文格式错误"},
      {"11", "验证签名失败"},
      {"12", "重复交易"},
      {"13", "报文交易要素缺失"},
      {"31", "商户状态不正确"},
      {"33", "交易金额超限"},
      {"34", "查无此交易"},
      {"35", "原交易不存在或状态不正确"},
      {"39", "交易不在受理时间范围内"},
  };
  for (const auto& [known, text] : kTable) {
    if (code == known) return text;
  }
  return "通用错误";
}

std::string resp_msg(const std::string& code, const std::string& detail) {
  std::string clean;
  clean.reserve(detail.size());
  for (char c : detail) {
    const auto u = static_cast<unsigned char>(c);
    const bool unsafe = u < 0x20 || u == 0x7F || c == '&' || c == '=' || c == '[' || c == ']' ||
                        c == '{' || c == '}';
    clean += unsafe ? ' ' : c;
  }
  return std::string(resp_text(code)) + "[" + clean + "]";
}

sdk::Error acp_error(const char* resp_code, std::string detail) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, resp_code, std::move(detail));
}

}  // namespace payhost::sandbox_unionpay
