#include "charges/charge_history.hpp"

#include <chrono>

#include "observability/logging.hpp"
#include "storage/statement_cache.hpp"
#include "text/printable_text.hpp"

namespace payhost::host {

using sdk::Outcome;

namespace {

// printable_line may add up to this many bytes ("...[N more bytes]") past its cut.
constexpr std::size_t kCutMarkerBytes = 40;

struct InsertHistory : StatementCache::Entry {
  std::string charge_id, kind, outcome, detail;
  long long at_ms = 0, last_ms = 0;
  soci::statement st;

  explicit InsertHistory(soci::session& sql)
      : st((sql.prepare << "INSERT INTO charge_history (charge_id, at_ms, kind, outcome, detail, "
                           "repeats, last_ms) VALUES (:c, :at, :k, :o, :d, 1, :last) "
                           "ON CONFLICT (charge_id, kind, outcome) DO UPDATE SET "
                           "repeats = charge_history.repeats + 1, last_ms = excluded.last_ms, "
                           "detail = excluded.detail",
            soci::use(charge_id), soci::use(at_ms), soci::use(kind), soci::use(outcome),
            soci::use(detail), soci::use(last_ms))) {}
};

const char* outcome_word(Outcome outcome) {
  switch (outcome) {
    case Outcome::succeeded:
      return "paid";
    case Outcome::pending:
      return "unpaid";
    case Outcome::closed:
      return "closed";
    case Outcome::failed:
      return "failed";
    case Outcome::unknown:
      break;
  }
  return "unknown";
}

}  // namespace

std::int64_t history_now_ms(const sdk::Clock& clock) {
  const std::int64_t wall = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
  const std::int64_t seconds = clock.now();
  return wall / 1000 == seconds ? wall : seconds * 1000;
}

std::string bounded_history_detail(std::string_view detail) {
  return printable_line(detail, kMaxHistoryDetailBytes - kCutMarkerBytes);
}

void record_history(soci::session& sql, const HistoryEntry& e) {
  with_statement<InsertHistory>(sql, [&](InsertHistory& q) {
    q.charge_id = e.charge_id;
    q.at_ms = e.at_ms;
    q.last_ms = e.at_ms;
    q.kind = e.kind;
    q.outcome = e.outcome;
    q.detail = bounded_history_detail(e.detail);
    q.st.execute(true);
  });
}

void record_history_now(Db& db, const HistoryEntry& entry) noexcept {
  try {
    const sdk::Status st = db.transact([&](soci::session& sql) -> sdk::Status {
      record_history(sql, entry);
      return {};
    });
    if (!st) {
      host_log().warn("charge history of " + entry.charge_id +
                      " not recorded: " + st.error().message);
    }
  } catch (const std::exception& e) {
    host_log().warn("charge history of " + entry.charge_id + " not recorded: " + e.what());
  }
}

HistoryEntry channel_answer_entry(const std::string& charge_id, std::int64_t at_ms,
                                  const char* kind, const sdk::Result<sdk::TradeStatus>& answer) {
  HistoryEntry e{charge_id, at_ms, kind, "unknown", ""};
  if (!answer) {
    const sdk::Error& error = answer.error();
    e.detail =
        redactor().apply(std::string(sdk::to_string(error.kind)) +
                         (error.code.empty() ? "" : " " + error.code) + ": " + error.message);
    return e;
  }
  const sdk::TradeStatus& s = *answer;
  e.outcome = outcome_word(s.outcome);
  std::string detail;
  if (!s.transaction_no.empty()) detail = "transaction " + s.transaction_no;
  if (s.amount >= 0) detail += (detail.empty() ? "" : ", ") + std::to_string(s.amount) + " fen";
  if (!s.failure_code.empty() || !s.failure_msg.empty()) {
    detail += (detail.empty() ? "" : "; ") + s.failure_code +
              (s.failure_msg.empty() ? "" : ": " + s.failure_msg);
  }
  e.detail = redactor().apply(detail);
  return e;
}

std::vector<HistoryEntry> history_of(soci::session& sql, const std::string& charge_id, int limit) {
  std::vector<HistoryEntry> out;
  HistoryEntry row;
  long long at_ms = 0, repeats = 1, last_ms = 0;
  const std::string query =
      "SELECT at_ms, kind, outcome, detail, repeats, last_ms FROM charge_history WHERE "
      "charge_id = :c ORDER BY at_ms, kind, outcome LIMIT " +
      std::to_string(limit);
  soci::statement st =
      (sql.prepare << query, soci::use(charge_id), soci::into(at_ms), soci::into(row.kind),
       soci::into(row.outcome), soci::into(row.detail), soci::into(repeats), soci::into(last_ms));
  st.execute();
  while (st.fetch()) {
    row.charge_id = charge_id;
    row.at_ms = at_ms;
    row.repeats = repeats;
    row.last_ms = last_ms;
    out.push_back(row);
  }
  return out;
}

}  // namespace payhost::host
