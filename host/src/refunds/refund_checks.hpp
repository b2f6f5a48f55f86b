// What a refund request may carry, checked before anything is read or written. The
// description reaches the provider as the refund reason, inside strings it signs.
#pragma once

#include <cstddef>

#include "payhost/sdk/result.hpp"
#include "refunds/refund_service.hpp"

namespace payhost::host::refunds {

inline constexpr std::size_t kMaxDescriptionCharacters = 255;  // Ping++'s limit
inline constexpr std::size_t kMaxMetadataKeys = 50;
inline constexpr std::size_t kMaxMetadataBytes = 4096;  // serialized

// invalid_request with code and param: "amount_invalid" (amount), "description_invalid"
// (description), "metadata_invalid" (metadata), "funding_source_invalid" (funding_source).
sdk::Status check_new_refund(const NewRefund& request);

}  // namespace payhost::host::refunds
