#include "payhost/sdk/channel.hpp"

#include "barrier.hpp"

namespace payhost::sdk {

const char* to_string(Outcome outcome) noexcept {
  switch (outcome) {
    case Outcome::succeeded:
      return "succeeded";
    case Outcome::failed:
      return "failed";
    case Outcome::closed:
      return "closed";
    case Outcome::pending:
      return "pending";
    case Outcome::unknown:
      return "unknown";
  }
  return "unknown";
}

Result<CreateResult> ChannelPlugin::create(const CreateRequest& request) noexcept {
  return detail::barrier<Result<CreateResult>>("create", [&] { return do_create(request); });
}

Result<TradeStatus> ChannelPlugin::verify_notification(const HttpRequest& request) noexcept {
  return detail::barrier<Result<TradeStatus>>("verify_notification",
                                              [&] { return do_verify_notification(request); });
}

HttpResponse ChannelPlugin::notification_reply(bool accepted) const noexcept {
  try {
    return do_notification_reply(accepted);
  } catch (...) {
    HttpResponse r;
    r.status = accepted ? 200 : 500;  // a failed reply makes the provider retry: safe
    return r;
  }
}

Result<TradeStatus> ChannelPlugin::query(const TradeRef& trade) noexcept {
  return detail::barrier<Result<TradeStatus>>("query", [&] { return do_query(trade); });
}

Result<TradeStatus> ChannelPlugin::close(const TradeRef& trade) noexcept {
  return detail::barrier<Result<TradeStatus>>("close", [&] { return do_close(trade); });
}

Result<RefundResult> ChannelPlugin::refund(const RefundRequest& request) noexcept {
  return detail::barrier<Result<RefundResult>>("refund", [&] { return do_refund(request); });
}

Result<RefundResult> ChannelPlugin::query_refund(const RefundRequest& request) noexcept {
  return detail::barrier<Result<RefundResult>>("query_refund",
                                               [&] { return do_query_refund(request); });
}

Result<TradeStatus> ChannelPlugin::do_close(const TradeRef&) {
  return make_error(ErrorKind::invalid_request, "not_supported",
                    "this channel cannot close trades");
}

Result<RefundResult> ChannelPlugin::do_refund(const RefundRequest&) {
  return make_error(ErrorKind::invalid_request, "not_supported", "this channel cannot refund");
}

Result<RefundResult> ChannelPlugin::do_query_refund(const RefundRequest&) {
  return make_error(ErrorKind::invalid_request, "not_supported",
                    "this channel cannot query refunds");
}

}  // namespace payhost::sdk
