#include "http/router.hpp"

#include <gtest/gtest.h>

namespace payhost::host {
namespace {

RouteTarget route(const std::string& method, const std::string& path, const std::string& owner) {
  sdk::Route r;
  r.method = method;
  r.path = path;
  return RouteTarget{r, owner, nullptr};
}

TEST(Router, CapturesAndPrefersLiterals) {
  Router router;
  ASSERT_TRUE(router.add(route("GET", "/api/v2/wallet/charges/{id}", "wallet")).ok());
  ASSERT_TRUE(router.add(route("GET", "/api/v2/wallet/charges/summary", "wallet")).ok());
  auto m = router.match("GET", "/api/v2/wallet/charges/17");
  ASSERT_NE(m.target, nullptr);
  EXPECT_EQ(m.params.at("id"), "17");
  m = router.match("GET", "/api/v2/wallet/charges/summary");
  ASSERT_NE(m.target, nullptr);
  EXPECT_EQ(m.target->route.path, "/api/v2/wallet/charges/summary");
  EXPECT_TRUE(m.params.empty());
}

TEST(Router, MethodMismatchIsKnownPath) {
  Router router;
  ASSERT_TRUE(router.add(route("POST", "/notify/{plugin}", "host")).ok());
  auto m = router.match("GET", "/notify/alipay");
  EXPECT_EQ(m.target, nullptr);
  EXPECT_TRUE(m.path_known);
  m = router.match("GET", "/nothing");
  EXPECT_FALSE(m.path_known);
}

TEST(Router, ClashesNameBothOwners) {
  Router router;
  ASSERT_TRUE(router.add(route("GET", "/a/{x}", "wallet")).ok());
  auto st = router.add(route("GET", "/a/{y}", "campus"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("campus"), std::string::npos);
  EXPECT_NE(st.error().message.find("wallet"), std::string::npos);
  EXPECT_TRUE(router.add(route("POST", "/a/{y}", "campus")).ok());
}

TEST(Router, TrailingSlashesAndEmptySegments) {
  EXPECT_EQ(split_path("/a//b/"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(split_path("/").empty());
}

}  // namespace
}  // namespace payhost::host
