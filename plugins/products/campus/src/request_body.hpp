// Request fields, whether the client POSTs JSON or an HTML form. Legacy clients send
// numbers as strings (forms) or strings as numbers (userID: 10129580); both are accepted
// wherever the meaning is unambiguous. Errors carry the Chinese message the API returns.
#pragma once

#include <string>
#include <vector>

#include "payhost/sdk/http.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/money.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::campus {

// A JSON object, or form fields as a JSON object of strings. The Content-Type decides;
// without one a body that starts with '{' is JSON.
sdk::Result<sdk::Json> parse_body(const sdk::HttpRequest& request);

// A required text field: a string, or an integer number written as digits.
sdk::Result<std::string> required_text(const sdk::Json& body, const char* name);
// An optional text field; empty if absent.
sdk::Result<std::string> optional_text(const sdk::Json& body, const char* name);
// A required small integer in [0, count): the API's type/payType codes.
sdk::Result<int> required_code(const sdk::Json& body, const char* name, int count);
// An optional one; nullopt if absent.
sdk::Result<std::optional<int>> optional_code(const sdk::Json& body, const char* name, int count);

// The amount in integer fen. A non-integer (0.01, "1.5") is refused with a message that
// amounts are in fen: the seed document's own example sends 0.01.
sdk::Result<sdk::Fen> required_amount(const sdk::Json& body);

// "a,b , c" -> {"a","b","c"}; empty entries are refused, as are duplicates.
sdk::Result<std::vector<std::string>> split_ids(const std::string& text, const char* name,
                                                std::size_t max);

// The optional `extra` object for the channel: a JSON object, or (from a form) a JSON
// string, or form fields named extra[key].
sdk::Result<sdk::Json> optional_extra(const sdk::Json& body);

sdk::Error invalid(std::string message, std::string param = {});

}  // namespace payhost::campus
