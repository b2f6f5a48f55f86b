#include "threads/worker_pool.hpp"

#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "observability/logging.hpp"

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

}  // namespace payhost::host
