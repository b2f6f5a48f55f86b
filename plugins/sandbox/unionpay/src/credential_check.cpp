#include "credential_check.hpp"

#include <utility>
#include <vector>

#include "acp_form.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/json.hpp"

namespace payhost::sandbox_unionpay {
namespace {

using sdk::Json;

sdk::Error refused(std::string message) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, "bad_credential", std::move(message),
                         "credential");
}

bool is_url_key(const std::string& key) {
  return key == "channel_url" || key == "url" || key == "gateway_url" || key == "action";
}

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The form fields of a wap/pc credential, under the same rules as a posted form.
sdk::Result<Fields> form_fields(const Json& credential) {
  if (!credential.is_object()) return refused("the credential must be an object of form fields");
  const Json* form = &credential;
  for (const char* nested : {"data", "fields", "form"}) {
    const auto it = credential.find(nested);
    if (it != credential.end() && it->is_object()) form = &*it;
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const Json* level : {&credential, form}) {
    for (auto it = level->begin(); it != level->end(); ++it) {
      if (!is_url_key(it.key())) continue;
      if (!it->is_string() || !ends_with(it->get<std::string>(), "/gateway/api/frontTransReq.do")) {
        return refused("credential." + it.key() + " must be the gateway's frontTransReq.do URL");
      }
    }
  }
  for (auto it = form->begin(); it != form->end(); ++it) {
    if (is_url_key(it.key()) || (form == &credential && it->is_object())) continue;
    if (!it->is_string()) return refused("credential." + it.key() + " is not a string");
    pairs.emplace_back(it.key(), it->get<std::string>());
  }
  // The browser would post exactly these pairs: the gateway's rules apply to them.
  auto fields = parse_request_form(sdk::form_encode(pairs));
  if (!fields.ok()) return refused("the credential's form: " + fields.error().message);
  return std::move(fields.value());
}

}  // namespace

bool is_unionpay_channel(std::string_view channel) {
  return is_app_channel(channel) || channel == "upacp_wap" || channel == "upacp_pc";
}

bool is_app_channel(std::string_view channel) {
  return channel == "applepay_upacp" || channel == "upacp";
}

sdk::Status check_app_credential(const sdk::Charge& charge, const Trade& trade) {
  const Json& c = charge.credential;
  if (!c.is_object()) return refused("the " + charge.channel + " credential must be an object");
  const auto tn = c.find("tn");
  if (tn == c.end() || !tn->is_string() || tn->get<std::string>() != trade.tn) {
    return refused("credential.tn is not the tn UnionPay issued for order " + trade.order_id);
  }
  const auto mode = c.find("mode");
  if (mode == c.end() || !mode->is_string() || mode->get<std::string>() != "01") {
    return refused("credential.mode must be \"01\" (the UnionPay test environment)");
  }
  if (charge.channel == "applepay_upacp") {
    const auto merchant = c.find("merchant_id");
    if (merchant == c.end() || !merchant->is_string() || merchant->get<std::string>().empty()) {
      return refused("credential.merchant_id (the Apple merchant id) is missing");
    }
  }
  if (trade.endpoint != "app" || trade.channel_type != "08") {
    return refused("order " + trade.order_id + " was not sent to appTransReq.do for the app");
  }
  return {};
}

sdk::Result<ConsumeRequest> check_form_credential(const UnionpaySim& sim, const sdk::Charge& charge,
                                                  std::int64_t now) {
  auto fields = form_fields(charge.credential);
  if (!fields.ok()) return fields.error();
  auto order = check_consume(sim, *fields, Endpoint::front, now, false);
  if (!order.ok()) {
    return refused("the gateway would refuse this form: respCode " + order.error().code + ", " +
                   order.error().message);
  }
  if (order->order_id != charge.order_no) {
    return refused("orderId " + order->order_id + " is not the charge's order_no " +
                   charge.order_no);
  }
  if (order->amount != charge.amount) {
    return refused("txnAmt " + std::to_string(order->amount) + " is not the charge's amount " +
                   std::to_string(charge.amount));
  }
  const char* channel_type = charge.channel == "upacp_pc" ? "07" : "08";
  if (order->channel_type != channel_type) {
    return refused("channelType " + order->channel_type + " is not " + channel_type + " (" +
                   charge.channel + ")");
  }
  return std::move(order.value());
}

}  // namespace payhost::sandbox_unionpay
