#include "alipay_wire.hpp"

#include <algorithm>
#include <array>

#include "beijing_time.hpp"
#include "payhost/sdk/encoding.hpp"
#include "random_ids.hpp"

namespace payhost::sandbox_alipay::alipay {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

std::string get(const Params& params, const std::string& key) {
  auto it = params.find(key);
  return it == params.end() ? std::string() : it->second;
}

bool present(const Params& params, const std::string& key) {
  return !get(params, key).empty();
}

// Code points, not bytes: Alipay's length limits count characters (subjects are Chinese).
std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// A string field of biz_content: absent -> empty; present but not a string -> nullopt.
std::optional<std::string> biz_string(const sdk::Json& biz, const char* key) {
  auto it = biz.find(key);
  if (it == biz.end() || it->is_null()) return std::string();
  if (!it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// The common request parameters Alipay knows; the simulator accepts no others.
constexpr std::array<std::string_view, 14> kRequestParameters = {
    "app_id",      "method",
    "format",      "return_url",
    "charset",     "sign_type",
    "sign",        "timestamp",
    "version",     "notify_url",
    "biz_content", "app_auth_token",
    "app_cert_sn", "alipay_root_cert_sn"};

bool known_request_parameter(std::string_view name) {
  return std::find(kRequestParameters.begin(), kRequestParameters.end(), name) !=
         kRequestParameters.end();
}

// "&<known name>=" inside a value is where another split of the signed string could
// begin; URLs and JSON may hold any other '&' or '='.
std::optional<std::string> resplit_point(const std::string& value) {
  for (auto amp = value.find('&'); amp != std::string::npos; amp = value.find('&', amp + 1)) {
    const auto eq = value.find('=', amp + 1);
    if (eq == std::string::npos) break;
    const std::string_view name = std::string_view(value).substr(amp + 1, eq - amp - 1);
    if (known_request_parameter(name)) return std::string(name);
  }
  return std::nullopt;
}

// A request whose signed string could be read as another parameter set: unknown names,
// or a value holding "&<known name>=". Empty values are not signed, so they are ignored.
std::optional<GatewayError> ambiguous_request(const Params& params) {
  for (const auto& [key, value] : params) {
    if (value.empty()) continue;  // not part of the signed string
    if (!known_request_parameter(key)) {
      return invalid_parameter("isv.invalid-parameter", "未知参数 (unknown parameter): " + key);
    }
    if (const auto name = resplit_point(value)) {
      return invalid_parameter("isv.invalid-parameter", "参数无效 " + key + " (contains \"&" +
                                                            *name +
                                                            "=\", which makes the "
                                                            "signed string ambiguous)");
    }
  }
  return std::nullopt;
}

GatewayError missing_biz(const char* field) {
  return missing_parameter("isv.missing-parameter",
                           std::string("缺少必选参数 ") + field + " (missing " + field + ")");
}

GatewayError invalid_biz(const char* field, const std::string& why) {
  return invalid_parameter("isv.invalid-parameter",
                           std::string("参数无效 ") + field + " (" + why + ")");
}

}  // namespace

Params to_params(const Fields& fields) {
  Params out;
  for (const auto& [k, v] : fields)
    out.insert_or_assign(k, v);
  return out;
}

std::string canonical_string(const Params& params, SignScope scope) {
  std::string out;
  for (const auto& [key, value] : params) {
    if (value.empty() || key == "sign") continue;
    if (scope == SignScope::notification && key == "sign_type") continue;
    if (!out.empty()) out += '&';
    out += key;
    out += '=';
    out += value;
  }
  return out;
}

GatewayError missing_parameter(std::string sub_code, std::string sub_msg) {
  return {"40001", "Missing Required Arguments", std::move(sub_code), std::move(sub_msg)};
}

GatewayError invalid_parameter(std::string sub_code, std::string sub_msg) {
  return {"40002", "Invalid Arguments", std::move(sub_code), std::move(sub_msg)};
}

GatewayError business_failure(std::string sub_code, std::string sub_msg) {
  return {"40004", "Business Failed", std::move(sub_code), std::move(sub_msg)};
}

sdk::Json error_node(const GatewayError& error) {
  return sdk::Json{{"code", error.code},
                   {"msg", error.msg},
                   {"sub_code", error.sub_code},
                   {"sub_msg", error.sub_msg}};
}

std::string response_node_name(std::string_view method) {
  std::string out(method);
  std::replace(out.begin(), out.end(), '.', '_');
  return out + "_response";
}

std::string alipay_json_text(const sdk::Json& node) {
  const std::string compact = node.dump(-1, ' ', false, sdk::Json::error_handler_t::replace);
  // JSON has no '/' outside strings, so escaping every one only touches string contents.
  std::string out;
  out.reserve(compact.size() + 16);
  for (char c : compact) {
    if (c == '/') out += '\\';
    out += c;
  }
  return out;
}

std::optional<std::string> signed_envelope(std::string_view node_name, const sdk::Json& node,
                                           const rsa::Key& platform_private_key) {
  const std::string text = alipay_json_text(node);
  const auto sign = rsa::sign_base64(platform_private_key, text);
  if (!sign) return std::nullopt;
  std::string out = "{\"";
  out += node_name;
  out += "\":";
  out += text;
  out += ",\"sign\":\"";
  out += *sign;
  out += "\"}";
  return out;
}

std::optional<Method> method_from_name(std::string_view name) {
  if (name == "alipay.trade.precreate") return Method::precreate;
  if (name == "alipay.trade.query") return Method::query;
  if (name == "alipay.trade.close") return Method::close;
  if (name == "alipay.trade.refund") return Method::refund;
  if (name == "alipay.trade.wap.pay") return Method::wap_pay;
  if (name == "alipay.trade.page.pay") return Method::page_pay;
  if (name == "alipay.trade.app.pay") return Method::app_pay;
  return std::nullopt;
}

const char* method_name(Method method) {
  switch (method) {
    case Method::precreate:
      return "alipay.trade.precreate";
    case Method::query:
      return "alipay.trade.query";
    case Method::close:
      return "alipay.trade.close";
    case Method::refund:
      return "alipay.trade.refund";
    case Method::wap_pay:
      return "alipay.trade.wap.pay";
    case Method::page_pay:
      return "alipay.trade.page.pay";
    case Method::app_pay:
      return "alipay.trade.app.pay";
  }
  return "";
}

bool gateway_method(Method method) {
  return method != Method::app_pay;
}

bool browser_method(Method method) {
  return method == Method::wap_pay || method == Method::page_pay;
}

std::optional<GatewayError> check_request(const Params& params, const RequestCheck& check) {
  if (!present(params, "app_id")) return missing_parameter("isv.missing-app-id", "缺少AppID参数");
  if (!present(params, "method")) return missing_parameter("isv.missing-method", "缺少方法名参数");
  if (!method_from_name(get(params, "method"))) {
    return invalid_parameter("isv.invalid-method", "不存在的方法名: " + get(params, "method"));
  }
  if (!present(params, "sign")) return missing_parameter("isv.missing-signature", "缺少签名参数");
  if (!present(params, "sign_type")) {
    return missing_parameter("isv.missing-signature-type", "缺少签名类型参数");
  }
  if (get(params, "sign_type") != "RSA2") {
    return invalid_parameter("isv.invalid-signature-type",
                             "无效的签名类型 (only RSA2 is accepted): " + get(params, "sign_type"));
  }
  if (!present(params, "timestamp")) {
    return missing_parameter("isv.missing-timestamp", "缺少时间戳参数");
  }
  const auto timestamp = parse_beijing(get(params, "timestamp"));
  if (!timestamp) {
    return invalid_parameter(
        "isv.invalid-timestamp",
        "非法的时间戳参数 (want yyyy-MM-dd HH:mm:ss, Beijing time): " + get(params, "timestamp"));
  }
  if (check.window_seconds > 0) {
    const std::int64_t skew = *timestamp - check.now;
    if (skew > check.window_seconds || -skew > check.window_seconds) {
      return invalid_parameter("isv.invalid-timestamp",
                               "时间戳超出允许范围 (" + std::to_string(skew) +
                                   " s from the gateway's clock " + format_beijing(check.now) +
                                   ", window " + std::to_string(check.window_seconds) + " s)");
    }
  }
  if (!present(params, "version")) return missing_parameter("isv.missing-version", "缺少版本参数");
  if (get(params, "version") != "1.0") {
    return invalid_parameter("isv.invalid-version", "版本号不正确: " + get(params, "version"));
  }
  if (!present(params, "charset")) return missing_parameter("isv.missing-charset", "缺少编码参数");
  if (!iequals(get(params, "charset"), "utf-8")) {
    return invalid_parameter(
        "isv.invalid-charset",
        "字符集不合法 (the simulator speaks utf-8 only): " + get(params, "charset"));
  }
  if (present(params, "format") && !iequals(get(params, "format"), "json")) {
    return invalid_parameter("isv.invalid-format", "无效的数据格式: " + get(params, "format"));
  }
  if (get(params, "app_id") != check.app_id) {
    return invalid_parameter("isv.invalid-app-id", "无效的AppID参数: " + get(params, "app_id"));
  }
  if (auto ambiguous = ambiguous_request(params)) return ambiguous;
  const std::string content = canonical_string(params, SignScope::request);
  if (!rsa::verify_base64(check.merchant_public_key, content, get(params, "sign"))) {
    // Alipay echoes the string it checked; it holds no secret and saves hours of guessing.
    return invalid_parameter(
        "isv.invalid-signature",
        "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：" +
            content);
  }
  return std::nullopt;
}

std::optional<sdk::Fen> parse_amount(std::string_view text) {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  const auto all_digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || whole.size() > 9 || !all_digits(whole)) return std::nullopt;
  if (dot != std::string_view::npos &&
      (fraction.empty() || fraction.size() > 2 || !all_digits(fraction))) {
    return std::nullopt;
  }
  sdk::Fen fen = 0;
  for (char c : whole)
    fen = fen * 10 + (c - '0');
  fen *= 100;
  if (fraction.size() >= 1) fen += (fraction[0] - '0') * 10;
  if (fraction.size() == 2) fen += fraction[1] - '0';
  if (fen < 1 || fen > sdk::Fen{10000000000}) return std::nullopt;
  return fen;
}

bool valid_out_trade_no(std::string_view text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Checked<sdk::Json> parse_biz_content(const Params& params) {
  if (!present(params, "biz_content")) return missing_biz("biz_content");
  sdk::Json biz = sdk::parse_json(get(params, "biz_content"));
  if (biz.is_discarded() || !biz.is_object()) {
    return invalid_biz("biz_content", "not a JSON object");
  }
  return biz;
}

bool is_web_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return false;
  const std::string_view scheme = url.substr(0, scheme_end);
  if (!iequals(scheme, "http") && !iequals(scheme, "https")) return false;
  const std::string_view rest = url.substr(scheme_end + 3);
  const auto host_end = rest.find_first_of("/?#");
  if (rest.substr(0, host_end).empty()) return false;
  return std::none_of(url.begin(), url.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b <= 0x20 || b == 0x7F || c == '"' || c == '<' || c == '>' || c == '\\';
  });
}

