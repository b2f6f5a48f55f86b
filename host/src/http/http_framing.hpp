// HTTP/1.1 request framing (RFC 9112) for the host's listener: turns the bytes of one
// connection into requests. Anything whose length is ambiguous is refused, never guessed:
// two parties that frame one byte stream differently are how requests get smuggled.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "payhost/sdk/http.hpp"

namespace payhost::host {

class RequestFramer {
 public:
  struct Limits {
    std::size_t max_header_bytes = 32 * 1024;  // request line, headers and chunk trailers
    std::size_t max_body_bytes = 1 << 20;      // decoded body
  };
  // Why the bytes cannot be framed. Nothing after them can be framed either: the
  // connection answers `status` and closes.
  struct Refusal {
    int status = 0;
    std::string message;
    std::string path;  // the refused request's path, when its request line was read
  };
  enum class Result { incomplete, request, refused };

  explicit RequestFramer(Limits limits) : limits_(limits) {}

  void append(const char* data, std::size_t size);

  // Frames the next request in what was appended: on `request`, `out` has method, path,
  // raw_query, query, headers and body, and `keep_alive` says whether the connection stays
  // open after its answer. Once `refused`, it stays refused.
  Result next(sdk::HttpRequest& out, bool& keep_alive);
  const Refusal& refusal() const { return refusal_; }

  // True (once) when a request asked for "Expect: 100-continue" and its body has not come.
  bool take_continue();

 private:
  enum class Phase { head, length_body, chunk_size, chunk_data, chunk_end, trailers, refused };

  Result refuse(int status, std::string message);
  Result parse_head(std::size_t end);
  Result read_chunk_size(std::size_t line_end);
  Result frame_body();

  Limits limits_;
  Phase phase_ = Phase::head;
  std::string buffer_;
  std::size_t pos_ = 0;   // bytes of buffer_ already consumed
  std::size_t scan_ = 0;  // where the search for the end of the header block resumes
  std::uint64_t remaining_ = 0;
  std::size_t trailer_bytes_ = 0;
  bool keep_alive_ = true;
  bool continue_ = false;
  sdk::HttpRequest request_;
  Refusal refusal_;
};

}  // namespace payhost::host
