#include "refunds/refund_checks.hpp"

#include "charges/charge_text.hpp"
#include "payhost/sdk/json.hpp"
#include "text/utf8_text.hpp"

namespace payhost::host::refunds {

using sdk::ErrorKind;

namespace {

sdk::Error refused(const char* code, const std::string& message, const char* param) {
  return sdk::make_error(ErrorKind::invalid_request, code, message, param);
}

std::size_t character_count(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
    char32_t cp = 0;
    const std::size_t n = decode_utf8(text, i, cp);
    i += n == 0 ? 1 : n;
  }
  return count;
}

}  // namespace

sdk::Status check_new_refund(const NewRefund& r) {
  if (r.amount && *r.amount <= 0) {
    return refused("amount_invalid", "amount must be a positive number of fen", "amount");
  }
  if (r.description.empty()) {
    return refused("description_invalid", "description is required", "description");
  }
  if (auto problem = free_text_problem(r.description)) {
    return refused("description_invalid", "description " + *problem, "description");
  }
  if (character_count(r.description) > kMaxDescriptionCharacters) {
    return refused(
        "description_invalid",
        "description is longer than " + std::to_string(kMaxDescriptionCharacters) + " characters",
        "description");
  }
  if (!r.metadata.is_object()) {
    return refused("metadata_invalid", "metadata must be an object", "metadata");
  }
  if (r.metadata.size() > kMaxMetadataKeys) {
    return refused("metadata_invalid",
                   "metadata has more than " + std::to_string(kMaxMetadataKeys) + " keys",
                   "metadata");
  }
  if (sdk::json_dump(r.metadata).size() > kMaxMetadataBytes) {
    return refused("metadata_invalid",
                   "metadata is larger than " + std::to_string(kMaxMetadataBytes) + " bytes",
                   "metadata");
  }
  if (r.funding_source && *r.funding_source != "unsettled_funds" &&
      *r.funding_source != "recharge_funds") {
    return refused("funding_source_invalid",
                   "funding_source must be unsettled_funds or recharge_funds", "funding_source");
  }
  return {};
}

}  // namespace payhost::host::refunds
