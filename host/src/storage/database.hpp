// The host's SOCI connection pool and transactions, for SQLite and PostgreSQL.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <soci/soci.h>

#include "config/config.hpp"
#include "payhost/sdk/database.hpp"
#include "storage/group_commit.hpp"
#include "storage/pg_reconnect.hpp"
#include "storage/statement_cache.hpp"

namespace payhost::host {

class Db final : public sdk::Database {
 public:
  // Opens `pool_size` connections. SQLite: WAL, busy timeout, synchronous=NORMAL, write
  // transactions queued in-process and committed in groups, checkpoints on a thread of
  // their own; the file is relative to data_dir unless absolute.
  static sdk::Result<std::unique_ptr<Db>> open(const DatabaseConfig& config,
                                               const std::string& data_dir);
  ~Db() override;

  sdk::Dialect dialect() const noexcept override { return dialect_; }
  sdk::Status transact(const std::function<sdk::Status(soci::session&)>& work) noexcept override;
  sdk::Status with_session(
      const std::function<sdk::Status(soci::session&)>& work) noexcept override;

  // A pooled connection held for the calling thread, so that reads it makes until the
  // reservation ends never wait for the pool; empty if none was free right now. While it
  // is held, transact() on this thread fails: a transaction may wait for SQLite's writer.
  class Reservation {
   public:
    Reservation() = default;
    Reservation(Db& db, std::size_t position) noexcept;
    ~Reservation();
    Reservation(const Reservation&) = delete;
    Reservation& operator=(const Reservation&) = delete;
    explicit operator bool() const noexcept { return db_ != nullptr; }

   private:
    Db* db_ = nullptr;
    std::size_t position_ = 0;
  };
  Reservation try_reserve() noexcept;

  std::unique_ptr<sdk::CachedStatement>* statement_slot(soci::session& sql,
                                                        const void* key) noexcept override;
  // Finalises every kept statement. Plugins' statements run plugin code when destroyed,
  // so this comes before any plugin is unloaded (and with no connection in use).
  void clear_statement_caches() noexcept;

  // Write transactions run and database transactions that carried them: equal on
  // PostgreSQL, fewer transactions than writes on SQLite when writes were grouped.
  struct WriteStats {
    std::uint64_t writes = 0;
    std::uint64_t transactions = 0;
  };
  WriteStats write_stats() const noexcept {
    return {writes_.load(std::memory_order_relaxed), commits_.load(std::memory_order_relaxed)};
  }
  // Writes waiting for SQLite's writer right now.
  std::size_t queued_writes() { return sqlite_writers_.queued(); }

  bool ping() noexcept;
  // Whether the database answers and, on SQLite, can be written: a write that failed
  // because the file cannot take it (disk full, I/O error, corruption) makes this false
  // until a write commits again, or for kStorageFaultHoldMs (nothing may be left to write
  // once readiness has turned traffic away; the next failure starts the period again).
  bool ready() noexcept;
  static constexpr std::int64_t kStorageFaultHoldMs = 10000;
  // What to print about this database (never the password).
  const std::string& description() const { return description_; }

 private:
  Db() = default;
  sdk::Status run_once(const std::function<sdk::Status(soci::session&)>& work, bool in_tx);
  sdk::Status run_transaction(const std::function<sdk::Status(soci::session&)>& work);
  // SQLite: the group's writes in one transaction, each in a savepoint of its own, so a
  // write that fails undoes only itself and the others commit as if it had never run.
  void run_group(std::vector<GroupCommit::Write*>& group);
  void run_group_writes(std::vector<GroupCommit::Write*>& group);
  void note_storage_fault(const sdk::Error& failure) noexcept;
  void note_write_committed() noexcept;
  void start_checkpointer(const std::string& file);
  void end_idle_reads();
  void checkpoint_loop();
  void checkpoint();

  sdk::Dialect dialect_ = sdk::Dialect::sqlite;
  std::size_t pool_size_ = 0;
  std::unique_ptr<soci::connection_pool> pool_;
  // SQLite: the connection every write group runs on (groups run one at a time).
  std::unique_ptr<soci::session> writer_;
  std::vector<std::unique_ptr<StatementCache>> caches_;  // by pool position, then writer_'s
  std::string description_;
  // PostgreSQL: the connection string for libpq, and each pooled connection's reopening.
  std::string conninfo_;
  std::vector<PgReconnect> reconnect_;
  // SQLite: when (steady clock, ms) a write last failed for the file's sake; 0 if a write
  // has committed since.
  std::atomic<std::int64_t> storage_fault_at_{0};

  // SQLite has one writer at a time. Queueing here wakes the next group the moment the
  // lock is free; SQLite's busy handler would sleep 1, 2, 5, 10... ms instead.
  GroupCommit sqlite_writers_{
      [this](std::vector<GroupCommit::Write*>& group) { run_group(group); }};
  // Held by a group while it runs on writer_, and by the checkpointer while it copies the
  // last frames of the log and starts it over (see checkpoint).
  std::mutex writer_mutex_;
  // SQLite checkpoints run here rather than inside whichever commit crosses the threshold.
  std::unique_ptr<soci::session> checkpoint_session_;
  std::atomic<std::uint64_t> commits_{0};  // database transactions (the checkpointer's cue)
  std::atomic<std::uint64_t> writes_{0};
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wake_;
  bool stopping_ = false;
  std::thread checkpointer_;
};

// "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db"
std::string redact_url(const std::string& url);

}  // namespace payhost::host
