// GET /api/v2/wallet/charges and /api/v2/wallet/charges/{id}[?mode=retrieve].
#include "context.hpp"
#include "format.hpp"
#include "input.hpp"
#include "messages.hpp"
#include "payhost/sdk/database.hpp"
#include "validation.hpp"

namespace payhost::wallet {
namespace {

sdk::HttpResponse list(WalletContext& ctx, const sdk::HttpRequest& request, std::int64_t user_id) {
  const Page page = parse_page(request);
  const std::optional<int> action = parse_action_filter(request.query_param("action"));
  std::vector<Record> records;
  const sdk::Status read = sdk::with_session(ctx.host.database(), [&](soci::session& sql) {
    records = ctx.ledger.list_settled_records(sql, user_id, action, page);
    return sdk::Status{};
  });
  if (!read) return internal_error(ctx, "listing wallet records", read.error());
  sdk::Json out = sdk::Json::array();
  for (const Record& r : records)
    out.push_back(record_json(r));
  return sdk::HttpResponse::json(200, out);
}

std::optional<Record> load(WalletContext& ctx, std::int64_t id, sdk::Status& status) {
  std::optional<Record> record;
  status = sdk::with_session(ctx.host.database(), [&](soci::session& sql) {
    record = ctx.ledger.find_record(sql, id);
    return sdk::Status{};
  });
  return record;
}

sdk::HttpResponse show(WalletContext& ctx, const sdk::HttpRequest& request, std::int64_t user_id) {
  const auto id = parse_positive_id(request.path_param("id"));
  if (!id) return message_response(404, msg::kNotFound);
  sdk::Status read;
  std::optional<Record> record = load(ctx, *id, read);
  if (!read) return internal_error(ctx, "reading a wallet record", read.error());
  if (!record) return message_response(404, msg::kNotFound);
  if (record->user_id != user_id) return message_list_response(403, msg::kChargeForbidden);

  if (request.query_param("mode") == "retrieve") {
    // The seed: retrieving anything but a payment is a 422. Withdrawal rows are settled
    // the moment they are written, so the old server's "only while pending" test would
    // never fire for them; they are refused whatever their status.
    if (!record->is_payment()) return message_response(422, msg::kRetrieveNotPayment);
    if (record->status == kPending) {
      // The host asks the channel and, if paid, settles through the same exactly-once
      // path as notifications, which calls our hook; we only read the result.
      const auto retrieved = ctx.host.charges().retrieve(*record->charge_id);
      if (!retrieved) {
        ctx.host.logger().warn("wallet: retrieving charge " + *record->charge_id + " failed: " +
                               retrieved.error().code + ": " + retrieved.error().message);
      }
      record = load(ctx, *id, read);
      if (!read) return internal_error(ctx, "re-reading a wallet record", read.error());
      if (!record) return message_response(404, msg::kNotFound);
    }
  }
  return sdk::HttpResponse::json(200, record_json(*record));
}

}  // namespace

std::vector<sdk::Route> charge_routes(const ContextSlot& slot) {
  sdk::Route records = user_route(slot, "GET", "/api/v2/wallet/charges", list);
  records.quick = true;  // reads only; the single record's ?mode=retrieve is not quick
  return {std::move(records), user_route(slot, "GET", "/api/v2/wallet/charges/{id}", show)};
}

}  // namespace payhost::wallet
