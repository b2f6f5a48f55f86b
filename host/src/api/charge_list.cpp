#include "api/charge_list.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <string_view>

namespace payhost::host::api {

using sdk::Json;

namespace {

constexpr std::array<std::string_view, 9> kParams = {"app",           "limit",    "starting_after",
                                                     "ending_before", "created",  "channel",
                                                     "paid",          "refunded", "reversed"};

sdk::Error invalid(std::string code, std::string message, std::string param) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, std::move(code), std::move(message),
                         std::move(param));
}

// Query values are strings; a JSON number is taken too (a body-less list has none, but
// parse_request_query is not the only caller in tests).
sdk::Result<std::int64_t> integer_param(const Json& value, const std::string& param,
                                        std::int64_t min, std::int64_t max) {
  std::int64_t v = 0;
  bool ok = false;
  if (value.is_number_integer()) {
    v = value.get<std::int64_t>();
    ok = true;
  } else if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    ok = !text.empty() && text.size() <= 12 &&
         text.find_first_not_of("0123456789") == std::string::npos;
    if (ok) v = std::stoll(text);
  }
  if (!ok || v < min || v > max) {
    return invalid(
        "parameter_invalid",
        param + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max),
        param);
  }
  return v;
}

sdk::Result<bool> bool_param(const Json& value, const std::string& param) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string() && value == "true") return true;
  if (value.is_string() && value == "false") return false;
  return invalid("parameter_invalid", param + " must be true or false", param);
}

sdk::Result<std::string> id_param(const Json& value, const std::string& param) {
  if (!value.is_string() || value.get_ref<const std::string&>().empty() ||
      value.get_ref<const std::string&>().size() > 64) {
    return invalid("parameter_invalid", param + " must be a charge id", param);
  }
  return value.get<std::string>();
}

}  // namespace

