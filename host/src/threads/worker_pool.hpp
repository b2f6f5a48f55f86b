// A fixed pool of threads with a bounded queue: blocking handlers run here, never on the
// HTTP reactor threads. A full queue refuses work instead of growing without bound.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace payhost::host {

class WorkerPool {
 public:
  enum class Scheduling {
    normal,
    // SCHED_BATCH: a woken thread of the pool waits for the running one's turn to end
    // instead of preempting it. For pools whose tasks are CPU work (signatures): a woken
    // worker does not interrupt another in the middle of one, while threads outside the
    // pool (the HTTP reactors) still preempt the workers as soon as they wake.
    batch,
  };
  WorkerPool(std::string name, int threads, std::size_t queue_limit,
             Scheduling scheduling = Scheduling::normal);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // False if the queue is full or the pool is stopping; the task is then not run.
  bool submit(std::function<void()> task);
  void stop();  // runs what is queued, then joins

 private:
  std::string name_;
  std::size_t queue_limit_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
};

}  // namespace payhost::host
