#include "storage/migrations.hpp"

#include <algorithm>
#include <ctime>

namespace payhost::host {

using sdk::Dialect;
using sdk::ErrorKind;
using sdk::Migration;
using sdk::Status;

namespace {

// Arbitrary constant shared by every payhost host: the advisory lock for migrations.
constexpr long long kMigrationLockKey = 7'315'020'001;

Status validate_steps(const OwnedMigrations& owned) {
  int previous = 0;
  for (const auto& step : owned.steps) {
    if (step.version <= previous) {
      return sdk::make_error(ErrorKind::internal, "bad_migrations",
                             owned.owner + ": migration versions must be positive and increasing");
    }
    previous = step.version;
  }
  return {};
}

}  // namespace

Status run_migrations(Db& db, const std::vector<OwnedMigrations>& all,
                      std::vector<std::string>* applied) {
  for (const auto& owned : all) {
    if (auto s = validate_steps(owned); !s) return s;
  }
  const Dialect dialect = db.dialect();
  return db.transact([&](soci::session& sql) -> Status {
    if (dialect == Dialect::postgresql) {
      sql << "SET LOCAL client_min_messages = warning";  // no "already exists" NOTICE noise
      sql << "SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")";
    }
    sql << "CREATE TABLE IF NOT EXISTS schema_versions (owner TEXT NOT NULL, version INTEGER "
           "NOT NULL, description TEXT NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY "
           "(owner, version))";
    for (const auto& owned : all) {
      int current = 0;
      soci::indicator ind = soci::i_ok;
      sql << "SELECT MAX(version) FROM schema_versions WHERE owner = :o", soci::use(owned.owner),
          soci::into(current, ind);
      if (ind != soci::i_ok) current = 0;
      for (const auto& step : owned.steps) {
        if (step.version <= current) continue;
        const auto& statements = dialect == Dialect::sqlite ? step.sqlite : step.postgresql;
        for (const auto& statement : statements)
          sql << statement;
        const long long now = std::time(nullptr);
        sql << "INSERT INTO schema_versions (owner, version, description, applied_at) VALUES "
               "(:o, :v, :d, :t)",
            soci::use(owned.owner), soci::use(step.version), soci::use(step.description),
            soci::use(now);
        if (applied) {
          applied->push_back(owned.owner + " " + std::to_string(step.version) + ": " +
                             step.description);
        }
      }
    }
    return {};
  });
}

