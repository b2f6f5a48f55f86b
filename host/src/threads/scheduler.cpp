#include "threads/scheduler.hpp"

#include <algorithm>

#include "observability/logging.hpp"

namespace payhost::host {

Scheduler::Scheduler(WorkerPool& pool) : pool_(pool) {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      if (heap_.empty()) {
        wake_.wait(lock);
        continue;
      }
      const auto at = heap_.front().at;
      if (std::chrono::steady_clock::now() < at) {
        wake_.wait_until(lock, at);
        continue;
      }
      std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
      auto task = std::move(heap_.back().task);
      heap_.pop_back();
      lock.unlock();
      if (!pool_.submit(std::move(task))) host_log().warn("scheduled task dropped: pool full");
      lock.lock();
    }
  });
}

Scheduler::~Scheduler() {
  stop();
}

void Scheduler::schedule(std::chrono::milliseconds delay, std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    heap_.push_back(Item{std::chrono::steady_clock::now() + delay, seq_++, std::move(task)});
    std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
  }
  wake_.notify_one();
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    heap_.clear();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace payhost::host
