#include "threads/worker_pool.hpp"

#include <gtest/gtest.h>
#include <sched.h>

#include <atomic>
#include <future>

namespace payhost::host {
namespace {

int policy_of_a_worker(WorkerPool& pool) {
  std::promise<int> policy;
  EXPECT_TRUE(pool.submit([&] { policy.set_value(sched_getscheduler(0)); }));
  return policy.get_future().get();
}

TEST(WorkerPool, BatchPoolsRunTheirTasksUnderSchedBatch) {
  WorkerPool batch("batch-test", 2, 8, WorkerPool::Scheduling::batch);
  WorkerPool normal("normal-test", 2, 8);
  EXPECT_EQ(policy_of_a_worker(batch), SCHED_BATCH);
  EXPECT_EQ(policy_of_a_worker(normal), SCHED_OTHER);
  EXPECT_EQ(sched_getscheduler(0), SCHED_OTHER);  // the creating thread is left alone
}

TEST(WorkerPool, AFullQueueRefusesAndStopRunsWhatWasQueued) {
  WorkerPool pool("queue-test", 1, 2);
  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> ran{0};
  ASSERT_TRUE(pool.submit([&] {
    started.set_value();
    released.wait();
    ++ran;
  }));
  started.get_future().wait();  // the worker is busy: what follows can only queue
  int accepted = 0;
  while (accepted < 10 && pool.submit([&] { ++ran; }))
    ++accepted;
  EXPECT_EQ(accepted, 2);
  release.set_value();
  pool.stop();
  EXPECT_EQ(ran.load(), 1 + accepted);
  EXPECT_FALSE(pool.submit([] {}));
}

}  // namespace
}  // namespace payhost::host