Checked<PayOrder> parse_pay_order(Method method, const Params& params) {
  auto biz = parse_biz_content(params);
  if (!biz.ok()) return biz.error();
  const sdk::Json& b = biz.value();
  PayOrder order;
  order.method = method;
  order.notify_url = get(params, "notify_url");
  order.return_url = get(params, "return_url");
  if (!order.return_url.empty() && !is_web_url(order.return_url)) {
    return invalid_parameter("isv.invalid-parameter",
                             "参数无效 return_url (an absolute http or https URL)");
  }

  const auto out_trade_no = biz_string(b, "out_trade_no");
  if (!out_trade_no) return invalid_biz("out_trade_no", "must be a string");
  if (out_trade_no->empty()) return missing_biz("out_trade_no");
  if (!valid_out_trade_no(*out_trade_no)) {
    return invalid_biz("out_trade_no", "1-64 letters, digits or _");
  }
  order.out_trade_no = *out_trade_no;

  const auto total = biz_string(b, "total_amount");
  if (!total) return invalid_biz("total_amount", "must be a string of yuan");
  if (total->empty()) return missing_biz("total_amount");
  const auto amount = parse_amount(*total);
  if (!amount)
    return invalid_biz("total_amount", "want ^\\d{1,9}(\\.\\d{1,2})?$ in 0.01..100000000");
  order.amount = *amount;

  const auto subject = biz_string(b, "subject");
  if (!subject) return invalid_biz("subject", "must be a string");
  if (subject->empty()) return missing_biz("subject");
  if (utf8_length(*subject) > 256) return invalid_biz("subject", "longer than 256 characters");
  if (subject->find_first_of("/=&") != std::string::npos) {
    return invalid_biz("subject", "must not contain / = or &");
  }
  order.subject = *subject;

  const auto product_code = biz_string(b, "product_code");
  if (!product_code) return invalid_biz("product_code", "must be a string");
  const char* expected = nullptr;
  bool required = false;
  switch (method) {
    case Method::wap_pay:
      expected = "QUICK_WAP_WAY";
      required = true;
      break;
    case Method::page_pay:
      expected = "FAST_INSTANT_TRADE_PAY";
      required = true;
      break;
    case Method::app_pay:
      expected = "QUICK_MSECURITY_PAY";
      break;
    case Method::precreate:
      expected = "FACE_TO_FACE_PAYMENT";
      break;
    default:
      break;
  }
  if (expected != nullptr) {
    if (product_code->empty() && required) return missing_biz("product_code");
    if (!product_code->empty() && *product_code != expected) {
      return invalid_biz("product_code",
                         std::string("want ") + expected + " for " + method_name(method));
    }
  }
  return order;
}

