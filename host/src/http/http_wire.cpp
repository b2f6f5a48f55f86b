#include "http/http_wire.hpp"

#include <strings.h>

#include <string_view>

namespace payhost::host {

namespace {

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "";  // RFC 9112 §4: the reason phrase may be empty
  }
}

// A CR or LF in a header would let a value write headers (or a body) of its own.
bool writable(std::string_view s) {
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

void add_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

std::string response_wire(const sdk::HttpResponse& response, const std::string& request_id,
                          bool keep_alive, bool head_request) {
  std::string out;
  out.reserve(256 + response.body.size());
  const int status = response.status >= 100 && response.status <= 999 ? response.status : 500;
  out.append("HTTP/1.1 ").append(std::to_string(status)).append(" ").append(reason_phrase(status));
  out.append("\r\n");
  bool content_type = false;
  for (const auto& [name, value] : response.headers.all()) {
    if (strcasecmp(name.c_str(), "Content-Length") == 0 ||
        strcasecmp(name.c_str(), "Connection") == 0 ||
        strcasecmp(name.c_str(), "Transfer-Encoding") == 0 || !writable(name) || !writable(value)) {
      continue;
    }
    content_type = content_type || strcasecmp(name.c_str(), "Content-Type") == 0;
    add_header(out, name, value);
  }
  if (!content_type) add_header(out, "Content-Type", "application/octet-stream");
  add_header(out, "X-Request-Id", request_id);
  add_header(out, "Connection", keep_alive ? "keep-alive" : "close");
  add_header(out, "Content-Length", std::to_string(response.body.size()));
  out.append("\r\n");
  if (!head_request) out.append(response.body);
  return out;
}

}  // namespace payhost::host
