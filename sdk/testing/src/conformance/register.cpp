#include <gtest/gtest.h>

#include <memory>

#include "conformance/session.hpp"

namespace payhost::sdk::testing {

namespace {

class ConformanceTest : public ::testing::Test {
 public:
  ConformanceTest(std::shared_ptr<const ChannelUnderTest> subject, std::string name,
                  conformance::Check check)
      : subject_(std::move(subject)), name_(std::move(name)), check_(check) {}

  void TestBody() override {
    conformance::Session session(*subject_, name_);
    if (!session.start()) return;
    check_(session);
  }

 private:
  std::shared_ptr<const ChannelUnderTest> subject_;
  std::string name_;
  conformance::Check check_;
};

}  // namespace

bool register_channel_conformance(const std::string& name, ChannelUnderTest subject) {
  auto shared = std::make_shared<const ChannelUnderTest>(std::move(subject));
  const std::string suite = "ChannelConformance/" + name;
  for (const auto& group : {conformance::option_checks(), conformance::channel_checks(),
                            conformance::notification_checks()}) {
    for (const auto& check : group) {
      ::testing::RegisterTest(suite.c_str(), check.name, nullptr, nullptr, __FILE__, __LINE__,
                              [shared, name, run = check.run]() -> ::testing::Test* {
                                return new ConformanceTest(shared, name, run);
                              });
    }
  }
  return true;
}

}  // namespace payhost::sdk::testing
