#include "payment_token.hpp"

namespace payhost::wallet {
namespace {

// UnionPay's tn is 21 digits; anything else is not kept (the column is shown to clients).
constexpr std::size_t kMaxTokenLength = 64;

bool is_unionpay_app(std::string_view channel) {
  return channel == "applepay_upacp" || channel == "upacp";
}

bool plain_token(const std::string& text) {
  if (text.empty() || text.size() > kMaxTokenLength) return false;
  for (const char c : text) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!alnum) return false;
  }
  return true;
}

}  // namespace

std::string payment_token(std::string_view channel, const sdk::Json& credential) {
  if (!is_unionpay_app(channel) || !credential.is_object()) return "";
  const auto tn = credential.find("tn");
  if (tn == credential.end() || !tn->is_string()) return "";
  const std::string& text = tn->get_ref<const std::string&>();
  return plain_token(text) ? text : "";
}

}  // namespace payhost::wallet
