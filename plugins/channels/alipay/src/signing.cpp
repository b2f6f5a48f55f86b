#include "signing.hpp"

#include <algorithm>

#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/http.hpp"

namespace payhost::alipay {
namespace {

using sdk::ErrorKind;
using sdk::make_error;

constexpr std::string_view kBeginCertificate = "-----BEGIN CERTIFICATE-----";
constexpr std::string_view kEndCertificate = "-----END CERTIFICATE-----";

// The SDK parser refuses trailing data after the first DER structure, and Alipay's
// "alipayCertPublicKey_RSA2.crt" downloads may carry the issuing chain after the leaf.
std::string_view first_certificate(std::string_view text) {
  const auto begin = text.find(kBeginCertificate);
  if (begin == std::string_view::npos) return text;
  const auto end = text.find(kEndCertificate, begin);
  if (end == std::string_view::npos) return text;
  return text.substr(begin, end + kEndCertificate.size() - begin);
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// A tiny scanner over raw JSON text. It never builds values; it only finds where they
// begin and end.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_]))
      ++pos_;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  bool consume(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  std::size_t pos() const { return pos_; }

  // A string starting at the current '"'; returns its raw contents (escapes untouched).
  std::optional<std::string_view> string() {
    if (!consume('"')) return std::nullopt;
    const std::size_t start = pos_;
    while (!at_end()) {
      const char c = text_[pos_];
      if (c == '\\') {
        pos_ += 2;  // the escaped character can be '"' or '\\'; skip it either way
        continue;
      }
      if (c == '"') {
        const std::string_view contents = text_.substr(start, pos_ - start);
        ++pos_;
        return contents;
      }
      ++pos_;
    }
    return std::nullopt;
  }

  // Skips one value of any type; false when the text is not well-formed enough to tell
  // where it ends.
  bool skip_value() {
    const char c = peek();
    if (c == '"') return string().has_value();
    if (c == '{' || c == '[') return skip_container();
    const std::size_t start = pos_;
    while (!at_end() && !is_space(peek()) && peek() != ',' && peek() != '}' && peek() != ']') {
      ++pos_;
    }
    return pos_ > start;
  }

 private:
  // Counts brackets outside strings only: a '}' inside "sub_msg" must not end the object.
  bool skip_container() {
    std::vector<char> expected;
    while (!at_end()) {
      const char c = peek();
      if (c == '"') {
        if (!string()) return false;
        continue;
      }
      ++pos_;
      if (c == '{') {
        expected.push_back('}');
      } else if (c == '[') {
        expected.push_back(']');
      } else if (c == '}' || c == ']') {
        if (expected.empty() || expected.back() != c) return false;
        expected.pop_back();
        if (expected.empty()) return true;
      }
    }
    return false;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

bool is_parameter_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

sdk::Error unavailable(std::string code, std::string message) {
  return make_error(ErrorKind::unavailable, std::move(code), std::move(message));
}

// Decodes a raw JSON string value (between and including its quotes).
std::optional<std::string> decode_json_string(std::string_view raw) {
  const sdk::Json value = sdk::parse_json(raw);
  if (!value.is_string()) return std::nullopt;
  return value.get<std::string>();
}

std::string describe_unsigned(const sdk::Json& node) {
  auto field = [&](const char* name) {
    return node.is_object() && node.contains(name) && node[name].is_string()
               ? node[name].get<std::string>()
               : std::string();
  };
  std::string out = "code=" + field("code");
  if (!field("sub_code").empty()) out += " sub_code=" + field("sub_code");
  if (!field("sub_msg").empty()) out += " (" + field("sub_msg") + ")";
  return out;
}

}  // namespace

sdk::Result<sdk::crypto::PrivateKey> load_private_key(std::string_view text) {
  return sdk::crypto::PrivateKey::parse(text);
}

sdk::Result<sdk::crypto::PublicKey> load_public_key(std::string_view text) {
  return sdk::crypto::PublicKey::parse(first_certificate(text));
}

std::string sign_content(const Params& params, const std::vector<std::string_view>& excluded) {
  std::vector<const std::pair<std::string, std::string>*> kept;
  kept.reserve(params.size());
  for (const auto& p : params) {
    if (p.second.empty()) continue;
    if (std::find(excluded.begin(), excluded.end(), p.first) != excluded.end()) continue;
    kept.push_back(&p);
  }
  // std::string compares through char_traits<char>, i.e. as unsigned bytes: the byte order
  // Alipay's Java TreeMap produces for the ASCII names it uses.
  std::stable_sort(kept.begin(), kept.end(),
                   [](const auto* a, const auto* b) { return a->first < b->first; });
  std::string out;
  for (const auto* p : kept) {
    if (!out.empty()) out += '&';
    out += p->first;
    out += '=';
    out += p->second;
  }
  return out;
}

std::string request_sign_content(const Params& params) {
  return sign_content(params, {"sign"});
}

sdk::Result<std::string> rsa2_sign(const sdk::crypto::PrivateKey& key, std::string_view content) {
  auto raw = sdk::crypto::rsa_sha256_sign(key, content);
  if (!raw) return raw.error();
  return sdk::base64_encode(*raw);
}

bool rsa2_verify(const sdk::crypto::PublicKey& key, std::string_view content,
                 std::string_view signature_base64) {
  const auto raw = sdk::base64_decode(signature_base64);
  if (!raw || raw->empty()) return false;
  return sdk::crypto::rsa_sha256_verify(key, content, *raw);
}

sdk::Result<Params> sign_request(const sdk::crypto::PrivateKey& key, const Params& params) {
  Params out;
  for (const auto& p : params) {
    if (!p.second.empty() && p.first != "sign") out.push_back(p);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  auto signature = rsa2_sign(key, request_sign_content(out));
  if (!signature) return signature.error();
  out.emplace_back("sign", std::move(*signature));
  return out;
}

std::string order_string(const Params& params) {
  return sdk::form_encode(params);
}

MemberText find_member(std::string_view body, std::string_view name) {
  Scanner s(body);
  MemberText result;
  s.skip_space();
  if (!s.consume('{')) return {MemberLookup::malformed, {}};
  s.skip_space();
  if (s.consume('}')) return result;
  while (true) {
    s.skip_space();
    const auto key = s.string();
    if (!key) return {MemberLookup::malformed, {}};
    s.skip_space();
    if (!s.consume(':')) return {MemberLookup::malformed, {}};
    s.skip_space();
    const std::size_t start = s.pos();
    if (!s.skip_value()) return {MemberLookup::malformed, {}};
    // Raw key comparison: Alipay never escapes its ASCII member names, and an escaped
    // spelling of the same name is rejected as a duplicate below rather than ignored.
    if (*key == name) {
      if (result.status == MemberLookup::found) return {MemberLookup::duplicate, {}};
      result = {MemberLookup::found, body.substr(start, s.pos() - start)};
    }
    s.skip_space();
    if (s.consume(',')) continue;
    if (s.consume('}')) break;
    return {MemberLookup::malformed, {}};
  }
  s.skip_space();
  if (!s.at_end()) return {MemberLookup::malformed, {}};
  return result;
}

std::string response_node_name(std::string_view method) {
  std::string node(method);
  std::replace(node.begin(), node.end(), '.', '_');
  return node + "_response";
}

sdk::Result<VerifiedResponse> verify_response(std::string_view body, std::string_view method,
                                              const sdk::crypto::PublicKey& alipay_key) {
  const std::string node_name = response_node_name(method);
  MemberText node = find_member(body, node_name);
  if (node.status == MemberLookup::absent) node = find_member(body, "error_response");
  if (node.status == MemberLookup::malformed) {
    return unavailable("malformed_response", "Alipay answered with malformed JSON");
  }
  if (node.status == MemberLookup::duplicate) {
    return unavailable("malformed_response", "Alipay answer repeats " + node_name);
  }
  if (node.status == MemberLookup::absent) {
    return unavailable("malformed_response", "Alipay answer has no " + node_name);
  }
  if (node.text.empty() || node.text.front() != '{') {
    return unavailable("malformed_response", node_name + " is not a JSON object");
  }
  sdk::Json parsed = sdk::parse_json(node.text);
  if (!parsed.is_object()) {
    return unavailable("malformed_response", node_name + " is not a JSON object");
  }

  const MemberText sign = find_member(body, "sign");
  std::optional<std::string> signature;
  if (sign.status == MemberLookup::found) signature = decode_json_string(sign.text);
  if (sign.status != MemberLookup::found || !signature || signature->empty()) {
    // Unsigned answers are only ever errors, and even then unverified: report what they
    // say for the operator, but never act on them.
    return unavailable("unsigned_response",
                       "Alipay answer is not signed: " + describe_unsigned(parsed));
  }
  if (!rsa2_verify(alipay_key, node.text, *signature)) {
    return unavailable("bad_response_signature",
                       "Alipay answer signature does not verify with alipay_public_key");
  }
  return VerifiedResponse{std::move(parsed), std::string(node.text)};
}

sdk::Result<std::map<std::string, std::string>> verify_notification(
    std::string_view body, const sdk::crypto::PublicKey& alipay_key) {
  // parse_form decodes each name and value exactly once; a second decode would let
  // "%2525" and "%25" collide and is what Alipay's own Node SDK got wrong (issue #45).
  const auto pairs = sdk::parse_form(body);
  std::map<std::string, std::string> params;
  for (const auto& [k, v] : pairs) {
    if (!is_parameter_name(k)) {
      return make_error(ErrorKind::invalid_request, "ambiguous_notification",
                        "notification parameter names are letters, digits and _", k);
    }
    // Every boundary of the signed string is an '&': a value holding one could be split
    // into other parameters that verify with the same signature.
    if (v.find('&') != std::string::npos) {
      return make_error(ErrorKind::invalid_request, "ambiguous_notification",
                        "notification parameter " + k + " contains '&'", k);
    }
    if (!params.emplace(k, v).second) {
      return make_error(ErrorKind::invalid_request, "duplicate_parameter",
                        "notification repeats parameter " + k, k);
    }
  }
  // An empty value is not signed: returning it would let anyone add it.
  std::erase_if(params, [](const auto& kv) { return kv.second.empty(); });
  const auto sign = params.find("sign");
  if (sign == params.end() || sign->second.empty()) {
    return make_error(ErrorKind::invalid_request, "bad_signature", "notification is not signed",
                      "sign");
  }
  const Params as_list(params.begin(), params.end());
  const std::string content = sign_content(as_list, {"sign", "sign_type"});
  if (!rsa2_verify(alipay_key, content, sign->second)) {
    return make_error(ErrorKind::invalid_request, "bad_signature",
                      "notification signature does not verify with alipay_public_key", "sign");
  }
  return params;
}

}  // namespace payhost::alipay
