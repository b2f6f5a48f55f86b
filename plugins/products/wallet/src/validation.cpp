#include "validation.hpp"

#include <algorithm>
#include <limits>

#include "messages.hpp"
#include "payhost/sdk/charge_errors.hpp"

namespace payhost::wallet {
namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

void add_error(FieldErrors& errors, std::string field, std::string message) {
  errors.emplace_back(std::move(field), std::vector<std::string>{std::move(message)});
}

// Code points of valid UTF-8 (the input reader refuses any other text).
std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Unicode's control characters: C0 (NUL included), DEL and C1 (U+0080..U+009F, which UTF-8
// writes as 0xC2 0x80..0x9F). An account is shown to the admins who pay it out.
bool has_control_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

// PHP's truthiness of a value Laravel has trimmed (and turned "" into null): false for null,
// false, 0, 0.0, "", "0", whitespace and empty arrays.
bool php_truthy(const sdk::Json& value) {
  if (value.is_null()) return false;
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number_unsigned()) return value.get<std::uint64_t>() != 0;
  if (value.is_number_integer()) return value.get<std::int64_t>() != 0;
  if (value.is_number_float()) return value.get<double>() != 0.0;
  if (value.is_string()) {
    const std::string_view text = trim(value.get_ref<const std::string&>());
    return !text.empty() && text != "0";
  }
  return !value.empty();  // object or array
}

Rejection flat(std::string message) {
  return Rejection{{}, std::move(message)};
}

}  // namespace

IntegerField read_integer(const sdk::Json* value) {
  if (value == nullptr || value->is_null()) return {};
  if (value->is_number_integer()) {
    if (value->is_number_unsigned() &&
        value->get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return {IntegerField::not_integer, 0};
    }
    return {IntegerField::ok, value->get<std::int64_t>()};
  }
  if (value->is_string()) {
    const std::string_view text = trim(value->get_ref<const std::string&>());
    if (text.empty()) return {};  // Laravel turns "" into null: "required" fails
    if (auto parsed = parse_int64(text)) return {IntegerField::ok, *parsed};
  }
  return {IntegerField::not_integer, 0};
}

std::optional<std::string> read_text(const sdk::Json* value) {
  if (value == nullptr) return std::nullopt;
  std::string text;
  if (value->is_string()) {
    text = std::string(trim(value->get_ref<const std::string&>()));
  } else if (value->is_number_integer()) {
    text = value->dump();
  } else {
    return std::nullopt;
  }
  if (text.empty()) return std::nullopt;
  return text;
}

RechargeExtraUse recharge_extra_use(std::string_view type) {
  if (type == "alipay" || type == "applepay_upacp" || type == "upacp") {
    return RechargeExtraUse::ignored;
  }
  if (type == "alipay_wap" || type == "alipay_pc_direct") return RechargeExtraUse::return_url;
  return RechargeExtraUse::passed_on;
}

Validated<RechargeRequest> validate_recharge(const Input& input,
                                             const std::vector<std::string>& types,
                                             sdk::Fen max_amount) {
  if (input.malformed) return flat(msg::kInvalidParameters);
  RechargeRequest request;
  FieldErrors errors;

  const sdk::Json* type = input.find("type");
  if (type == nullptr || type->is_null() ||
      (type->is_string() && trim(type->get<std::string>()).empty())) {
    add_error(errors, "type", msg::kRechargeTypeRequired);
  } else if (!type->is_string() || !contains(types, type->get<std::string>())) {
    add_error(errors, "type", msg::kRechargeTypeInvalid);
  } else {
    request.type = type->get<std::string>();
  }

  // The old server checked "min:1|max:1000000" without "integer", which Laravel applies to
  // the length of a string: "99999999999" passed. Here the amount must be an integer.
  const IntegerField amount = read_integer(input.find("amount"));
  if (amount.state == IntegerField::missing) {
    add_error(errors, "amount", msg::kRechargeAmountRequired);
  } else if (amount.state == IntegerField::not_integer || amount.value < 1) {
    add_error(errors, "amount", msg::kRechargeAmountInvalid);
  } else if (amount.value > max_amount) {
    add_error(errors, "amount", msg::kRechargeAmountTooLarge);
  } else {
    request.amount = amount.value;
  }
  if (!errors.empty()) return Rejection{std::move(errors), {}};

  const sdk::Json* extra = input.find("extra");
  switch (recharge_extra_use(request.type)) {
    case RechargeExtraUse::ignored:
      return request;
    case RechargeExtraUse::return_url: {
      // A PHP array is a JSON object or list; anything else, absent and null included, is
      // not one. The URL must then be "truthy" to PHP after Laravel's trimming.
      if (extra == nullptr || !(extra->is_object() || extra->is_array())) {
        return flat(msg::kInvalidParameters);
      }
      const auto url = extra->is_object() ? extra->find("success_url") : extra->end();
      if (url == extra->end() || !php_truthy(*url)) {
        return flat(std::string("extra.success_url") + msg::kExtraMissingSuffix);
      }
      request.extra = *extra;
      return request;
    }
    case RechargeExtraUse::passed_on:
      break;
  }
  // PHP clients serialise an empty associative array as [], so [] means "no extras".
  if (extra == nullptr || extra->is_null() || (extra->is_array() && extra->empty())) {
    request.extra = sdk::Json::object();
  } else if (extra->is_object()) {
    request.extra = *extra;
  } else {
    return flat(msg::kInvalidParameters);
  }
  return request;
}

