// The plugin on the kit's in-process host (payhost::sdk_testing), out of payhost's tree.
#include <gtest/gtest.h>

#include <payhost/sdk/testing/fake_host.hpp>

#include "hello_channel.hpp"

namespace hello {
namespace {

TEST(HelloChannel, ItsCredentialCarriesTheConfiguredGreeting) {
  payhost::sdk::testing::FakeHost host;
  HelloChannel plugin;
  ASSERT_TRUE(
      plugin.start(payhost::sdk::Options(payhost::sdk::Json{{"greeting", "ni hao"}}), host).ok());
  payhost::sdk::CreateRequest request;
  request.channel = "hello";
  request.order_no = "o1";
  request.amount = 1;
  auto created = plugin.create(request);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->credential["greeting"], "ni hao");
  EXPECT_EQ(created->credential["order_no"], "o1");
  EXPECT_TRUE(host.provider.sent().empty()) << "hello talks to no provider";
}

}  // namespace
}  // namespace hello