std::vector<Migration> host_migrations() {
  Migration charges;
  charges.version = 1;
  charges.description = "charges, events, idempotency keys, refused notifications";
  // Shared DDL: both dialects accept these types.
  const std::vector<std::string> common = {
      "CREATE TABLE charges ("
      " id TEXT PRIMARY KEY,"
      " order_no TEXT NOT NULL UNIQUE,"
      " app TEXT NOT NULL,"
      " channel TEXT NOT NULL,"
      " plugin TEXT NOT NULL,"
      " product TEXT NOT NULL,"
      " product_ref TEXT NOT NULL,"
      " user_id TEXT NOT NULL DEFAULT '',"
      " amount BIGINT NOT NULL CHECK (amount > 0),"
      " amount_refunded BIGINT NOT NULL DEFAULT 0,"
      " currency TEXT NOT NULL,"
      " subject TEXT NOT NULL,"
      " body TEXT NOT NULL,"
      " client_ip TEXT NOT NULL,"
      " extra TEXT NOT NULL,"
      " metadata TEXT NOT NULL,"
      " credential TEXT NOT NULL,"
      " description TEXT NOT NULL DEFAULT '',"
      " livemode INTEGER NOT NULL,"
      " state TEXT NOT NULL,"
      " created BIGINT NOT NULL,"
      " time_expire BIGINT NOT NULL,"
      " time_paid BIGINT,"
      " transaction_no TEXT,"
      " failure_code TEXT,"
      " failure_msg TEXT,"
      " payer_account TEXT NOT NULL DEFAULT '',"
      " next_check_at BIGINT NOT NULL,"
      " check_attempts INTEGER NOT NULL DEFAULT 0,"
      " updated BIGINT NOT NULL)",
      "CREATE INDEX charges_due ON charges (state, next_check_at)",
      "CREATE INDEX charges_product ON charges (product, product_ref)",
      "CREATE TABLE events ("
      " id TEXT PRIMARY KEY,"
      " type TEXT NOT NULL,"
      " charge_id TEXT NOT NULL,"
      " created BIGINT NOT NULL,"
      " payload TEXT NOT NULL,"
      " delivered INTEGER NOT NULL DEFAULT 0)",
      "CREATE INDEX events_charge ON events (charge_id)",
      "CREATE TABLE idempotency_keys ("
      " scope TEXT NOT NULL,"
      " idem_key TEXT NOT NULL,"
      " request_hash TEXT NOT NULL,"
      " status INTEGER NOT NULL,"
      " content_type TEXT NOT NULL DEFAULT '',"
      " response TEXT NOT NULL DEFAULT '',"
      " created BIGINT NOT NULL,"
      " PRIMARY KEY (scope, idem_key))",
      "CREATE TABLE notification_refusals ("
      " id TEXT PRIMARY KEY,"
      " plugin TEXT NOT NULL,"
      " order_no TEXT NOT NULL,"
      " reason TEXT NOT NULL,"
      " detail TEXT NOT NULL,"
      " created BIGINT NOT NULL)"};
  charges.sqlite = common;
  charges.postgresql = common;

  // No query reads charges by product reference (products keep their own rows pointing
  // at the charge), and a random key in an index costs every insert a page of its own.
  Migration unused_index;
  unused_index.version = 2;
  unused_index.description = "drop the unused charges_product index";
  unused_index.sqlite = {"DROP INDEX IF EXISTS charges_product"};
  unused_index.postgresql = unused_index.sqlite;

  // One row per plugin, reason and order, counting repeats, and bounded fields: refusals
  // are what an attacker can make at will, and a row per refusal sized by its sender would
  // let anyone fill the disk.
  Migration refusal_repeats;
  refusal_repeats.version = 3;
  refusal_repeats.description = "notification refusals aggregate repeats; bounded fields";
  refusal_repeats.sqlite = {
      "ALTER TABLE notification_refusals ADD COLUMN fingerprint TEXT",
      "ALTER TABLE notification_refusals ADD COLUMN repeats BIGINT NOT NULL DEFAULT 1",
      "ALTER TABLE notification_refusals ADD COLUMN last_seen BIGINT NOT NULL DEFAULT 0",
      "UPDATE notification_refusals SET last_seen = created, order_no = SUBSTR(order_no, 1, 64), "
      "reason = SUBSTR(reason, 1, 64), detail = SUBSTR(detail, 1, 512)",
      "CREATE UNIQUE INDEX notification_refusals_fingerprint ON notification_refusals "
      "(fingerprint)"};
  refusal_repeats.postgresql = refusal_repeats.sqlite;

  // One provider payment can settle one charge only. Empty numbers are stored as NULL;
  // the predicate keeps both out of the index.
  Migration unique_transaction;
  unique_transaction.version = 4;
  unique_transaction.description = "a provider transaction number settles one charge";
  unique_transaction.sqlite = {
      "CREATE UNIQUE INDEX charges_transaction_no ON charges (plugin, transaction_no) WHERE "
      "transaction_no IS NOT NULL AND transaction_no <> ''"};
  unique_transaction.postgresql = unique_transaction.sqlite;

  // Fingerprints of the key pairs the sandbox was given, so that a live host sharing the
  // database recognises them (see sandbox_key_registry.hpp).
  Migration sandbox_keys;
  sandbox_keys.version = 5;
  sandbox_keys.description = "fingerprints of the sandbox's key pairs";
  sandbox_keys.sqlite = {
      "CREATE TABLE test_key_fingerprints (fingerprint TEXT PRIMARY KEY, name TEXT NOT NULL, "
      "recorded_at BIGINT NOT NULL)"};
  sandbox_keys.postgresql = sandbox_keys.sqlite;

  // The Ping++-compatible API: refunds, API keys, webhook deliveries and their attempts,
  // the webhook signing key every host shares; events get Ping++ ids (evt_ + 24), their
  // app and mode, and one event per object and type.
  Migration pingpp_api;
  pingpp_api.version = 6;
  pingpp_api.description = "refunds, API keys, webhook deliveries, shared host secrets";
  pingpp_api.sqlite = {
      "ALTER TABLE charges ADD COLUMN reversed INTEGER NOT NULL DEFAULT 0",
      "CREATE INDEX charges_app ON charges (app, livemode, id)",
      "ALTER TABLE events ADD COLUMN object_id TEXT",
      "ALTER TABLE events ADD COLUMN app TEXT NOT NULL DEFAULT ''",
      "ALTER TABLE events ADD COLUMN livemode INTEGER NOT NULL DEFAULT 0",
      "UPDATE events SET object_id = charge_id, "
      "app = COALESCE((SELECT c.app FROM charges c WHERE c.id = events.charge_id), ''), "
      "livemode = COALESCE((SELECT c.livemode FROM charges c WHERE c.id = events.charge_id), 0)",
      "CREATE UNIQUE INDEX events_object_type ON events (object_id, type)",
      "CREATE TABLE refunds ("
      " id TEXT PRIMARY KEY,"
      " order_no TEXT NOT NULL UNIQUE,"
      " charge_id TEXT NOT NULL,"
      " app TEXT NOT NULL,"
      " livemode INTEGER NOT NULL,"
      " amount BIGINT NOT NULL CHECK (amount > 0),"
      " status TEXT NOT NULL,"
      " description TEXT NOT NULL,"
      " metadata TEXT NOT NULL,"
      " funding_source TEXT,"
      " extra TEXT NOT NULL,"
      " transaction_no TEXT,"
      " failure_code TEXT,"
      " failure_msg TEXT,"
      " requested_by TEXT NOT NULL,"
      " created BIGINT NOT NULL,"
      " time_succeed BIGINT,"
      " next_check_at BIGINT NOT NULL,"
      " check_attempts INTEGER NOT NULL DEFAULT 0,"
      " updated BIGINT NOT NULL)",
      "CREATE INDEX refunds_charge ON refunds (charge_id, id)",
      "CREATE INDEX refunds_due ON refunds (status, next_check_at)",
      "CREATE TABLE api_keys ("
      " id TEXT PRIMARY KEY,"
      " app TEXT NOT NULL,"
      " livemode INTEGER NOT NULL,"
      " key_hash TEXT NOT NULL UNIQUE,"
      " hint TEXT NOT NULL,"
      " label TEXT NOT NULL,"
      " created BIGINT NOT NULL,"
      " revoked BIGINT)",
      "CREATE TABLE webhook_deliveries ("
      " id TEXT PRIMARY KEY,"
      " event_id TEXT NOT NULL,"
      " app TEXT NOT NULL,"
      " url TEXT NOT NULL,"
      " status TEXT NOT NULL,"
      " attempts INTEGER NOT NULL DEFAULT 0,"
      " next_attempt_at BIGINT NOT NULL,"
      " signature TEXT,"
      " last_status INTEGER,"
      " last_error TEXT,"
      " created BIGINT NOT NULL,"
      " delivered_at BIGINT,"
      " updated BIGINT NOT NULL,"
      " UNIQUE (event_id, url))",
      "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at)",
      "CREATE TABLE webhook_attempts ("
      " delivery_id TEXT NOT NULL,"
      " attempt INTEGER NOT NULL,"
      " started_ms BIGINT NOT NULL,"
      " duration_ms BIGINT,"
      " http_status INTEGER,"
      " error TEXT,"
      " PRIMARY KEY (delivery_id, attempt))",
      "CREATE TABLE host_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL, "
      "created BIGINT NOT NULL)"};
  pingpp_api.postgresql = pingpp_api.sqlite;

  // The operator console: its accounts (scrypt hashes only), sessions (SHA-256 of the cookie
  // only), the audit log and the sign-in failures every host counts alike; each charge's
  // history (notifications, queries, closes) for its timeline, one row per kind and outcome
  // counting repeats (a genuine notification replayed a million times is one row, not a
  // million); and the indexes its searches
  // and overview read. `created` leads the overview's covering index, so a week's figures
  // are read from the index alone.
  static constexpr const char* kChargeHistory =
      "CREATE TABLE charge_history ("
      " charge_id TEXT NOT NULL,"
      " at_ms BIGINT NOT NULL,"
      " kind TEXT NOT NULL,"
      " outcome TEXT NOT NULL,"
      " detail TEXT NOT NULL,"
      " repeats BIGINT NOT NULL DEFAULT 1,"
      " last_ms BIGINT NOT NULL,"
      " PRIMARY KEY (charge_id, kind, outcome))";
  Migration console;
  console.version = 7;
  console.description = "operator console: operators, sessions, audit, charge history";
  console.sqlite = {
      "CREATE TABLE console_operators ("
      " name TEXT PRIMARY KEY,"
      " role TEXT NOT NULL,"
      " password_hash TEXT NOT NULL,"
      " created BIGINT NOT NULL,"
      " updated BIGINT NOT NULL)",
      "CREATE TABLE console_sessions ("
      " token_hash TEXT PRIMARY KEY,"
      " operator TEXT NOT NULL,"
      " csrf_token TEXT NOT NULL,"
      " client_ip TEXT NOT NULL,"
      " created BIGINT NOT NULL,"
      " expires BIGINT NOT NULL)",
      "CREATE INDEX console_sessions_operator ON console_sessions (operator)",
      "CREATE TABLE console_audit ("
      " id TEXT PRIMARY KEY,"
      " at_ms BIGINT NOT NULL,"
      " operator TEXT NOT NULL,"
      " role TEXT NOT NULL,"
      " action TEXT NOT NULL,"
      " target TEXT NOT NULL,"
      " status INTEGER NOT NULL,"
      " client_ip TEXT NOT NULL,"
      " detail TEXT NOT NULL)",
      "CREATE TABLE console_signin_failures ("
      " scope TEXT NOT NULL,"
      " at BIGINT NOT NULL,"
      " attempt TEXT NOT NULL)",
      "CREATE INDEX console_signin_failures_scope ON console_signin_failures (scope, at)",
      kChargeHistory,
      "CREATE INDEX charges_created ON charges (created, channel, state, amount)",
      "CREATE INDEX charges_user ON charges (user_id, created) WHERE user_id <> ''",
      "CREATE INDEX charges_transaction ON charges (transaction_no) WHERE transaction_no IS "
      "NOT NULL",
      "CREATE INDEX notification_refusals_order ON notification_refusals (order_no)"};
  console.postgresql = console.sqlite;
  // SQLite keeps the rows in their key's b-tree (no rowid table beside the key's index): the
  // settling transaction writes one b-tree, not two. PostgreSQL has no such table.
  std::replace(console.sqlite.begin(), console.sqlite.end(), std::string(kChargeHistory),
               std::string(kChargeHistory) + " WITHOUT ROWID");
  return {charges,      unused_index, refusal_repeats, unique_transaction,
          sandbox_keys, pingpp_api,   console};
}

}  // namespace payhost::host