sdk::Result<ChargeListQuery> parse_charge_list_query(const Json& params, const std::string& app) {
  for (const auto& [key, value] : params.items()) {
    if (std::find(kParams.begin(), kParams.end(), key) == kParams.end()) {
      return invalid("parameter_unknown", "未知参数: " + key, key);
    }
  }
  ChargeListQuery q;
  auto app_it = params.find("app");
  if (app_it == params.end() || !app_it->is_object() || !app_it->contains("id")) {
    return invalid("parameter_missing", "缺少参数: app[id]", "app[id]");
  }
  if (app_it->size() != 1 || !(*app_it)["id"].is_string()) {
    return invalid("parameter_invalid", "app takes only app[id]", "app[id]");
  }
  if ((*app_it)["id"] != app) {
    return invalid("app_invalid", "app[id] is not the app of this API key", "app[id]");
  }
  if (auto it = params.find("limit"); it != params.end()) {
    auto v = integer_param(*it, "limit", 1, kMaxListLimit);
    if (!v) return v.error();
    q.limit = static_cast<int>(*v);
  }
  if (auto it = params.find("starting_after"); it != params.end()) {
    auto v = id_param(*it, "starting_after");
    if (!v) return v.error();
    q.starting_after = *v;
  }
  if (auto it = params.find("ending_before"); it != params.end()) {
    auto v = id_param(*it, "ending_before");
    if (!v) return v.error();
    q.ending_before = *v;
  }
  if (!q.starting_after.empty() && !q.ending_before.empty()) {
    return invalid("parameter_invalid", "give starting_after or ending_before, not both",
                   "ending_before");
  }
  if (auto it = params.find("created"); it != params.end()) {
    if (!it->is_object() || it->empty()) {
      return invalid("parameter_invalid", "created takes created[gt|gte|lt|lte]", "created");
    }
    for (const auto& [op, value] : it->items()) {
      const std::string param = "created[" + op + "]";
      auto v = integer_param(value, param, 0, 99'999'999'999);
      if (!v) return v.error();
      if (op == "gt") {
        q.created_gt = *v;
      } else if (op == "gte") {
        q.created_gte = *v;
      } else if (op == "lt") {
        q.created_lt = *v;
      } else if (op == "lte") {
        q.created_lte = *v;
      } else {
        return invalid("parameter_unknown", "未知参数: " + param, param);
      }
    }
  }
  if (auto it = params.find("channel"); it != params.end()) {
    if (!it->is_string() || it->get_ref<const std::string&>().empty() ||
        it->get_ref<const std::string&>().size() > 32) {
      return invalid("parameter_invalid", "channel must be a channel name", "channel");
    }
    q.channel = it->get<std::string>();
  }
  for (auto [name, target] : {std::pair<const char*, std::optional<bool>*>{"paid", &q.paid},
                              {"refunded", &q.refunded},
                              {"reversed", &q.reversed}}) {
    if (auto it = params.find(name); it != params.end()) {
      auto v = bool_param(*it, name);
      if (!v) return v.error();
      *target = *v;
    }
  }
  return q;
}

sdk::Result<ChargeIdPage> list_charge_ids(soci::session& sql, const std::string& app, bool livemode,
                                          const ChargeListQuery& query, std::int64_t now) {
  const int mode = livemode ? 1 : 0;
  const std::string& cursor =
      query.starting_after.empty() ? query.ending_before : query.starting_after;
  if (!cursor.empty()) {
    int found = 0;
    sql << "SELECT COUNT(*) FROM charges WHERE id = :id AND app = :app AND livemode = :m",
        soci::use(cursor), soci::use(app), soci::use(mode), soci::into(found);
    if (found == 0) {
      const char* param = query.starting_after.empty() ? "ending_before" : "starting_after";
      return invalid("cursor_invalid", std::string(param) + " is not a charge of this app", param);
    }
  }

  // Only the clauses in use, each with its bind, so that the planner walks the index
  // (app, livemode, id) from the cursor.
  soci::statement st(sql);
  std::deque<long long> numbers;  // stable addresses for the binds
  std::string where = "app = :app AND livemode = :m";
  st.exchange(soci::use(app));
  st.exchange(soci::use(mode));
  const bool backwards = !query.ending_before.empty();
  if (!cursor.empty()) {
    where += backwards ? " AND id > :cursor" : " AND id < :cursor";
    st.exchange(soci::use(cursor));
  }
  auto bound = [&](const char* clause, std::int64_t value) {
    where += clause;
    numbers.push_back(value);
    st.exchange(soci::use(numbers.back()));
  };
  const bool any_created =
      query.created_gt || query.created_gte || query.created_lt || query.created_lte;
  if (query.created_gt) bound(" AND created > :gt", *query.created_gt);
  if (query.created_gte) bound(" AND created >= :gte", *query.created_gte);
  if (query.created_lt) bound(" AND created < :lt", *query.created_lt);
  if (query.created_lte) bound(" AND created <= :lte", *query.created_lte);
  if (!any_created) bound(" AND created >= :since", now - kDefaultListWindowSeconds);
  if (query.channel) {
    where += " AND channel = :channel";
    st.exchange(soci::use(*query.channel));
  }
  if (query.paid) where += *query.paid ? " AND state = 'succeeded'" : " AND state <> 'succeeded'";
  if (query.refunded) {
    where += *query.refunded ? " AND amount_refunded >= amount" : " AND amount_refunded < amount";
  }
  if (query.reversed) where += *query.reversed ? " AND reversed <> 0" : " AND reversed = 0";
  numbers.push_back(query.limit + 1);  // one more row tells whether there are more
  st.exchange(soci::use(numbers.back()));

  std::string id;
  st.exchange(soci::into(id));
  st.alloc();
  st.prepare("SELECT id FROM charges WHERE " + where + " ORDER BY id " +
             (backwards ? "ASC" : "DESC") + " LIMIT :limit");
  st.define_and_bind();
  st.execute();
  ChargeIdPage page;
  while (st.fetch())
    page.ids.push_back(id);
  if (page.ids.size() > static_cast<std::size_t>(query.limit)) {
    page.has_more = true;
    page.ids.resize(static_cast<std::size_t>(query.limit));
  }
  if (backwards) std::reverse(page.ids.begin(), page.ids.end());
  return page;
}

}  // namespace payhost::host::api
