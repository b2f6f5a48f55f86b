// Request validation with the old server's messages. Pure functions: no I/O, so the
// unit tests pin every message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "input.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/money.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::wallet {

// Field -> messages, in the order the fields are checked (clients show the first).
using FieldErrors = std::vector<std::pair<std::string, std::vector<std::string>>>;

// Why a request is refused with 422: either per-field errors in the validation envelope,
// or one flat message ({"message":"请求参数不合法"}).
struct Rejection {
  FieldErrors errors;
  std::string message;
};

template <class T>
using Validated = std::variant<T, Rejection>;

// An integer field as Laravel's "required|integer" sees it: JSON integers and decimal
// strings (form bodies) are integers; floats, booleans and other text are not.
struct IntegerField {
  enum State { missing, not_integer, ok } state = missing;
  std::int64_t value = 0;
};
IntegerField read_integer(const sdk::Json* value);

// A required text field, trimmed; nullopt when absent, empty or not text. Numbers are
// taken as their decimal text (accounts are sometimes phone numbers sent as numbers).
std::optional<std::string> read_text(const sdk::Json* value);

// What a recharge does with `extra`, by type, as ThinkSNS+'s recharge controllers did
// (docs/api/wallet.md cites them): the app payments never read it (the charge gets {};
// UnionPay's app channel upacp, which ThinkSNS+ did not offer, is one of them);
// Alipay's web payments need a PHP array holding a truthy success_url (absent, null or a
// scalar: "请求参数不合法"; no URL: "extra.success_url 必须存在"); other types pass an object
// on to the host, which checks the channel's required extras.
enum class RechargeExtraUse { ignored, return_url, passed_on };
RechargeExtraUse recharge_extra_use(std::string_view type);

struct RechargeRequest {
  std::string type;
  sdk::Fen amount = 0;
  sdk::Json extra = sdk::Json::object();
};
// `types`: the channels a recharge may use now (configured ∩ enabled).
Validated<RechargeRequest> validate_recharge(const Input& input,
                                             const std::vector<std::string>& types,
                                             sdk::Fen max_amount);

// ThinkSNS+ stored the account in a VARCHAR(255) (wallet_cashes.account, Laravel's default
// string length): characters, not bytes.
inline constexpr std::size_t kMaxCashAccountLength = 255;

struct CashRequest {
  sdk::Fen value = 0;
  std::string type;
  std::string account;
};
// The account: 1 to kMaxCashAccountLength characters after trimming, no control characters.
// The balance is not checked here: only the conditional debit can check it safely.
Validated<CashRequest> validate_cash(const Input& input, const std::vector<std::string>& cash_types,
                                     sdk::Fen min_amount);

Validated<std::string> validate_remark(const Input& input);

struct Page {
  int limit = 15;
  std::optional<std::int64_t> after;  // only ids below this one
};
inline constexpr int kDefaultLimit = 15;
inline constexpr int kMaxLimit = 100;
// ?limit: missing, invalid or < 1 -> 15; above 100 -> 100. ?after: a positive id, else none.
Page parse_page(const sdk::HttpRequest& request);

// ?action: 1 / "income" -> 1, 0 / "expenses" / "expense" -> 0, anything else -> no filter.
std::optional<int> parse_action_filter(std::string_view text);
// ?status: 0, 1 or 2; anything else ("all", empty) -> no filter.
std::optional<int> parse_status_filter(std::string_view text);

// The 422 answer for a rejection.
sdk::HttpResponse rejection_response(const Rejection& rejection);

// The answer when the host's charge service refuses or fails a recharge: its validation
// errors in the seed's shapes ("extra.success_url 必须存在"), provider failures as 502/503.
sdk::HttpResponse charge_error_response(const sdk::Error& error);

}  // namespace payhost::wallet
