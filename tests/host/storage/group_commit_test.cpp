// SQLite group commit: writes that queue while another commits run together in one
// transaction, each in a savepoint; what one write does wrong undoes only that write.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "flow_support.hpp"
#include "scratch_sqlite.hpp"
#include "storage/database.hpp"
#include "storage/group_commit.hpp"

namespace payhost::host {
namespace {

using flow::eventually;
using sdk::Status;

// A gate the first write waits at while the test queues the rest behind it.
class Gate {
 public:
  void enter() {
    std::unique_lock lock(mutex_);
    entered_ = true;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
  }
  void wait_entered() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return entered_; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool entered_ = false;
  bool open_ = false;
};

TEST(GroupCommit, WritesQueuedBehindALeaderRunAsOneGroupInArrivalOrder) {
  std::mutex seen_mutex;
  std::vector<std::vector<int>> groups;  // the tags of each group's writes
  Gate gate;
  soci::session unused;  // the works here touch no database
  GroupCommit writers([&](std::vector<GroupCommit::Write*>& group) {
    std::vector<int> tags;
    for (auto* w : group) {
      w->result = (*w->work)(unused);
      tags.push_back(w->result ? 1 : 0);
    }
    std::lock_guard lock(seen_mutex);
    groups.push_back(tags);
  });
  std::vector<int> order;
  std::mutex order_mutex;
  auto work_tagged = [&](int tag, bool ok) {
    return [&, tag, ok](soci::session&) -> Status {
      if (tag == 0) gate.enter();
      std::lock_guard lock(order_mutex);
      order.push_back(tag);
      return ok ? Status() : Status(sdk::make_error(sdk::ErrorKind::conflict, "no", "no"));
    };
  };
  std::vector<Status> results(5);
  std::vector<std::thread> threads;
  const GroupCommit::Work first = work_tagged(0, true);
  threads.emplace_back([&] { results[0] = writers.submit(first); });
  gate.wait_entered();
  std::vector<GroupCommit::Work> works;
  for (int tag = 1; tag < 5; ++tag)
    works.push_back(work_tagged(tag, tag != 3));
  for (int tag = 1; tag < 5; ++tag) {
    threads.emplace_back([&, tag] { results[tag] = writers.submit(works[tag - 1]); });
    ASSERT_TRUE(eventually([&] { return writers.queued() == static_cast<std::size_t>(tag); }));
  }
  gate.open();
  for (auto& t : threads)
    t.join();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].size(), 1u);
  EXPECT_EQ(groups[1], (std::vector<int>{1, 1, 0, 1}));
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  for (int tag = 0; tag < 5; ++tag)
    EXPECT_EQ(results[tag].ok(), tag != 3) << tag;
  EXPECT_EQ(writers.queued(), 0u);
}

class SqliteGroups : public ScratchSqlite {
 protected:
  SqliteGroups() : ScratchSqlite("groups", 4) {}
  void SetUp() override {
    ScratchSqlite::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(db_->transact([](soci::session& sql) -> Status {
                     sql << "CREATE TABLE rows (tag INTEGER PRIMARY KEY)";
                     return {};
                   })
                    .ok());
  }

  std::vector<int> tags() {
    std::vector<int> out;
    EXPECT_TRUE(db_->with_session([&](soci::session& sql) -> Status {
                     int n = 0;
                     sql << "SELECT COUNT(*) FROM rows", soci::into(n);
                     if (n > 0) {
                       out.resize(n);
                       sql << "SELECT tag FROM rows ORDER BY tag", soci::into(out);
                     }
                     return {};
                   })
                    .ok());
    return out;
  }

  // Runs write(0) (held at the gate until the others queue), then writes 1..n-1 queued
  // behind it, and returns each one's result.
  std::vector<Status> queue_behind_a_held_write(
      int n, const std::function<Status(soci::session&, int)>& write) {
    Gate gate;
    std::vector<Status> results(n);
    std::vector<std::thread> threads;
    threads.emplace_back([&] {
      results[0] = db_->transact([&](soci::session& sql) -> Status {
        gate.enter();
        return write(sql, 0);
      });
    });
    gate.wait_entered();
    for (int tag = 1; tag < n; ++tag) {
      threads.emplace_back([&, tag] {
        results[tag] = db_->transact([&, tag](soci::session& sql) { return write(sql, tag); });
      });
      EXPECT_TRUE(
          eventually([&] { return db_->queued_writes() == static_cast<std::size_t>(tag); }));
    }
    gate.open();
    for (auto& t : threads)
      t.join();
    return results;
  }
};

TEST_F(SqliteGroups, AFailedOrThrowingWriteUndoesOnlyItself) {
  const auto before = db_->write_stats();
  auto results = queue_behind_a_held_write(8, [](soci::session& sql, int tag) -> Status {
    sql << "INSERT INTO rows (tag) VALUES (:t)", soci::use(tag);
    if (tag == 3) return sdk::make_error(sdk::ErrorKind::conflict, "refused", "refused");
    if (tag == 5) throw std::runtime_error("plugin bug");
    if (tag == 6) sql << "INSERT INTO rows (tag) VALUES (1)";  // duplicate key: throws
    return {};
  });
  for (int tag = 0; tag < 8; ++tag) {
    EXPECT_EQ(results[tag].ok(), tag != 3 && tag != 5 && tag != 6) << tag;
  }
  EXPECT_EQ(results[3].error().code, "refused");
  EXPECT_EQ(results[5].error().message, "plugin bug");
  EXPECT_EQ(tags(), (std::vector<int>{0, 1, 2, 4, 7}));
  const auto after = db_->write_stats();
  EXPECT_EQ(after.writes - before.writes, 8u);
  EXPECT_EQ(after.transactions - before.transactions, 2u) << "the held write, then one group";
}

TEST_F(SqliteGroups, AWriteThatEndsTheTransactionFailsAndTheOthersAreRetried) {
  // SQLite ends the whole transaction on some errors (disk full, I/O); a write that ends
  // it itself has the same effect. The writes around it must not be lost or half-done.
  auto results = queue_behind_a_held_write(6, [](soci::session& sql, int tag) -> Status {
    sql << "INSERT INTO rows (tag) VALUES (:t)", soci::use(tag);
    if (tag == 2) sql << "ROLLBACK";
    return {};
  });
  for (int tag = 0; tag < 6; ++tag)
    EXPECT_EQ(results[tag].ok(), tag != 2) << tag;
  EXPECT_EQ(tags(), (std::vector<int>{0, 1, 3, 4, 5}));
}

TEST_F(SqliteGroups, ConcurrentWritersLoseNothing) {
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        const int tag = t * 1000 + i;
        auto st = db_->transact([tag](soci::session& sql) -> Status {
          sql << "INSERT INTO rows (tag) VALUES (:t)", soci::use(tag);
          return tag % 10 == 7 ? Status(sdk::make_error(sdk::ErrorKind::conflict, "x", "x"))
                               : Status();
        });
        if (st.ok() == (tag % 10 == 7)) ++failed;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(failed.load(), 0);
  const auto rows = tags();
  EXPECT_EQ(rows.size(), 720u);
  for (int tag : rows)
    EXPECT_NE(tag % 10, 7) << tag;
  const auto stats = db_->write_stats();
  EXPECT_EQ(stats.writes, 801u);  // and the CREATE TABLE
  EXPECT_LE(stats.transactions, stats.writes);
}

}  // namespace
}  // namespace payhost::host