Validated<CashRequest> validate_cash(const Input& input, const std::vector<std::string>& cash_types,
                                     sdk::Fen min_amount) {
  if (input.malformed) return flat(msg::kInvalidParameters);
  CashRequest request;
  FieldErrors errors;

  const IntegerField value = read_integer(input.find("value"));
  if (value.state == IntegerField::missing) {
    add_error(errors, "value", msg::kCashValueRequired);
  } else if (value.state == IntegerField::not_integer) {
    add_error(errors, "value", msg::kCashValueNotInteger);
  } else if (value.value < 1) {
    add_error(errors, "value", msg::kCashValueInvalid);
  } else if (value.value < min_amount) {
    add_error(errors, "value", msg::kCashValueBelowMinimum);
  } else {
    request.value = value.value;
  }

  const sdk::Json* type = input.find("type");
  const std::optional<std::string> type_text = read_text(type);
  if (type == nullptr || type->is_null() || (type->is_string() && !type_text)) {
    add_error(errors, "type", msg::kCashTypeRequired);
  } else if (!type_text || !type->is_string() || !contains(cash_types, *type_text)) {
    add_error(errors, "type", msg::kCashTypeInvalid);
  } else {
    request.type = *type_text;
  }

  if (auto account = read_text(input.find("account")); !account) {
    add_error(errors, "account", msg::kCashAccountRequired);
  } else if (utf8_length(*account) > kMaxCashAccountLength) {
    add_error(errors, "account", msg::kCashAccountTooLong);
  } else if (has_control_character(*account)) {
    add_error(errors, "account", msg::kCashAccountInvalid);
  } else {
    request.account = std::move(*account);
  }

  if (!errors.empty()) return Rejection{std::move(errors), {}};
  return request;
}

Validated<std::string> validate_remark(const Input& input) {
  if (auto remark = read_text(input.find("remark"))) return std::move(*remark);
  FieldErrors errors;
  add_error(errors, "remark", msg::kRemarkRequired);
  return Rejection{std::move(errors), {}};
}

Page parse_page(const sdk::HttpRequest& request) {
  Page page;
  if (auto limit = parse_int64(trim(request.query_param("limit")))) {
    if (*limit > kMaxLimit) {
      page.limit = kMaxLimit;
    } else if (*limit >= 1) {
      page.limit = static_cast<int>(*limit);
    }
  }
  page.after = parse_positive_id(trim(request.query_param("after")));
  return page;
}

std::optional<int> parse_action_filter(std::string_view text) {
  text = trim(text);
  if (text == "1" || text == "income") return 1;
  if (text == "0" || text == "expenses" || text == "expense") return 0;
  return std::nullopt;
}

std::optional<int> parse_status_filter(std::string_view text) {
  text = trim(text);
  if (text == "0") return 0;
  if (text == "1") return 1;
  if (text == "2") return 2;
  return std::nullopt;
}

sdk::HttpResponse rejection_response(const Rejection& rejection) {
  if (rejection.errors.empty()) {
    return sdk::HttpResponse::json(422, sdk::Json{{"message", rejection.message}});
  }
  sdk::Json errors = sdk::Json::object();
  for (const auto& [field, messages] : rejection.errors)
    errors[field] = messages;
  return sdk::HttpResponse::json(
      422, sdk::Json{{"message", msg::kValidationFailed}, {"errors", std::move(errors)}});
}

sdk::HttpResponse charge_error_response(const sdk::Error& error) {
  if (error.code == sdk::charge_errors::channel_not_enabled) {
    FieldErrors errors;
    add_error(errors, "type", msg::kRechargeTypeInvalid);
    return rejection_response(Rejection{std::move(errors), {}});
  }
  if (error.code == sdk::charge_errors::amount_invalid) {
    FieldErrors errors;
    add_error(errors, "amount", msg::kRechargeAmountInvalid);
    return rejection_response(Rejection{std::move(errors), {}});
  }
  if (error.code == sdk::charge_errors::extra_missing) {
    const std::string field = error.param.empty() ? std::string("extra") : error.param;
    return rejection_response(flat(field + msg::kExtraMissingSuffix));
  }
  if (error.code == sdk::charge_errors::extra_invalid)
    return rejection_response(flat(msg::kInvalidParameters));
  switch (error.kind) {
    case sdk::ErrorKind::invalid_request:
      return rejection_response(
          flat(error.message.empty() ? std::string(msg::kInvalidParameters) : error.message));
    case sdk::ErrorKind::channel:
      return sdk::HttpResponse::json(502, sdk::Json{{"message", msg::kChannelFailed}});
    case sdk::ErrorKind::unavailable:
      return sdk::HttpResponse::json(503, sdk::Json{{"message", msg::kChannelUnavailable}});
    default:
      return sdk::HttpResponse::json(500, sdk::Json{{"message", msg::kInternalError}});
  }
}

}  // namespace payhost::wallet
