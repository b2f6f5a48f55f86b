#include "storage/database.hpp"

#include <algorithm>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "observability/logging.hpp"
#include "storage/pg_reconnect.hpp"
#include "storage/postgres_url.hpp"
#include "storage/private_files.hpp"
#include "storage/sqlite_health.hpp"
#include "storage/sqlite_reads.hpp"
#include "storage/sqlite_wal_vfs.hpp"

namespace payhost::host {

namespace fs = std::filesystem;
using sdk::ErrorKind;
using sdk::Result;
using sdk::Status;

std::string redact_url(const std::string& url) {
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

namespace {

void open_sqlite(soci::session& s, const std::string& file, const DatabaseConfig& config) {
  s.open(soci::sqlite3, "db=" + file);
  s << "PRAGMA busy_timeout = " + std::to_string(config.busy_timeout_ms);
  s << "PRAGMA journal_mode = WAL";
  // In WAL mode NORMAL loses no committed transaction on an application crash; only
  // an OS crash may lose the last ones, which providers then notify again.
  s << "PRAGMA synchronous = NORMAL";
  s << "PRAGMA foreign_keys = ON";
  s << "PRAGMA wal_autocheckpoint = 0";  // the checkpointer thread does it
  // When the log starts over after a burst, it is cut back to this size.
  s << "PRAGMA journal_size_limit = 67108864";
  // No memory map: SQLite unmaps a connection's whole map when it starts reading after
  // another connection's commit, and with one writer and a pool of readers that is nearly
  // every read; each munmap stops every thread of the process to flush its TLB (half the
  // CPU of POST /v1/charges). Reads copy pages from the OS cache instead.
  s << "PRAGMA mmap_size = 0";
  // Statement journals in memory: a write in a group commit runs in a savepoint, and a
  // batch's journal grows past SQLite's 64 KiB spill limit, which would otherwise cost a
  // temporary file (open, writes, close, unlink) per batch.
  s << "PRAGMA temp_store = MEMORY";
}

}  // namespace

Result<std::unique_ptr<Db>> Db::open(const DatabaseConfig& config, const std::string& data_dir) {
  std::unique_ptr<Db> db(new Db());
  db->pool_size_ = static_cast<std::size_t>(config.pool_size);
  db->pool_ = std::make_unique<soci::connection_pool>(db->pool_size_);
  try {
    if (config.url.rfind("sqlite://", 0) == 0) {
      db->dialect_ = sdk::Dialect::sqlite;
      fs::path file = config.url.substr(9);
      if (file.is_relative()) file = fs::path(data_dir) / file;
      db->description_ = "sqlite " + file.string();
      // SQLite gives its -wal and -shm files the mode of the database file.
      for (const auto& st : {ensure_private_directory(file.parent_path().string()),
                             ensure_private_file(file), tighten_if_present(file.string() + "-wal"),
                             tighten_if_present(file.string() + "-shm")}) {
        if (!st) return st.error();
      }
      if (!install_sqlite_wal_vfs()) {
        return sdk::make_error(ErrorKind::unavailable, "db_open",
                               "cannot open database " + config.url + ": SQLite has no VFS");
      }
      for (std::size_t i = 0; i < db->pool_size_; ++i) {
        open_sqlite(db->pool_->at(i), file.string(), config);
      }
      db->writer_ = std::make_unique<soci::session>();
      open_sqlite(*db->writer_, file.string(), config);
      // Serving from a damaged file would answer with wrong data or fail writes at random.
      if (const std::string damage = sqlite_quick_check(*db->writer_); !damage.empty()) {
        return sdk::make_error(ErrorKind::unavailable, "db_corrupt",
                               "database " + file.string() +
                                   " failed SQLite's integrity check (PRAGMA quick_check: " +
                                   damage + "); restore it from a backup");
      }
      db->start_checkpointer(file.string());
    } else {
      db->dialect_ = sdk::Dialect::postgresql;
      auto conninfo = postgres_conninfo(config.url);
      if (!conninfo) {
        return sdk::make_error(ErrorKind::invalid_request, "db_open",
                               "database.url: " + conninfo.error().message);
      }
      db->conninfo_ = std::move(*conninfo);
      db->description_ = "postgresql " + redact_url(config.url);
      db->reconnect_.resize(db->pool_size_);
      for (std::size_t i = 0; i < db->pool_size_; ++i) {
        pg_open(db->pool_->at(i), db->conninfo_);
      }
    }
    for (std::size_t i = 0; i < db->pool_size_; ++i) {
      db->caches_.push_back(std::make_unique<StatementCache>(db->pool_->at(i)));
    }
    if (db->writer_) db->caches_.push_back(std::make_unique<StatementCache>(*db->writer_));
  } catch (const std::exception& e) {
    return sdk::make_error(
        ErrorKind::unavailable, "db_open",
        "cannot open database " + redact_url(config.url) + ": " + redactor().apply(e.what()));
  }
  return db;
}

Db::~Db() {
  if (checkpointer_.joinable()) {
    {
      std::lock_guard lock(checkpoint_mutex_);
      stopping_ = true;
    }
    checkpoint_wake_.notify_all();
    checkpointer_.join();
  }
}

void Db::start_checkpointer(const std::string& file) {
  checkpoint_session_ = std::make_unique<soci::session>(soci::sqlite3, "db=" + file);
  // How long a RESTART checkpoint waits for readers to leave the log, writers held back.
  *checkpoint_session_ << "PRAGMA busy_timeout = 20";
  checkpointer_ = std::thread([this] { checkpoint_loop(); });
}

void Db::checkpoint_loop() {
  std::uint64_t checkpointed = 0;
  std::unique_lock lock(checkpoint_mutex_);
  while (!stopping_) {
    checkpoint_wake_.wait_for(lock, std::chrono::milliseconds(200));
    const std::uint64_t commits = commits_.load(std::memory_order_relaxed);
    if (commits == checkpointed) continue;
    checkpointed = commits;
    lock.unlock();
    checkpoint();
    lock.lock();
  }
  try {
    *checkpoint_session_ << "PRAGMA wal_checkpoint(PASSIVE)";
  } catch (const std::exception&) {  // the last connection to close checkpoints anyway
  }
}

void Db::checkpoint() {
  // SQLite starts the log over only after a checkpoint has copied every frame and no
  // reader is left on the log. Under writes that never pause that moment never comes:
  // frames land while a checkpoint copies, and the log grew by 460 MB in 2.5 s in
  // storage_test. So the bulk is copied while writers go on, then what they added is
  // copied with them held back and the log restarted (RESTART waits for readers still on
  // the log, briefly: they are short; if one outlasts the timeout, the next round
  // restarts it). Writers wait a few milliseconds every 200 ms under such load.
  try {
    end_idle_reads();
    *checkpoint_session_ << "PRAGMA wal_checkpoint(PASSIVE)";
    std::lock_guard writers(writer_mutex_);
    end_idle_reads();
    *checkpoint_session_ << "PRAGMA wal_checkpoint(RESTART)";
  } catch (const std::exception& e) {
    host_log().warn(std::string("sqlite checkpoint: ") + e.what());
  }
}

namespace {

// The connection a Reservation holds for this thread, and how many units of work use it
// right now (a quick route's read may call another read).
thread_local const soci::connection_pool* reserved_pool = nullptr;
thread_local std::size_t reserved_position = 0;
thread_local int reserved_users = 0;

void end_reads(soci::session& sql) {
  end_sqlite_reads(static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_);
}

// A pooled connection for one unit of work (the thread's reserved one if it holds one),
// with its statement cache bound to this thread. On SQLite the work starts from a fresh
// snapshot: whatever read the connection's last user left open is ended first. (Left open
// between units, it keeps SQLite's shared locks held in-process, so the next read takes
// them without a system call; the checkpointer ends it on connections left idle.)
class PooledSession {
 public:
  PooledSession(soci::connection_pool& pool, std::vector<std::unique_ptr<StatementCache>>& caches,
                sdk::Dialect dialect)
      : pool_(&pool),
        reserved_(reserved_pool == &pool),
        position_(reserved_ ? reserved_position : pool.lease()),
        sql_(pool.at(position_)),
        cache_(*caches[position_]),
        lease_(cache_) {
    // Not under a unit of work of this thread's that still reads on the connection.
    const bool first_user = !reserved_ || reserved_users++ == 0;
    if (dialect == sdk::Dialect::sqlite && first_user) end_reads(sql_);
  }
  // SQLite's writer, which is not pooled: its user serialises access.
  PooledSession(soci::session& sql, StatementCache& cache)
      : sql_(sql), cache_(cache), lease_(cache_) {
    end_reads(sql_);
  }
  ~PooledSession() {
    if (reserved_) --reserved_users;
    if (pool_ && !reserved_) pool_->give_back(position_);
  }
  PooledSession(const PooledSession&) = delete;
  PooledSession& operator=(const PooledSession&) = delete;

  soci::session& sql() { return sql_; }
  StatementCache& cache() { return cache_; }
  std::size_t position() const { return position_; }

 private:
  soci::connection_pool* pool_ = nullptr;
  bool reserved_ = false;
  std::size_t position_ = 0;
  soci::session& sql_;
  StatementCache& cache_;
  StatementCache::Lease lease_;
};

thread_local bool in_transaction = false;

enum class Control { begin, commit, rollback, savepoint, release, rollback_to };

constexpr const char* control_sql(Control c, sdk::Dialect dialect) {
  switch (c) {
    case Control::begin:
      return dialect == sdk::Dialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN";
    case Control::commit:
      return "COMMIT";
    case Control::rollback:
      return "ROLLBACK";
    case Control::savepoint:
      return "SAVEPOINT payhost_write";
    case Control::release:
      return "RELEASE payhost_write";
    case Control::rollback_to:
      return "ROLLBACK TO payhost_write";
  }
  return "";
}

// SQLite parses and plans even BEGIN and COMMIT on every call, a few microseconds each,
// several times per write: kept prepared per connection like the host's queries.
// (PostgreSQL cannot prepare transaction control; it gets the text.)
struct ControlStatements : StatementCache::Entry {
  std::vector<soci::statement> statements;
  explicit ControlStatements(soci::session& sql) {
    for (Control c : {Control::begin, Control::commit, Control::rollback, Control::savepoint,
                      Control::release, Control::rollback_to}) {
      statements.emplace_back((sql.prepare << control_sql(c, sdk::Dialect::sqlite)));
    }
  }
};

void run_control(PooledSession& lease, sdk::Dialect dialect, Control c) {
  if (dialect != sdk::Dialect::sqlite) {
    lease.sql() << control_sql(c, dialect);
    return;
  }
  lease.cache().get<ControlStatements>().statements[static_cast<std::size_t>(c)].execute(true);
}

// After a failure: the connection's statements are no longer trusted, and the transaction
// is ended if it is still open. The text, not a kept statement, since the cache was just
// dropped; a failure here means it was already ended, or the connection is gone (the pool
// keeps it for reconnect).
void abandon_transaction(PooledSession& lease) {
  lease.cache().clear();
  try {
    lease.sql() << "ROLLBACK";
  } catch (...) {
  }
}

// `commit_sent` turns true once COMMIT has been asked for: from then on a lost connection
// leaves the outcome unknown.
Status run_on(PooledSession& lease, sdk::Dialect dialect,
              const std::function<Status(soci::session&)>& work, bool in_tx,
              bool* commit_sent = nullptr) {
  soci::session& sql = lease.sql();
  try {
    if (in_tx) run_control(lease, dialect, Control::begin);
    Status result = work(sql);
    if (!in_tx) return result;
    if (!result) {
      // The work's error is the one to report. A ROLLBACK that fails finds the transaction
      // already ended (SQLite ends it on a full disk or an I/O error) or the connection gone.
      try {
        run_control(lease, dialect, Control::rollback);
      } catch (...) {
        abandon_transaction(lease);
      }
      return result;
    }
    if (commit_sent) *commit_sent = true;
    run_control(lease, dialect, Control::commit);
    return result;
  } catch (...) {
    Status failure = sdk::database_error_from_current_exception();
    if (in_tx) {
      abandon_transaction(lease);
    } else {
      lease.cache().clear();
    }
    return failure;
  }
}

}  // namespace

void Db::end_idle_reads() {
  // A read left open pins its snapshot, and the checkpoint cannot pass it: end those of
  // the connections nobody is using (a few microseconds; a unit of work wanting one waits
  // that long).
  std::vector<std::size_t> idle;
  try {
    std::size_t position = 0;
    while (idle.size() < pool_size_ && pool_->try_lease(position, 0))
      idle.push_back(position);
  } catch (...) {
  }
  for (std::size_t position : idle) {
    end_reads(pool_->at(position));
    pool_->give_back(position);
  }
}

namespace {

// A unit of work whose PostgreSQL connection died under it. Before COMMIT was asked for,
// the server rolled its transaction back, so it can run again (transact() does, on another
// or reopened connection; the work re-reads what it decides on). After, nobody knows
// whether it committed: the caller is told, and its retry re-reads.
sdk::Error connection_lost(const sdk::Error& failure, bool in_tx, bool commit_sent) {
  if (in_tx && !commit_sent) {
    return sdk::make_error(ErrorKind::retry, "db_connection_lost",
                           "the database connection was lost: " + failure.message);
  }
  return sdk::make_error(ErrorKind::unavailable, "db_connection_lost",
                         std::string(commit_sent ? "the database connection was lost while "
                                                   "committing; the outcome is unknown: "
                                                 : "the database connection was lost: ") +
                             failure.message);
}

}  // namespace

Status Db::run_once(const std::function<Status(soci::session&)>& work, bool in_tx) {
  PooledSession lease(*pool_, caches_, dialect_);
  if (dialect_ == sdk::Dialect::sqlite) {
    Status result = run_on(lease, dialect_, work, in_tx);
    if (!result && is_storage_fault(result.error().message)) note_storage_fault(result.error());
    return result;
  }
  PgReconnect& connection = reconnect_[lease.position()];
  if (auto usable = connection.ensure_usable(lease.sql(), lease.cache(), conninfo_); !usable) {
    return usable;
  }
  bool commit_sent = false;
  Status result = run_on(lease, dialect_, work, in_tx, &commit_sent);
  if (result || pg_connection_ok(lease.sql())) return result;
  return connection_lost(result.error(), in_tx, commit_sent);
}

void Db::note_storage_fault(const sdk::Error& failure) noexcept {
  const auto now = std::chrono::steady_clock::now().time_since_epoch();
  const auto previous = storage_fault_at_.exchange(
      std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  if (previous == 0) host_log().warn("database not writable: " + failure.message);
}

void Db::note_write_committed() noexcept {
  if (storage_fault_at_.exchange(0) != 0) host_log().info("database writable again");
}

bool Db::ready() noexcept {
  const std::int64_t fault = storage_fault_at_.load();
  if (fault != 0) {
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now().time_since_epoch())
                         .count();
    if (now - fault < kStorageFaultHoldMs) return false;
  }
  return ping();
}

Status Db::run_transaction(const std::function<Status(soci::session&)>& work) {
  writes_.fetch_add(1, std::memory_order_relaxed);
  if (dialect_ != sdk::Dialect::sqlite) {
    commits_.fetch_add(1, std::memory_order_relaxed);
    return run_once(work, true);
  }
  return sqlite_writers_.submit(work);
}

namespace {

// Retried by transact(): the write itself did nothing wrong.
sdk::Error group_rolled_back() {
  return sdk::make_error(ErrorKind::retry, "group_rolled_back",
                         "SQLite rolled back the commit group this write was in");
}

// One write of a group, inside its own savepoint. `open` turns false if SQLite has ended
// the whole transaction (it does on some errors: disk full, I/O), which the failed
// ROLLBACK TO or RELEASE reveals.
Status run_in_savepoint(PooledSession& lease, const std::function<Status(soci::session&)>& work,
                        bool& open) {
  constexpr auto sqlite = sdk::Dialect::sqlite;
  Status result;
  try {
    run_control(lease, sqlite, Control::savepoint);
  } catch (...) {
    open = false;
    lease.cache().clear();
    return sdk::database_error_from_current_exception();
  }
  try {
    result = work(lease.sql());
  } catch (...) {
    result = sdk::database_error_from_current_exception();
    lease.cache().clear();  // a statement may have been left mid-step
  }
  try {
    if (!result) run_control(lease, sqlite, Control::rollback_to);
    run_control(lease, sqlite, Control::release);
  } catch (...) {
    open = false;
    lease.cache().clear();
    if (result) result = sdk::database_error_from_current_exception();
  }
  return result;
}

}  // namespace

void Db::run_group(std::vector<GroupCommit::Write*>& group) {
  run_group_writes(group);
  const sdk::Error* fault = nullptr;
  bool committed = false;
  for (const auto* write : group) {
    if (write->result) {
      committed = true;
    } else if (is_storage_fault(write->result.error().message)) {
      fault = &write->result.error();
    }
  }
  if (fault != nullptr) {
    note_storage_fault(*fault);
  } else if (committed) {
    note_write_committed();
  }
}

void Db::run_group_writes(std::vector<GroupCommit::Write*>& group) {
  commits_.fetch_add(1, std::memory_order_relaxed);
  // Groups run one at a time, so they share one connection, whose page cache then stays
  // valid from one group to the next (SQLite empties a connection's cache whenever another
  // connection has written).
  std::lock_guard writing(writer_mutex_);
  PooledSession lease(*writer_, *caches_.back());
  if (group.size() == 1) {  // alone: exactly the transaction it asked for
    group.front()->result = run_on(lease, dialect_, *group.front()->work, true);
    return;
  }
  try {
    run_control(lease, dialect_, Control::begin);
  } catch (...) {
    const Status failure = sdk::database_error_from_current_exception();
    lease.cache().clear();
    for (auto* write : group)
      write->result = failure;
    return;
  }
  bool open = true;
  for (auto* write : group) {
    if (!open) {
      write->result = group_rolled_back();
      continue;
    }
    RequestIdScope request(write->request_id);
    write->result = run_in_savepoint(lease, *write->work, open);
  }
  // A write whose result is ok was applied: the one that found the transaction ended
  // failed, and the ones after it did not run.
  Status committed = open ? Status() : Status(group_rolled_back());
  if (open) {
    try {
      run_control(lease, dialect_, Control::commit);
    } catch (...) {
      committed = sdk::database_error_from_current_exception();
    }
  }
  if (committed) return;
  abandon_transaction(lease);
  for (auto* write : group) {
    if (write->result) write->result = committed;
  }
}

Status Db::transact(const std::function<Status(soci::session&)>& work) noexcept {
  if (reserved_pool == pool_.get()) {
    return sdk::make_error(ErrorKind::internal, "transaction_in_quick_route",
                           "a transaction was started by a handler answered on an HTTP "
                           "thread (a route marked quick)");
  }
  if (in_transaction) {
    // A second connection's transaction inside the first would wait for the first's lock
    // (SQLite) or see none of its writes (PostgreSQL): a bug in the caller.
    return sdk::make_error(ErrorKind::internal, "nested_transaction",
                           "a transaction was started inside another on the same thread");
  }
  in_transaction = true;
  struct Reset {
    ~Reset() { in_transaction = false; }
  } reset;
  thread_local std::minstd_rand rng{std::random_device{}()};
  Status last;
  for (int attempt = 0; attempt < 12; ++attempt) {
    last = run_transaction(work);
    if (last || last.error().kind != ErrorKind::retry) return last;
    // Back off with jitter so contending transactions do not collide again in step.
    const int cap = std::min(64, 1 << attempt);
    std::this_thread::sleep_for(std::chrono::milliseconds(1 + static_cast<int>(rng() % cap)));
  }
  return last;
}

Db::Reservation::Reservation(Db& db, std::size_t position) noexcept
    : db_(&db), position_(position) {
  reserved_pool = db.pool_.get();
  reserved_position = position;
}

Db::Reservation::~Reservation() {
  if (!db_) return;
  reserved_pool = nullptr;
  db_->pool_->give_back(position_);
}

Db::Reservation Db::try_reserve() noexcept {
  std::size_t position = 0;
  try {
    if (!pool_->try_lease(position, 0)) return {};
  } catch (...) {
    return {};
  }
  return Reservation(*this, position);
}

Status Db::with_session(const std::function<Status(soci::session&)>& work) noexcept {
  return run_once(work, false);
}

std::unique_ptr<sdk::CachedStatement>* Db::statement_slot(soci::session& sql,
                                                          const void* key) noexcept {
  StatementCache* cache = StatementCache::of(sql);
  if (cache == nullptr) return nullptr;
  // Only this pool's connections: another Db's would outlive clear_statement_caches().
  const bool ours = std::any_of(caches_.begin(), caches_.end(),
                                [cache](const auto& c) { return c.get() == cache; });
  if (!ours) return nullptr;
  try {
    return &cache->slot(key);
  } catch (...) {  // out of memory: prepare for this call only
    return nullptr;
  }
}

void Db::clear_statement_caches() noexcept {
  for (auto& cache : caches_)
    cache->clear();
}

bool Db::ping() noexcept {
  return static_cast<bool>(with_session([](soci::session& sql) -> Status {
    int one = 0;
    sql << "SELECT 1", soci::into(one);
    return one == 1 ? Status() : Status(sdk::Error{});
  }));
}

}  // namespace payhost::host
