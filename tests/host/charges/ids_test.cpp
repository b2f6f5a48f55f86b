#include "charges/ids.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>
#include <vector>

namespace payhost::host {
namespace {

TEST(Ids, RequestIdsAreUniqueAcrossThreads) {
  std::vector<std::vector<std::string>> per_thread(4);
  std::vector<std::thread> threads;
  for (auto& ids : per_thread) {
    threads.emplace_back([&ids] {
      for (int i = 0; i < 1000; ++i)
        ids.push_back(new_request_id());
    });
  }
  for (auto& t : threads)
    t.join();
  std::set<std::string> all;
  for (const auto& ids : per_thread) {
    for (const auto& id : ids) {
      EXPECT_EQ(id.size(), 16u);
      EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
      all.insert(id);
    }
  }
  EXPECT_EQ(all.size(), 4000u);
}

TEST(Ids, ChargeIdsAndOrderNumbersHaveTheirShapes) {
  const std::string id = new_charge_id();
  EXPECT_EQ(id.rfind("ch_", 0), 0u);
  EXPECT_EQ(id.size(), 27u);
  const std::string order = new_order_no(1'800'000'000);
  EXPECT_EQ(order.substr(0, 14), "20270115080000");
  EXPECT_EQ(order.size(), 24u);
  EXPECT_NE(new_charge_id(), id);
}

TEST(Ids, ChargeAndEventIdsMadeLaterSortAfter) {
  const std::string charge = new_charge_id();
  const std::string event = new_event_id();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_GT(new_charge_id(), charge);
  EXPECT_GT(new_event_id(), event);
}

}  // namespace
}  // namespace payhost::host
