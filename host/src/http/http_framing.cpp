#include "http/http_framing.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "payhost/sdk/encoding.hpp"
#include "text/http_whitespace.hpp"

namespace payhost::host {

namespace {

constexpr std::size_t kMaxChunkSizeLine = 1024;
constexpr std::size_t kMaxChunkSizeDigits = 15;  // 2^60: no overflow, far past any limit
constexpr std::size_t kMaxContentLengthDigits = 18;
constexpr std::size_t kInitialBodyReserve = 64 * 1024;

// RFC 9110 §5.6.2 tchar: the characters of methods and field names.
constexpr std::array<bool, 256> make_tchar_table() {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c)
    table[static_cast<std::size_t>(c)] = true;
  for (int c = 'a'; c <= 'z'; ++c)
    table[static_cast<std::size_t>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c)
    table[static_cast<std::size_t>(c)] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~"))
    table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr std::array<bool, 256> kTchar = make_tchar_table();

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!kTchar[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

// Field values may hold HTAB, visible ASCII and obs-text; no other control character.
bool is_field_value(std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7F) return false;
  }
  return true;
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower_b[i]) return false;
  }
  return true;
}

// Whether the comma-separated `list` has `lower_token` as one of its elements.
bool has_token(std::string_view list, std::string_view lower_token) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (iequals(trim_ows(list.substr(0, comma)), lower_token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

// RFC 9112 §6.3: Content-Length = 1*DIGIT; anything else ("+5", "5, 5", " 5x") is invalid.
bool parse_content_length(std::string_view v, std::uint64_t& out) {
  if (v.empty() || v.size() > kMaxContentLengthDigits) return false;
  out = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void RequestFramer::append(const char* data, std::size_t size) {
  if (phase_ == Phase::refused) return;
  if (pos_ > 0) {
    buffer_.erase(0, pos_);
    scan_ = scan_ > pos_ ? scan_ - pos_ : 0;
    pos_ = 0;
  }
  buffer_.append(data, size);
}

bool RequestFramer::take_continue() {
  const bool wanted = continue_;
  continue_ = false;
  return wanted;
}

RequestFramer::Result RequestFramer::refuse(int status, std::string message) {
  phase_ = Phase::refused;
  refusal_ = Refusal{status, std::move(message), std::move(request_.path)};
  buffer_.clear();
  buffer_.shrink_to_fit();
  pos_ = scan_ = 0;
  request_ = {};
  return Result::refused;
}

RequestFramer::Result RequestFramer::parse_head(std::size_t end) {
  const std::string_view head(buffer_.data() + pos_, end - pos_);
  const auto line_end = std::min(head.find("\r\n"), head.size());
  const std::string_view line = head.substr(0, line_end);
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return refuse(400, "malformed request line");
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!is_token(method)) return refuse(400, "malformed request line: method");
  if (target.empty() || target.front() != '/') {
    return refuse(400, "malformed request line: the target must be an absolute path");
  }
  for (char c : target) {
    if (c <= ' ' || c >= 0x7F) return refuse(400, "malformed request line: target");
  }
  bool http10 = false;
  if (version == "HTTP/1.0") {
    http10 = true;
  } else if (version != "HTTP/1.1") {
    if (version.size() == 8 && version.substr(0, 5) == "HTTP/") {
      return refuse(505, "HTTP version not supported");
    }
    return refuse(400, "malformed request line: version");
  }

  request_ = {};
  request_.method.assign(method);
  const auto question = target.find('?');
  request_.path.assign(target.substr(0, question));
  if (question != std::string_view::npos) {
    request_.raw_query.assign(target.substr(question + 1));
    request_.query = sdk::parse_form_map(request_.raw_query);
  }

  int content_lengths = 0, transfer_encodings = 0;
  std::uint64_t content_length = 0;
  bool close = false, keep_alive = false, expect_continue = false;
  std::size_t p = line_end + 2;
  while (p < head.size()) {
    const auto e = std::min(head.find("\r\n", p), head.size());
    const std::string_view field = head.substr(p, e - p);
    p = e + 2;
    if (field.front() == ' ' || field.front() == '\t') {
      return refuse(400, "malformed header: obsolete line folding");
    }
    const auto colon = field.find(':');
    if (colon == std::string_view::npos) return refuse(400, "malformed header: no colon");
    const std::string_view name = field.substr(0, colon);
    const std::string_view value = trim_ows(field.substr(colon + 1));
    if (!is_token(name)) return refuse(400, "malformed header name");
    if (!is_field_value(value)) return refuse(400, "malformed header value");
    if (iequals(name, "content-length")) {
      ++content_lengths;
      if (!parse_content_length(value, content_length)) {
        return refuse(400, "Content-Length must be digits only");
      }
    } else if (iequals(name, "transfer-encoding")) {
      ++transfer_encodings;
      if (!iequals(value, "chunked")) return refuse(400, "Transfer-Encoding must be chunked");
    } else if (iequals(name, "connection")) {
      close = close || has_token(value, "close");
      keep_alive = keep_alive || has_token(value, "keep-alive");
    } else if (iequals(name, "expect")) {
      expect_continue = iequals(value, "100-continue");
    }
    request_.headers.add(std::string(name), std::string(value));
  }
  // RFC 9112 §6.3: the length must be certain; repeated or combined length fields are
  // refused, identical repeats included.
  if (content_lengths > 1) return refuse(400, "more than one Content-Length");
  if (transfer_encodings > 1) return refuse(400, "more than one Transfer-Encoding");
  if (transfer_encodings && content_lengths) {
    return refuse(400, "Content-Length and Transfer-Encoding together");
  }
  if (transfer_encodings && http10) return refuse(400, "Transfer-Encoding in HTTP/1.0");
  keep_alive_ = http10 ? keep_alive && !close : !close;

  pos_ = end + 4;
  scan_ = pos_;
  const bool body_pending = pos_ == buffer_.size();
  if (transfer_encodings) {
    phase_ = Phase::chunk_size;
    continue_ = expect_continue && body_pending;
  } else if (content_length > 0) {
    if (content_length > limits_.max_body_bytes) {
      return refuse(
          413, "request body larger than " + std::to_string(limits_.max_body_bytes) + " bytes");
    }
    remaining_ = content_length;
    // Grown as bytes arrive: a claimed length costs nothing until the body comes.
    request_.body.reserve(
        std::min<std::size_t>(static_cast<std::size_t>(content_length), kInitialBodyReserve));
    phase_ = Phase::length_body;
    continue_ = expect_continue && body_pending;
  }
  return Result::request;
}

RequestFramer::Result RequestFramer::read_chunk_size(std::size_t line_end) {
  const std::string_view line(buffer_.data() + pos_, line_end - pos_);
  std::uint64_t size = 0;
  std::size_t digits = 0;
  for (; digits < line.size(); ++digits) {
    const int v = hex_value(line[digits]);
    if (v < 0) break;
    size = size * 16 + static_cast<std::uint64_t>(v);
  }
  if (digits == 0 || digits > kMaxChunkSizeDigits) return refuse(400, "invalid chunk size");
  const std::string_view extension = trim_ows(line.substr(digits));
  if (!extension.empty() && (extension.front() != ';' || !is_field_value(extension))) {
    return refuse(400, "invalid chunk size");
  }
  pos_ = line_end + 2;
  if (size == 0) {
    phase_ = Phase::trailers;
    trailer_bytes_ = 0;
    return Result::request;
  }
  if (request_.body.size() + size > limits_.max_body_bytes) {
    return refuse(413,
                  "request body larger than " + std::to_string(limits_.max_body_bytes) + " bytes");
  }
  remaining_ = size;
  phase_ = Phase::chunk_data;
  return Result::request;
}

// Moves what has arrived of the current body (or chunk) into the request.
RequestFramer::Result RequestFramer::frame_body() {
  const std::size_t take =
      static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, buffer_.size() - pos_));
  request_.body.append(buffer_, pos_, take);
  pos_ += take;
  remaining_ -= take;
  return remaining_ ? Result::incomplete : Result::request;
}

