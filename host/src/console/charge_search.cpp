// GET /console/api/charges: filters, newest first, keyset pages on (created, id). Every
// filter reads through an index: id, order_no and transaction_no are exact lookups, user
// reads charges_user (user_id, created), and channel, state and time read charges_created
// (created, channel, state, amount) in created order; livemode only narrows those rows.
#include <array>
#include <deque>

#include "console/charge_summary.hpp"
#include "console/console_handlers.hpp"
#include "console/console_json.hpp"
#include "observability/logging.hpp"
#include "text/token_text.hpp"

namespace payhost::host::console {

using sdk::HttpRequest;
using sdk::HttpResponse;
using sdk::Json;

namespace {

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 100;
constexpr long long kMaxTime = 253402300799;  // 9999-12-31T23:59:59Z

constexpr std::array<std::string_view, 11> kParams = {
    "id",   "order_no", "transaction_no", "user", "channel", "state", "livemode",
    "from", "to",       "before",         "limit"};

HttpResponse invalid(const std::string& param, const std::string& message) {
  return console_error(400, "invalid_" + param, param + ": " + message);
}

// 1..64 of letters, digits and `extra`.
bool is_search_token(std::string_view text, std::string_view extra) {
  return is_token(text, 64, extra);
}

// Decimal digits without a sign or leading zeros, at most kMaxTime.
std::optional<long long> unix_seconds(std::string_view text) {
  if (text.empty() || text.size() > 12 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  if (text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  const long long value = std::stoll(std::string(text));
  if (value > kMaxTime) return std::nullopt;
  return value;
}

// One bound value of the query, in placeholder order.
struct Param {
  bool integer = false;
  std::string text;
  long long number = 0;
};

struct Search {
  std::string where;
  std::deque<Param> params;  // stable addresses: SOCI binds to them
  int placeholders = 0;

  void text(const std::string& condition, std::string value) {
    add(condition);
    params.push_back(Param{false, std::move(value), 0});
  }
  void number(const std::string& condition, long long value) {
    add(condition);
    params.push_back(Param{true, {}, value});
  }
  // Each '?' of `condition` becomes a placeholder of its own (":p0", ":p1"...), bound by
  // position in the order the conditions were added.
  void add(const std::string& condition) {
    where += where.empty() ? " WHERE " : " AND ";
    for (const char c : condition) {
      if (c == '?') {
        where += ":p" + std::to_string(placeholders++);
      } else {
        where += c;
      }
    }
  }
};

struct Cursor {
  long long created = 0;
  std::string id;
};

// "<created>_<id>": the created time (digits) and the id of the last row of a page.
std::optional<Cursor> parse_cursor(const std::string& text) {
  const auto cut = text.find('_');
  if (cut == std::string::npos) return std::nullopt;
  auto created = unix_seconds(std::string_view(text).substr(0, cut));
  const std::string id = text.substr(cut + 1);
  if (!created || !is_charge_id(id)) return std::nullopt;
  return Cursor{*created, id};
}

struct Row {
  sdk::Charge charge;
  long long amount = 0, refunded = 0, created = 0, time_paid = 0;
  int livemode = 0;
  std::string state, transaction_no;
  soci::indicator i_paid = soci::i_null, i_tx = soci::i_null;
};

}  // namespace

HttpResponse search_charges(ConsoleServices& s, const ConsoleCaller&, const HttpRequest& r) {
  for (const auto& [name, value] : r.query) {
    bool known = false;
    for (const auto k : kParams)
      known = known || name == k;
    if (!known) {
      return console_error(
          400, "unknown_parameter",
          "unknown parameter: " + name.substr(0, std::min<std::size_t>(64, name.size())));
    }
  }
  auto given = [&](const char* name) -> const std::string* {
    auto it = r.query.find(name);
    return it == r.query.end() ? nullptr : &it->second;
  };

  Search q;
  if (const auto* id = given("id")) {
    if (!is_charge_id(*id)) return invalid("id", "1 to 64 letters, digits, '_' or '-'");
    q.text("id = ?", *id);
  }
  if (const auto* order_no = given("order_no")) {
    if (!is_search_token(*order_no, "_-"))
      return invalid("order_no", "1 to 64 letters, digits, '_' or '-'");
    q.text("order_no = ?", *order_no);
  }
  if (const auto* tx = given("transaction_no")) {
    if (!is_search_token(*tx, "_-.")) {
      return invalid("transaction_no", "1 to 64 letters, digits, '_', '-' or '.'");
    }
    // The predicate repeats the partial index's, so both databases read it.
    q.text("transaction_no = ? AND transaction_no IS NOT NULL", *tx);
  }
  if (const auto* user = given("user")) {
    if (!is_search_token(*user, "_-."))
      return invalid("user", "1 to 64 letters, digits, '_', '-' or '.'");
    q.text("user_id = ? AND user_id <> ''", *user);
  }
  if (const auto* channel = given("channel")) {
    if (!is_search_token(*channel, "_-"))
      return invalid("channel", "1 to 64 letters, digits, '_' or '-'");
    q.text("channel = ?", *channel);
  }
  if (const auto* state = given("state")) {
    if (!sdk::charge_state_from_string(*state)) {
      return invalid("state", "one of pending, succeeded, failed, closed");
    }
    // Not through charges_due (state, next_check_at): SQLite would read every charge in the
    // state and sort them all (a 60 % state took 65 ms at 100,000 charges). Written as an
    // expression, the state is checked while charges_created, which holds it, is walked
    // newest first, and the walk stops at the page's end.
    q.text("state || '' = ?", *state);
  }
  if (const auto* livemode = given("livemode")) {
    if (*livemode != "true" && *livemode != "false") return invalid("livemode", "true or false");
    q.number("livemode = ?", *livemode == "true" ? 1 : 0);
  }
  std::optional<long long> from, to;
  if (const auto* text = given("from")) {
    from = unix_seconds(*text);
    if (!from) return invalid("from", "Unix seconds");
    q.number("created >= ?", *from);
  }
  if (const auto* text = given("to")) {
    to = unix_seconds(*text);
    if (!to) return invalid("to", "Unix seconds");
    if (from && *to <= *from) return invalid("to", "must be after from");
    q.number("created < ?", *to);
  }
  if (const auto* text = given("before")) {
    auto cursor = parse_cursor(*text);
    if (!cursor) return invalid("before", "the next_before of a previous page");
    q.number("created <= ?", cursor->created);
    q.add("(created < ? OR id < ?)");
    q.params.push_back(Param{true, {}, cursor->created});
    q.params.push_back(Param{false, cursor->id, 0});
  }
  int limit = kDefaultLimit;
  if (const auto* text = given("limit")) {
    const bool digits = !text->empty() && text->size() <= 3 &&
                        text->find_first_not_of("0123456789") == std::string::npos;
    limit = digits ? std::stoi(*text) : 0;
    if (limit < 1 || limit > kMaxLimit) {
      return invalid("limit", "an integer from 1 to " + std::to_string(kMaxLimit));
    }
  }

  const std::string query =
      "SELECT id, order_no, app, channel, product, user_id, amount, amount_refunded, currency, "
      "subject, state, livemode, created, time_paid, transaction_no FROM charges" +
      q.where + " ORDER BY created DESC, id DESC LIMIT " + std::to_string(limit + 1);

  std::vector<sdk::Charge> found;
  const sdk::Status read = s.core.db.with_session([&](soci::session& sql) -> sdk::Status {
    Row row;
    sdk::Charge& c = row.charge;
    soci::statement st(sql);
    for (auto& p : q.params) {
      if (p.integer) {
        st.exchange(soci::use(p.number));
      } else {
        st.exchange(soci::use(p.text));
      }
    }
    st.exchange(soci::into(c.id));
    st.exchange(soci::into(c.order_no));
    st.exchange(soci::into(c.app));
    st.exchange(soci::into(c.channel));
    st.exchange(soci::into(c.product));
    st.exchange(soci::into(c.user_id));
    st.exchange(soci::into(row.amount));
    st.exchange(soci::into(row.refunded));
    st.exchange(soci::into(c.currency));
    st.exchange(soci::into(c.subject));
    st.exchange(soci::into(row.state));
    st.exchange(soci::into(row.livemode));
    st.exchange(soci::into(row.created));
    st.exchange(soci::into(row.time_paid, row.i_paid));
    st.exchange(soci::into(row.transaction_no, row.i_tx));
    st.alloc();
    st.prepare(query);
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) {  // to the end: a statement left on a row keeps its snapshot
      sdk::Charge out = c;
      out.amount = row.amount;
      out.amount_refunded = row.refunded;
      out.state = sdk::charge_state_from_string(row.state).value_or(sdk::ChargeState::pending);
      out.livemode = row.livemode != 0;
      out.created = row.created;
      out.time_paid =
          row.i_paid == soci::i_ok ? std::optional<std::int64_t>(row.time_paid) : std::nullopt;
      out.transaction_no =
          row.i_tx == soci::i_ok ? std::optional(row.transaction_no) : std::nullopt;
      found.push_back(std::move(out));
    }
    return {};
  });
  if (!read) {
    host_log().warn("console charge search failed: " + read.error().message);
    return console_error(503, "unavailable", "the database did not answer");
  }

  const bool has_more = found.size() > static_cast<std::size_t>(limit);
  if (has_more) found.resize(static_cast<std::size_t>(limit));
  Json data = Json::array();
  for (const auto& c : found)
    data.push_back(charge_summary_json(c));
  Json next;
  if (has_more) next = std::to_string(found.back().created) + "_" + found.back().id;
  return sdk::HttpResponse::json(
      200,
      Json{{"data", std::move(data)}, {"has_more", has_more}, {"next_before", std::move(next)}});
}

}  // namespace payhost::host::console
