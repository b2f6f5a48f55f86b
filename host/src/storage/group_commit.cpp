#include "storage/group_commit.hpp"

#include "observability/logging.hpp"

namespace payhost::host {

sdk::Status GroupCommit::submit(const Work& work) {
  Waiter self;
  self.write.work = &work;
  self.write.request_id = current_request_id();
  {
    std::unique_lock lock(mutex_);
    queue_.push_back(&self);
    if (!leading_) {
      leading_ = true;
      self.state = State::lead;
    }
    self.wake.wait(lock, [&] { return self.state != State::waiting; });
  }
  if (self.state == State::lead) lead(self);
  return std::move(self.write.result);
}

std::size_t GroupCommit::queued() {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void GroupCommit::lead(Waiter& self) {
  std::vector<Waiter*> waiters;
  std::vector<Write*> group;
  {
    std::lock_guard lock(mutex_);
    waiters.swap(queue_);
  }
  try {
    group.reserve(waiters.size());
    for (Waiter* w : waiters)
      group.push_back(&w->write);
    run_(group);
  } catch (...) {  // run_ reports failures in results; this is out of memory
    for (Waiter* w : waiters) {
      w->write.result = sdk::make_error(sdk::ErrorKind::internal, "group_commit",
                                        "the write queue ran out of memory");
    }
  }
  // Each waiter reads its result and leaves only after taking the mutex, so it cannot
  // destroy its Waiter while this loop still signals it.
  std::lock_guard lock(mutex_);
  for (Waiter* w : waiters) {
    w->state = State::done;
    if (w != &self) w->wake.notify_one();
  }
  if (queue_.empty()) {
    leading_ = false;
  } else {
    queue_.front()->state = State::lead;
    queue_.front()->wake.notify_one();
  }
}

}  // namespace payhost::host