Checked<TradeKey> parse_trade_key(const sdk::Json& biz) {
  TradeKey key;
  const auto out_trade_no = biz_string(biz, "out_trade_no");
  const auto trade_no = biz_string(biz, "trade_no");
  if (!out_trade_no) return invalid_biz("out_trade_no", "must be a string");
  if (!trade_no) return invalid_biz("trade_no", "must be a string");
  if (out_trade_no->empty() && trade_no->empty()) return missing_biz("out_trade_no or trade_no");
  if (!out_trade_no->empty() && !valid_out_trade_no(*out_trade_no)) {
    return invalid_biz("out_trade_no", "1-64 letters, digits or _");
  }
  if (trade_no->size() > 64) return invalid_biz("trade_no", "longer than 64 characters");
  key.out_trade_no = *out_trade_no;
  key.trade_no = *trade_no;
  return key;
}

Checked<RefundOrder> parse_refund(const sdk::Json& biz) {
  auto key = parse_trade_key(biz);
  if (!key.ok()) return key.error();
  RefundOrder refund;
  refund.key = key.value();
  const auto amount_text = biz_string(biz, "refund_amount");
  if (!amount_text) return invalid_biz("refund_amount", "must be a string of yuan");
  if (amount_text->empty()) return missing_biz("refund_amount");
  const auto amount = parse_amount(*amount_text);
  if (!amount) {
    return invalid_biz("refund_amount", "want ^\\d{1,9}(\\.\\d{1,2})?$ in 0.01..100000000");
  }
  refund.amount = *amount;
  const auto request_no = biz_string(biz, "out_request_no");
  if (!request_no) return invalid_biz("out_request_no", "must be a string");
  if (request_no->size() > 64) return invalid_biz("out_request_no", "longer than 64 characters");
  refund.out_request_no = !request_no->empty()               ? *request_no
                          : !refund.key.out_trade_no.empty() ? refund.key.out_trade_no
                                                             : refund.key.trade_no;
  const auto reason = biz_string(biz, "refund_reason");
  refund.reason = reason ? *reason : std::string();
  return refund;
}

