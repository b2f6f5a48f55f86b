// What a wallet record shows as its transaction_no while its charge is unpaid.
#pragma once

#include <string>
#include <string_view>

#include "payhost/sdk/json.hpp"

namespace payhost::wallet {

// UnionPay's app payments (applepay_upacp, upacp) hand the client a `tn` (交易流水号) that
// identifies the trade at UnionPay before anyone pays; ThinkSNS+'s
// WalletRechargeApplePayController stored it as the record's transaction_no at creation,
// and clients and support staff look trades up by it. The tn from `credential` (the
// channel's payload) for those channels; "" for every other channel or an unusable tn.
// Once paid, settlement replaces it with the provider's transaction number (the queryId),
// as ThinkSNS+'s retrieve did with the charge's transaction_no.
std::string payment_token(std::string_view channel, const sdk::Json& credential);

}  // namespace payhost::wallet
