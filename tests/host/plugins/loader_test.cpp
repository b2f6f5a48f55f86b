#include "plugins/loader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "payhost/sdk/channel.hpp"
#include "plugins/plugin_registry.hpp"

namespace payhost::host {
namespace {

std::string fixture(const std::string& name) {
  return std::string(FIXTURE_DIR) + "/" + name + ".so";
}

std::string refusal(const std::string& path, const std::string& expected_name = "") {
  auto r = load_plugin(path, expected_name);
  EXPECT_FALSE(r.ok()) << path << " should have been refused";
  if (r.ok()) return "";
  EXPECT_NE(r.error().message.find(path), std::string::npos) << "message must name the file";
  return r.error().message;
}

TEST(Loader, LoadsAGoodPlugin) {
  auto r = load_plugin(std::string(TEST_PLUGIN_DIR) + "/testchannel.so", "testchannel");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)->name(), "testchannel");
  EXPECT_EQ((*r)->kind(), PAYHOST_PLUGIN_CHANNEL);
  ASSERT_NE((*r)->object().as_channel(), nullptr);
  EXPECT_EQ((*r)->object().as_channel()->channel_specs().size(), 2u);
}

TEST(Loader, RefusesMissingFileAndRelativePath) {
  EXPECT_NE(refusal("/nonexistent/plugin.so").find("file not found"), std::string::npos);
  auto r = load_plugin("relative.so", "");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("must be absolute"), std::string::npos);
}

TEST(Loader, RefusesNonLibrary) {
  const std::string path = "/tmp/payhost-not-a-library.so";
  std::ofstream(path) << "not an ELF file";
  EXPECT_NE(refusal(path).find("cannot be loaded"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(Loader, RefusesMissingDescriptor) {
  EXPECT_NE(refusal(fixture("no_descriptor")).find("exports no \"payhost_plugin\" descriptor"),
            std::string::npos);
}

TEST(Loader, RefusesAbiMismatch) {
  const auto m = refusal(fixture("bad_abi"));
  const std::string future = std::to_string(PAYHOST_SDK_ABI_VERSION + 98);
  EXPECT_NE(m.find("built for SDK ABI version " + future), std::string::npos) << m;
  EXPECT_NE(m.find("rebuild the plugin"), std::string::npos) << m;
}

TEST(Loader, RefusesToolchainMismatch) {
  const auto m = refusal(fixture("bad_toolchain"));
  EXPECT_NE(m.find("toolchain mismatch"), std::string::npos) << m;
  EXPECT_NE(m.find("gcc-9.1"), std::string::npos) << m;
  EXPECT_NE(m.find(PAYHOST_TOOLCHAIN_FINGERPRINT), std::string::npos) << m;
}

TEST(Loader, RefusesFailingFactory) {
  EXPECT_NE(refusal(fixture("factory_fails")).find("factory failed"), std::string::npos);
}

TEST(Loader, RefusesKindMismatch) {
  EXPECT_NE(refusal(fixture("wrong_kind")).find("not of the kind its descriptor declares"),
            std::string::npos);
}

TEST(Loader, RefusesNameMismatch) {
  const auto m = refusal(std::string(TEST_PLUGIN_DIR) + "/testchannel.so", "alipay");
  EXPECT_NE(m.find("is plugin \"testchannel\" but the configuration names it \"alipay\""),
            std::string::npos)
      << m;
}

TEST(Loader, RefusesDuplicateChannelAcrossPlugins) {
  const std::string path = "/tmp/payhost-dup-channel.yaml";
  std::ofstream(path) << "plugins:\n  testchannel:\n    path: " << TEST_PLUGIN_DIR
                      << "/testchannel.so\n    channels: [testpay]\n  thrower:\n    path: "
                      << fixture("thrower") << "\n    channels: [testpay]\n";
  auto config = load_config(path);
  ASSERT_TRUE(config.ok()) << config.error().message;
  PluginRegistry registry;
  auto st = registry.load(*config);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("plugins.thrower.channels: channel \"testpay\" is already "
                                    "enabled by plugin testchannel"),
            std::string::npos)
      << st.error().message;
  std::filesystem::remove(path);
}

// Every entry point of the thrower throws something odd; none of it may escape.
TEST(Loader, ExceptionBarriersTurnThrowsIntoErrors) {
  auto r = load_plugin(fixture("thrower"), "thrower");
  ASSERT_TRUE(r.ok()) << r.error().message;
  sdk::ChannelPlugin* ch = (*r)->object().as_channel();
  ASSERT_NE(ch, nullptr);
  auto created = ch->create(sdk::CreateRequest{});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().kind, sdk::ErrorKind::internal);
  EXPECT_NE(created.error().message.find("create threw"), std::string::npos);
  auto verified = ch->verify_notification(sdk::HttpRequest{});
  ASSERT_FALSE(verified.ok());
  EXPECT_NE(verified.error().message.find("verify_notification threw"), std::string::npos);
  auto queried = ch->query(sdk::TradeRef{});
  ASSERT_FALSE(queried.ok());
  EXPECT_NE(queried.error().message.find("std::bad_alloc"), std::string::npos);
  EXPECT_EQ(ch->notification_reply(true).status, 200);  // falls back, does not throw
  EXPECT_FALSE(ch->close(sdk::TradeRef{}).ok());        // not supported by default
}

}  // namespace
}  // namespace payhost::host
