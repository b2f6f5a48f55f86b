#include "format.hpp"

#include <ctime>

namespace payhost::wallet {
namespace {

template <class T>
sdk::Json or_null(const std::optional<T>& value) {
  return value ? sdk::Json(*value) : sdk::Json(nullptr);
}

}  // namespace

std::string format_time(std::int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  const std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &tm);
  return std::string(buffer, n);
}

sdk::Json record_json(const Record& r) {
  return sdk::Json{{"id", r.id},
                   {"user_id", r.user_id},
                   {"channel", r.channel},
                   {"account", or_null(r.account)},
                   {"charge_id", or_null(r.charge_id)},
                   {"action", r.action},
                   {"amount", r.amount},
                   {"currency", r.currency},
                   {"subject", r.subject},
                   {"body", r.body},
                   {"transaction_no", or_null(r.transaction_no)},
                   {"status", r.status},
                   {"created_at", format_time(r.created_at)},
                   {"updated_at", format_time(r.updated_at)},
                   {"deleted_at", nullptr}};
}

sdk::Json cash_json(const Cash& c, bool for_admin) {
  sdk::Json out{{"id", c.id}};
  if (for_admin) out["user_id"] = c.user_id;
  out["value"] = c.value;
  out["type"] = c.type;
  out["account"] = c.account;
  out["status"] = c.status;
  out["remark"] = or_null(c.remark);
  out["created_at"] = format_time(c.created_at);
  if (for_admin) out["updated_at"] = format_time(c.updated_at);
  return out;
}

sdk::HttpResponse message_response(int status, std::string_view text) {
  return sdk::HttpResponse::json(status, sdk::Json{{"message", text}});
}

sdk::HttpResponse message_list_response(int status, std::string_view text) {
  return sdk::HttpResponse::json(status, sdk::Json{{"message", sdk::Json::array({text})}});
}

}  // namespace payhost::wallet
