// SQLite group commit: writers queue here, and whichever finds nobody writing leads. The
// leader takes every queued write and hands the group to one transaction (see
// Db::run_group), so one WAL append, one lock cycle and one checksum chain serve them all.
// A commit costs about as much as the rest of a charge insert; under load a group holds
// several inserts and the cost is shared.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "payhost/sdk/result.hpp"

namespace payhost::host {

class GroupCommit {
 public:
  using Work = std::function<sdk::Status(soci::session&)>;

  // One queued write. It lives on its writer's stack until that writer's submit() returns.
  struct Write {
    const Work* work = nullptr;
    std::string request_id;  // the writer's, for log lines its work writes on the leader
    sdk::Status result;
  };
  // Runs every write of a group, in order, and sets each one's result.
  using RunGroup = std::function<void(std::vector<Write*>& group)>;

  explicit GroupCommit(RunGroup run) : run_(std::move(run)) {}

  // Queues `work` and returns its result once the group holding it has run, this thread
  // leading it or another. Groups run one at a time, in arrival order.
  sdk::Status submit(const Work& work);

  // Writes waiting for a group to take them (tests watch a group form).
  std::size_t queued();

 private:
  enum class State { waiting, lead, done };
  struct Waiter {
    Write write;
    State state = State::waiting;
    std::condition_variable wake;
  };

  void lead(Waiter& self);

  RunGroup run_;
  std::mutex mutex_;  // guards queue_, leading_ and every queued Waiter's state
  std::vector<Waiter*> queue_;
  bool leading_ = false;
};

}  // namespace payhost::host