Checked<Params> parse_order_string(std::string_view text) {
  Params out;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) {
      return invalid_parameter("isv.invalid-parameter",
                               "order string pair without '=': " + std::string(pair));
    }
    const auto key = sdk::url_decode(pair.substr(0, eq));
    const auto value = sdk::url_decode(pair.substr(eq + 1));
    if (!key || !value) {
      return invalid_parameter("isv.invalid-parameter",
                               "malformed percent-escape in order string: " + std::string(pair));
    }
    if (!out.emplace(*key, *value).second) {
      return invalid_parameter("isv.invalid-parameter", "duplicate order string key: " + *key);
    }
  }
  return out;
}

Checked<Params> params_from_credential(const sdk::Json& credential) {
  if (!credential.is_object()) {
    return invalid_parameter("isv.invalid-parameter", "the credential is not an object");
  }
  Params out;
  for (const auto& [key, value] : credential.items()) {
    if (key == "channel_url" || value.is_null()) continue;
    if (value.is_string()) {
      out.emplace(key, value.get<std::string>());
    } else if (value.is_primitive()) {
      out.emplace(key, value.dump());
    } else {
      return invalid_parameter("isv.invalid-parameter",
                               "credential field " + key + " is not a string");
    }
  }
  return out;
}

Fields notification_fields(const NotifyTrade& t) {
  const std::string total = sdk::format_yuan(t.amount);
  const std::string fund_bill_list =
      "[{\"amount\":\"" + total + "\",\"fundChannel\":\"ALIPAYACCOUNT\"}]";
  Fields f = {
      {"gmt_create", format_beijing(t.gmt_create)},
      {"charset", "utf-8"},
      {"subject", t.subject},
      {"buyer_id", t.buyer_id},
      {"invoice_amount", total},
      {"notify_id", t.notify_id},
      {"fund_bill_list", fund_bill_list},
      {"notify_type", "trade_status_sync"},
      {"trade_status", t.trade_status},
      {"receipt_amount", total},
      {"app_id", t.app_id},
      {"buyer_pay_amount", total},
      {"seller_id", t.seller_id},
      {"gmt_payment", t.gmt_payment > 0 ? format_beijing(t.gmt_payment) : std::string()},
      {"notify_time", format_beijing(t.notify_time)},
      {"version", "1.0"},
      {"out_trade_no", t.out_trade_no},
      {"total_amount", total},
      {"trade_no", t.trade_no},
      {"auth_app_id", t.app_id},
      {"buyer_logon_id", t.buyer_logon_id},
      {"point_amount", "0.00"},
  };
  if (t.refunded > 0) f.emplace_back("refund_fee", sdk::format_yuan(t.refunded));
  std::erase_if(f, [](const auto& kv) { return kv.second.empty(); });
  return f;
}

