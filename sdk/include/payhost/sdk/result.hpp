// Result types: the only way errors leave a plugin entry point.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace payhost::sdk {

// What kind of failure this is; the host maps it to an HTTP status and an API envelope.
enum class ErrorKind {
  invalid_request,  // the caller sent something we refuse (400/422)
  unauthorized,     // missing or bad credentials (401)
  forbidden,        // authenticated but not allowed (403)
  not_found,        // no such object (404)
  conflict,         // state does not allow it, or an idempotency clash (409)
  channel,          // the provider refused or failed (502 in Ping++-style APIs)
  unavailable,      // outcome unknown: timeout, network error, unverifiable answer
  retry,            // transient database contention; the host retries the transaction
  internal,         // a bug or a broken invariant (500)
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string code;     // stable machine code, e.g. "amount_mismatch"
  std::string message;  // human text, never containing secrets
  std::string param;    // the offending request field, if any
};

inline Error make_error(ErrorKind kind, std::string code, std::string message,
                        std::string param = {}) {
  return Error{kind, std::move(code), std::move(message), std::move(param)};
}

const char* to_string(ErrorKind kind) noexcept;

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return !e_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  const Error& error() const { return *e_; }

 private:
  std::optional<Error> e_;
};

using Status = Result<void>;

}  // namespace payhost::sdk
