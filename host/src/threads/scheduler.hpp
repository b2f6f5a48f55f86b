// Tasks to run after a delay (sdk::Host::schedule), handed to a worker pool when due.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "threads/worker_pool.hpp"

namespace payhost::host {

// Runs tasks at a time, on its own thread (which hands them to `pool`).
class Scheduler {
 public:
  explicit Scheduler(WorkerPool& pool);
  ~Scheduler();
  void schedule(std::chrono::milliseconds delay, std::function<void()> task);
  void stop();  // drops what has not run yet

 private:
  struct Item {
    std::chrono::steady_clock::time_point at;
    std::uint64_t seq;
    std::function<void()> task;
    bool operator>(const Item& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };
  WorkerPool& pool_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Item> heap_;
  std::uint64_t seq_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace payhost::host