bool sign_notification(Fields& fields, const rsa::Key& platform_private_key) {
  std::erase_if(fields,
                [](const auto& kv) { return kv.first == "sign" || kv.first == "sign_type"; });
  const auto sign = rsa::sign_base64(platform_private_key,
                                     canonical_string(to_params(fields), SignScope::notification));
  if (!sign) return false;
  // The real gateway puts sign and sign_type mid-form; so do we, to catch verifiers that
  // assume they come last.
  const auto at = std::min<std::size_t>(fields.size(), 3);
  fields.insert(fields.begin() + static_cast<std::ptrdiff_t>(at), {"sign", *sign});
  fields.emplace_back("sign_type", "RSA2");
  return true;
}

std::optional<Tamper> tamper_from_string(std::string_view text) {
  if (text == "amount") return Tamper::amount;
  if (text == "app_id") return Tamper::app_id;
  if (text == "signature") return Tamper::signature;
  if (text == "unknown_order") return Tamper::unknown_order;
  return std::nullopt;
}

void tamper_before_signing(NotifyTrade& trade, Tamper tamper) {
  switch (tamper) {
    case Tamper::amount:
      trade.amount += 1;
      break;
    case Tamper::app_id:
      trade.app_id = std::string(kForeignAppId);
      break;
    case Tamper::unknown_order:
      trade.out_trade_no = "SBXUNKNOWN" + random_digits(16);
      trade.trade_no = make_trade_no(trade.notify_time);
      break;
    case Tamper::signature:
      break;
  }
}

std::string corrupt_signature(std::string_view signature_b64) {
  auto bytes = sdk::base64_decode(signature_b64);
  if (!bytes || bytes->empty()) return "AAAA";
  (*bytes)[bytes->size() / 2] = static_cast<char>((*bytes)[bytes->size() / 2] ^ 0x5A);
  return sdk::base64_encode(*bytes);
}

Fields return_fields(Method method, const NotifyTrade& trade, std::int64_t now) {
  return Fields{
      {"charset", "utf-8"},
      {"out_trade_no", trade.out_trade_no},
      {"method", std::string(method_name(method)) + ".return"},
      {"total_amount", sdk::format_yuan(trade.amount)},
      {"trade_no", trade.trade_no},
      {"auth_app_id", trade.app_id},
      {"version", "1.0"},
      {"app_id", trade.app_id},
      {"seller_id", trade.seller_id},
      {"timestamp", format_beijing(now)},
  };
}

}  // namespace payhost::sandbox_alipay::alipay