RequestFramer::Result RequestFramer::next(sdk::HttpRequest& out, bool& keep_alive) {
  for (;;) {
    switch (phase_) {
      case Phase::refused:
        return Result::refused;
      case Phase::head: {
        // RFC 9112 §2.2: empty lines before a request line are ignored.
        while (buffer_.compare(pos_, 2, "\r\n") == 0)
          pos_ += 2;
        const auto end = buffer_.find("\r\n\r\n", std::max(scan_, pos_));
        if (end == std::string::npos) {
          if (buffer_.size() - pos_ > limits_.max_header_bytes) {
            return refuse(431, "request header block too large");
          }
          scan_ = std::max(pos_, buffer_.size() < 3 ? 0 : buffer_.size() - 3);
          return Result::incomplete;
        }
        if (end + 4 - pos_ > limits_.max_header_bytes) {
          return refuse(431, "request header block too large");
        }
        if (parse_head(end) == Result::refused) return Result::refused;
        if (phase_ != Phase::head) continue;
        break;
      }
      case Phase::length_body:
        if (frame_body() == Result::incomplete) return Result::incomplete;
        break;
      case Phase::chunk_size: {
        const auto e = buffer_.find("\r\n", pos_);
        if (e == std::string::npos) {
          if (buffer_.size() - pos_ > kMaxChunkSizeLine) return refuse(400, "invalid chunk size");
          return Result::incomplete;
        }
        if (e - pos_ > kMaxChunkSizeLine) return refuse(400, "invalid chunk size");
        if (read_chunk_size(e) == Result::refused) return Result::refused;
        continue;
      }
      case Phase::chunk_data:
        if (frame_body() == Result::incomplete) return Result::incomplete;
        phase_ = Phase::chunk_end;
        continue;
      case Phase::chunk_end:
        if (buffer_.size() - pos_ < 2) return Result::incomplete;
        if (buffer_.compare(pos_, 2, "\r\n") != 0) return refuse(400, "chunk not followed by CRLF");
        pos_ += 2;
        phase_ = Phase::chunk_size;
        continue;
      case Phase::trailers: {
        const auto e = buffer_.find("\r\n", pos_);
        const std::size_t seen = (e == std::string::npos ? buffer_.size() : e + 2) - pos_;
        if (trailer_bytes_ + seen > limits_.max_header_bytes) {
          return refuse(431, "chunked trailer section too large");
        }
        if (e == std::string::npos) return Result::incomplete;
        trailer_bytes_ += seen;
        pos_ = e + 2;
        // Trailer fields are read past, never merged into the headers.
        if (seen > 2) continue;
        break;
      }
    }
    // A complete request.
    out = std::move(request_);
    request_ = {};
    keep_alive = keep_alive_;
    phase_ = Phase::head;
    scan_ = pos_;
    continue_ = false;
    return Result::request;
  }
}

}  // namespace payhost::host
