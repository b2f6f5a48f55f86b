#include "worker_pool.hpp"

#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "logging.hpp"

namespace payhost::host {

WorkerPool::WorkerPool(std::string name, int threads, std::size_t queue_limit,
                       Scheduling scheduling)
    : name_(std::move(name)), queue_limit_(queue_limit) {
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this, scheduling, first = i == 0] {
      if (scheduling == Scheduling::batch) {
        const sched_param normal_priority{};
        if (sched_setscheduler(0, SCHED_BATCH, &normal_priority) != 0 && first) {
          host_log().warn(name_ + " workers keep the default scheduling: SCHED_BATCH refused (" +
                          std::strerror(errno) + ")");
        }
      }
      for (;;) {
        std::function<void()> task;
        {
          std::unique_lock lock(mutex_);
          ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
          if (queue_.empty()) return;  // stopping and drained
          task = std::move(queue_.front());
          queue_.pop_front();
        }
        try {
          task();
        } catch (const std::exception& e) {
          host_log().error(name_ + " task threw: " + e.what());
        } catch (...) {
          host_log().error(name_ + " task threw");
        }
      }
    });
  }
}

WorkerPool::~WorkerPool() {
  stop();
}

bool WorkerPool::submit(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= queue_limit_) return false;
    queue_.push_back(std::move(task));
  }
  ready_.notify_one();
  return true;
}

void WorkerPool::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

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
