// The console's sessions, CSRF, roles, rate limit and audit through the real payhostd with
// the wallet loaded (its admin routes take the session too), and the `payhostd operator`
// CLI. Once per database: console_auth_test (SQLite), console_auth_pg_test (PostgreSQL).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "support/harness.hpp"
#include "support/host_database.hpp"

namespace payhost::console_test {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using testing::HttpResult;
using testing::Payhostd;

#ifdef CONSOLE_TEST_POSTGRES
constexpr bool kPostgres = true;
#else
constexpr bool kPostgres = false;
#endif

constexpr const char* kPassword = "s3cret-Passw0rd-never-shown";

std::string config(const std::string& console = "{session_minutes: 5}",
                   const std::string& server = "{}") {
  return "livemode: false\n"
         "app_id: app_5anXP4ezfXvL8m5e\n"
         "data_dir: \"@DATA_DIR@\"\n"
         "plugin_dir: \"@PLUGIN_DIR@\"\n"
         "database:\n  url: \"@DATABASE_URL@\"\n"
         "auth:\n  jwt_secret: test-secret-please-change-0123456789\n  admin_users: [\"1\"]\n"
         "jobs: {janitor: false}\n"
         "server: " +
         server + "\nconsole: " + console +
         "\n"
         "plugins:\n"
         "  testchannel:\n    path: \"@TEST_PLUGIN_DIR@/testchannel.so\"\n"
         "    channels: [testpay, testpay_wap]\n"
         "  wallet:\n    options: {cash: [alipay, wechat]}\n";
}

std::unique_ptr<Payhostd> start(const std::string& yaml = config()) {
  if (kPostgres && testing::postgres_url().empty()) {
    throw std::runtime_error("PAYHOST_TEST_PG_URL is not set: the PostgreSQL suite must run");
  }
  return std::make_unique<Payhostd>(yaml, kPostgres);
}

// Runs `payhostd <args> --config <file>` with `input` on its stdin (a pipe, not a terminal).
int cli_with_stdin(const Payhostd& host, std::vector<std::string> args, const std::string& input,
                   std::string* out) {
  args.insert(args.begin(), testing::payhostd_path());
  args.push_back("--config");
  args.push_back(host.config_path());
  int in[2], output[2];
  if (::pipe(in) != 0 || ::pipe(output) != 0) throw std::runtime_error("pipe");
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(output[1], 1);
    ::dup2(output[1], 2);
    ::close(in[1]);
    ::close(output[0]);
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(output[1]);
  if (!input.empty() && ::write(in[1], input.data(), input.size()) < 0) {
    throw std::runtime_error("write");
  }
  ::close(in[1]);
  std::string text;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = ::read(output[0], buffer, sizeof buffer)) > 0)
    text.append(buffer, static_cast<std::size_t>(n));
  ::close(output[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

void add_operator(const Payhostd& host, const std::string& name, const std::string& role,
                  const std::string& password = kPassword) {
  std::string out;
  ASSERT_EQ(cli_with_stdin(host, {"operator", "add", name, "--role", role}, password + "\n", &out),
            0)
      << out;
  EXPECT_EQ(out.find(password), std::string::npos) << "the password was echoed: " << out;
}

struct Signed {
  std::string cookie;  // "payhost_console=..."
  std::string csrf;
  std::string set_cookie;
};

HttpResult signin_raw(const Payhostd& host, const std::string& name, const std::string& password) {
  return host.post_json("/console/api/signin", Json{{"name", name}, {"password", password}}.dump());
}

Signed signin(const Payhostd& host, const std::string& name,
              const std::string& password = kPassword) {
  const HttpResult r = signin_raw(host, name, password);
  if (r.status != 200) {
    throw std::runtime_error("sign-in of " + name + ": " + std::to_string(r.status) + " " + r.body);
  }
  Signed s;
  s.set_cookie = r.headers.at("set-cookie");
  s.cookie = s.set_cookie.substr(0, s.set_cookie.find(';'));
  s.csrf = r.json()["csrf_token"].get<std::string>();
  return s;
}

HttpResult call(const Payhostd& host, const std::string& method, const std::string& path,
                const Signed* who, const std::string& csrf = {}, const std::string& body = {}) {
  std::vector<std::string> headers = {"Content-Type: application/json"};
  if (who) headers.push_back("Cookie: " + who->cookie);
  if (!csrf.empty()) headers.push_back("X-CSRF-Token: " + csrf);
  return host.request(method, path, body, headers);
}

std::string error_code(const HttpResult& r) {
  const Json j = Json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
}

Json audit(const Payhostd& host, const Signed& who, const std::string& query = "") {
  const HttpResult r = call(host, "GET", "/console/api/audit" + query, &who);
  if (r.status != 200) throw std::runtime_error("audit: " + r.body);
  return r.json();
}

std::string scalar(const Payhostd& host, const std::string& query) {
  auto db = testing::open_host_database(host);
  std::string value;
  const auto st = db->with_session([&](soci::session& sql) -> sdk::Status {
    soci::indicator ind = soci::i_null;
    sql << query, soci::into(value, ind);
    if (ind != soci::i_ok) value.clear();
    return {};
  });
  if (!st) throw std::runtime_error(st.error().message);
  return value;
}

void execute(const Payhostd& host, const std::string& statement) {
  auto db = testing::open_host_database(host);
  const auto st = db->transact([&](soci::session& sql) -> sdk::Status {
    sql << statement;
    return {};
  });
  if (!st) throw std::runtime_error(st.error().message);
}

TEST(ConsoleAuth, OperatorsSignInSessionsCsrfRolesAudit) {
  auto host_ptr = start();
  const Payhostd& host = *host_ptr;
  add_operator(host, "alice", "finance");
  add_operator(host, "victor", "viewer");

  // The CLI: refusals, the hash, the listing.
  std::string out;
  EXPECT_EQ(cli_with_stdin(host, {"operator", "add", "alice", "--role", "admin"}, "another-pass1\n",
                           &out),
            1)
      << out;
  EXPECT_NE(cli_with_stdin(host, {"operator", "add", "bob", "--role", "admin"}, "short\n", &out),
            0);
  EXPECT_NE(out.find("10 to 256"), std::string::npos) << out;
  EXPECT_NE(cli_with_stdin(host, {"operator", "add", "bad name", "--role", "admin"},
                           "long-enough-password\n", &out),
            0);
  EXPECT_NE(cli_with_stdin(host, {"operator", "add", "bob", "--role", "root"},
                           "long-enough-password\n", &out),
            0);
  EXPECT_NE(cli_with_stdin(host, {"operator", "add", "bob", "--role", "admin"}, "", &out), 0);
  const std::string hash =
      scalar(host, "SELECT password_hash FROM console_operators WHERE name = 'alice'");
  EXPECT_TRUE(hash.starts_with("scrypt$15$8$1$")) << hash;
  EXPECT_EQ(hash.find(kPassword), std::string::npos);
  ASSERT_EQ(cli_with_stdin(host, {"operator", "list"}, "", &out), 0);
  EXPECT_NE(out.find("alice  finance"), std::string::npos) << out;
  EXPECT_NE(out.find("victor  viewer"), std::string::npos) << out;
  EXPECT_EQ(out.find("scrypt"), std::string::npos) << out;

  // Wrong password and unknown name: the same answer.
  const HttpResult wrong = signin_raw(host, "alice", "not-the-password");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(error_code(wrong), "bad_credentials");
  const HttpResult unknown = signin_raw(host, "nobody", "not-the-password");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.body, wrong.body);
  EXPECT_EQ(signin_raw(host, "alice", "").status, 401);
  EXPECT_EQ(host.post_json("/console/api/signin", "{\"name\":\"alice\"}").status, 400);
  EXPECT_EQ(host.post_json("/console/api/signin", "not json").status, 400);

  // Sign-in: the cookie's attributes, the session object, the API's headers.
  const HttpResult ok = signin_raw(host, "alice", kPassword);
  ASSERT_EQ(ok.status, 200) << ok.body;
  const Json session = ok.json();
  EXPECT_EQ(session["operator"], (Json{{"name", "alice"}, {"role", "finance"}}));
  EXPECT_EQ(session["csrf_token"].get<std::string>().size(), 43u);
  const std::string set_cookie = ok.headers.at("set-cookie");
  EXPECT_TRUE(set_cookie.starts_with("payhost_console=")) << set_cookie;
  EXPECT_EQ(set_cookie.find(';'), std::string("payhost_console=").size() + 43) << set_cookie;
  for (const char* attribute : {"; Path=/", "; HttpOnly", "; SameSite=Strict", "; Max-Age=300"})
    EXPECT_NE(set_cookie.find(attribute), std::string::npos) << attribute << ": " << set_cookie;
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << "http public_url: " << set_cookie;
  EXPECT_EQ(ok.headers.at("cache-control"), "no-store");
  EXPECT_EQ(ok.headers.at("referrer-policy"), "no-referrer");
  EXPECT_EQ(ok.headers.at("content-security-policy"),
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  Signed alice;
  alice.set_cookie = set_cookie;
  alice.cookie = set_cookie.substr(0, set_cookie.find(';'));
  alice.csrf = session["csrf_token"];
  // Only the cookie's SHA-256 is stored.
  EXPECT_EQ(scalar(host, "SELECT COUNT(*) FROM console_sessions WHERE token_hash = '" +
                             alice.cookie.substr(16) + "'"),
            "0");
  EXPECT_EQ(scalar(host, "SELECT COUNT(*) FROM console_sessions WHERE operator = 'alice'"), "1");

  const HttpResult got = call(host, "GET", "/console/api/session", &alice);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json(), session);
  const HttpResult anonymous = call(host, "GET", "/console/api/session", nullptr);
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(error_code(anonymous), "unauthenticated");
  EXPECT_EQ(call(host, "GET", "/console/api/audit", nullptr).status, 401);
  Signed forged = alice;
  forged.cookie = "payhost_console=" + std::string(43, 'A');
  EXPECT_EQ(call(host, "GET", "/console/api/session", &forged).status, 401);
  const HttpResult unknown_route = call(host, "GET", "/console/api/nothing-here", &alice);
  EXPECT_EQ(unknown_route.status, 404);
  EXPECT_EQ(error_code(unknown_route), "not_found");

  // CSRF: missing or wrong on a change is 403 csrf and nothing happens (signout is a change).
  for (const std::string& csrf : {std::string(), std::string(43, 'x'), alice.csrf + "x"}) {
    const HttpResult r = call(host, "POST", "/console/api/signout", &alice, csrf);
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(error_code(r), "csrf");
  }
  EXPECT_EQ(call(host, "GET", "/console/api/session", &alice).status, 200);

  // A viewer may read but not change: 403 forbidden, even with its CSRF token.
  const Signed viewer = signin(host, "victor");
  EXPECT_EQ(call(host, "GET", "/console/api/audit", &viewer).status, 200);
  const HttpResult viewer_refund = call(host, "POST", "/console/api/charges/ch_nothing/refunds",
                                        &viewer, viewer.csrf, Json{{"reason", "test"}}.dump());
  EXPECT_EQ(viewer_refund.status, 403) << viewer_refund.body;
  EXPECT_EQ(error_code(viewer_refund), "forbidden");
  // Another session's token is not this one's.
  EXPECT_EQ(error_code(call(host, "POST", "/console/api/charges/ch_nothing/refunds", &viewer,
                            alice.csrf, "{}")),
            "csrf");

  // The wallet's admin routes take the cookie; no other route does.
  const HttpResult cashes = call(host, "GET", "/api/v2/admin/wallet/cashes", &alice);
  EXPECT_EQ(cashes.status, 200) << cashes.body;
  EXPECT_EQ(call(host, "GET", "/api/v2/admin/wallet/cashes", &viewer).status, 200);
  EXPECT_EQ(call(host, "GET", "/api/v2/admin/wallet/cashes", nullptr).status, 401);
  EXPECT_EQ(call(host, "GET", "/api/v2/wallet", &alice).status, 401);
  EXPECT_EQ(call(host, "GET", "/v1/me", &alice).status, 401);
  const std::string decide = "/api/v2/admin/wallet/cashes/987654/passed";
  const std::string remark = Json{{"remark", "ok"}}.dump();
  EXPECT_EQ(call(host, "PATCH", decide, &alice, "", remark).status, 403);
  EXPECT_EQ(call(host, "PATCH", decide, &alice, viewer.csrf, remark).status, 403);
  EXPECT_EQ(call(host, "PATCH", decide, &viewer, viewer.csrf, remark).status, 403);
  // Past authentication: the wallet's own answer (no such withdrawal).
  EXPECT_EQ(call(host, "PATCH", decide, &alice, alice.csrf, remark).status, 404);
  // A bearer token still works as before, and a bad one is not rescued by the cookie.
  EXPECT_EQ(host.get("/api/v2/admin/wallet/cashes", host.token("1", true)).status, 200);
  EXPECT_EQ(host.request("GET", "/api/v2/admin/wallet/cashes", "",
                         {"Cookie: " + alice.cookie, "Authorization: Bearer nonsense"})
                .status,
            401);

  // The audit log, newest first.
  const Json log = audit(host, alice);
  ASSERT_TRUE(log["data"].is_array());
  std::vector<std::string> actions;
  std::string previous_id;
  long long previous_at = 0;
  for (const Json& row : log["data"]) {
    actions.push_back(row["operator"].get<std::string>() + " " + row["action"].get<std::string>() +
                      " " + std::to_string(row["status"].get<int>()));
    if (!previous_id.empty()) {
      EXPECT_LT(row["id"].get<std::string>(), previous_id);
      EXPECT_LE(row["at_ms"].get<long long>(), previous_at);
    }
    previous_id = row["id"];
    previous_at = row["at_ms"];
    EXPECT_EQ(row["client_ip"], "127.0.0.1");
    EXPECT_EQ(row.dump().find(kPassword), std::string::npos);
  }
  const std::vector<std::string> expected = {
      "alice PATCH " + decide + " 404",
      "victor PATCH " + decide + " 403",
      "alice PATCH " + decide + " 403",
      "alice PATCH " + decide + " 403",
      "victor POST /console/api/charges/ch_nothing/refunds 403",
      "victor POST /console/api/charges/ch_nothing/refunds 403",
      "victor signin 200",
      "alice POST /console/api/signout 403",
      "alice POST /console/api/signout 403",
      "alice POST /console/api/signout 403",
      "alice signin 200",
      "alice signin_failed 401",
      "nobody signin_failed 401",
      "alice signin_failed 401",
  };
  EXPECT_EQ(actions, expected);
  // Paging.
  const Json first = audit(host, alice, "?limit=3");
  ASSERT_EQ(first["data"].size(), 3u);
  EXPECT_TRUE(first["has_more"].get<bool>());
  const Json second =
      audit(host, alice, "?limit=3&before=" + first["next_before"].get<std::string>());
  ASSERT_EQ(second["data"].size(), 3u);
  EXPECT_EQ(second["data"][0]["id"], log["data"][3]["id"]);
  EXPECT_EQ(call(host, "GET", "/console/api/audit?limit=0", &alice).status, 400);
  EXPECT_EQ(call(host, "GET", "/console/api/audit?limit=101", &alice).status, 400);

  // Sign-out ends the session everywhere and clears the cookie.
  const HttpResult out_r = call(host, "POST", "/console/api/signout", &alice, alice.csrf);
  EXPECT_EQ(out_r.status, 204) << out_r.body;
  EXPECT_NE(out_r.headers.at("set-cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(call(host, "GET", "/console/api/session", &alice).status, 401);
  EXPECT_EQ(call(host, "GET", "/api/v2/admin/wallet/cashes", &alice).status, 401);
  EXPECT_EQ(audit(host, viewer)["data"][0]["action"], "signout");

  // Expired sessions are refused.
  const Signed later = signin(host, "alice");
  EXPECT_EQ(call(host, "GET", "/console/api/session", &later).status, 200);
  execute(host, "UPDATE console_sessions SET expires = 1000 WHERE operator = 'alice'");
  EXPECT_EQ(call(host, "GET", "/console/api/session", &later).status, 401);
  EXPECT_EQ(call(host, "GET", "/api/v2/admin/wallet/cashes", &later).status, 401);

  // A role change or a new password ends the operator's sessions; so does removal.
  const Signed again = signin(host, "alice");
  ASSERT_EQ(cli_with_stdin(host, {"operator", "role", "alice", "--role", "admin"}, "", &out), 0)
      << out;
  EXPECT_EQ(call(host, "GET", "/console/api/session", &again).status, 401);
  const Signed as_admin = signin(host, "alice");
  EXPECT_EQ(call(host, "GET", "/console/api/session", &as_admin).json()["operator"]["role"],
            "admin");
  ASSERT_EQ(cli_with_stdin(host, {"operator", "passwd", "alice"}, "a-brand-new-password\n", &out),
            0)
      << out;
  EXPECT_EQ(out.find("a-brand-new-password"), std::string::npos);
  EXPECT_EQ(call(host, "GET", "/console/api/session", &as_admin).status, 401);
  EXPECT_EQ(signin_raw(host, "alice", kPassword).status, 401);
  const Signed renewed = signin(host, "alice", "a-brand-new-password");
  ASSERT_EQ(cli_with_stdin(host, {"operator", "remove", "alice"}, "", &out), 0) << out;
  EXPECT_EQ(call(host, "GET", "/console/api/session", &renewed).status, 401);
  EXPECT_EQ(scalar(host, "SELECT COUNT(*) FROM console_sessions WHERE operator = 'alice'"), "0");
  EXPECT_EQ(cli_with_stdin(host, {"operator", "remove", "alice"}, "", &out), 1);

  // No password reached the log or any file of the data dir (the database included).
  EXPECT_EQ(host.output().find(kPassword), std::string::npos);
  EXPECT_EQ(host.output().find("a-brand-new-password"), std::string::npos);
  for (const auto& file : fs::recursive_directory_iterator(host.data_dir())) {
    if (!file.is_regular_file()) continue;
    std::ifstream in(file.path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    EXPECT_EQ(content.str().find(kPassword), std::string::npos) << file.path();
    EXPECT_EQ(content.str().find("a-brand-new-password"), std::string::npos) << file.path();
  }
}

TEST(ConsoleAuth, RateLimitsByNameAndByAddress) {
  auto host_ptr = start();
  const Payhostd& host = *host_ptr;
  add_operator(host, "carol", "viewer");
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(signin_raw(host, "carol", "wrong-password-" + std::to_string(i)).status, 401);
  // Limited now, even with the right password.
  const HttpResult limited = signin_raw(host, "carol", kPassword);
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(error_code(limited), "rate_limited");
  ASSERT_TRUE(limited.headers.count("retry-after"));
  const int retry = std::stoi(limited.headers.at("retry-after"));
  EXPECT_GT(retry, 800);
  EXPECT_LE(retry, 900);
  // Other names are not limited by carol's failures.
  add_operator(host, "dave", "viewer");
  const Signed dave = signin(host, "dave");
  // Once the failures leave the window, carol may sign in.
  execute(host, "UPDATE console_signin_failures SET at = at - 900 WHERE scope = 'name:carol'");
  signin(host, "carol");

  // 20 failures from one address, over names each under their own limit: the address is
  // limited, for every name, and a success in between cleared nothing.
  for (int i = 0; i < 15; ++i) {
    EXPECT_EQ(signin_raw(host, "guess" + std::to_string(i % 4), "wrong-password").status, 401);
    if (i == 7) signin(host, "dave");
  }
  const HttpResult by_address = signin_raw(host, "dave", kPassword);
  EXPECT_EQ(by_address.status, 429) << by_address.body;
  EXPECT_TRUE(by_address.headers.count("retry-after"));
  // The rows of the two scopes are kept; the audit saw every failure.
  EXPECT_EQ(scalar(host,
                   "SELECT COUNT(*) FROM console_signin_failures WHERE scope = "
                   "'ip:127.0.0.1'"),
            "20");
  const Json log = audit(host, dave, "?limit=100");
  int failed = 0;
  for (const Json& row : log["data"])
    failed += row["action"] == "signin_failed" ? 1 : 0;
  EXPECT_EQ(failed, 20);  // 5 for carol, 15 guesses (the 429s are not sign-in attempts)
}

// Attempts that arrive together are counted before any password is checked: as many pass
// as the limit allows, however many workers run them at once.
TEST(ConsoleAuth, ConcurrentAttemptsDoNotPassTheLimit) {
  auto host_ptr = start();
  const Payhostd& host = *host_ptr;
  add_operator(host, "frank", "viewer");
  constexpr int kAttempts = 12;
  std::vector<int> statuses(kAttempts, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kAttempts; ++i) {
    threads.emplace_back([&host, &statuses, i] {
      statuses[i] = signin_raw(host, "frank", "wrong-password-" + std::to_string(i)).status;
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 401), 5);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 429), kAttempts - 5);
  EXPECT_EQ(scalar(host, "SELECT COUNT(*) FROM console_signin_failures WHERE scope = 'name:frank'"),
            "5");
  // A success is not left counted: four failures and a success leave room for one more.
  add_operator(host, "grace", "viewer");
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(signin_raw(host, "grace", "wrong-password").status, 401);
  signin(host, "grace");
  EXPECT_EQ(signin_raw(host, "grace", "wrong-password").status, 401);
  EXPECT_EQ(signin_raw(host, "grace", kPassword).status, 429);
}

// Behind a trusted proxy each client's forwarded address is limited on its own, and is the
// address the audit log records.
TEST(ConsoleAuth, BehindATrustedProxyEachClientIsLimitedByItsOwnAddress) {
  auto host_ptr = start(config("{}", "{trusted_proxies: [\"127.0.0.1\"]}"));
  const Payhostd& host = *host_ptr;
  add_operator(host, "heidi", "admin");
  const auto attempt = [&](const std::string& forwarded, const std::string& name,
                           const std::string& password) {
    return host.post_json("/console/api/signin",
                          Json{{"name", name}, {"password", password}}.dump(), {},
                          {"X-Forwarded-For: " + forwarded});
  };
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(attempt("198.51.100.1", "guess" + std::to_string(i % 4), "wrong-password").status,
              401);
  }
  EXPECT_EQ(attempt("198.51.100.1", "heidi", kPassword).status, 429);
  // Another client of the same proxy may sign in; a client that writes another address in
  // front of the entry the proxy adds is still itself.
  EXPECT_EQ(attempt("198.51.100.2", "heidi", kPassword).status, 200);
  EXPECT_EQ(attempt("203.0.113.5, 198.51.100.1", "heidi", kPassword).status, 429);
  EXPECT_EQ(scalar(host,
                   "SELECT COUNT(*) FROM console_signin_failures WHERE scope = "
                   "'ip:198.51.100.1'"),
            "20");
  EXPECT_EQ(scalar(host, "SELECT COUNT(*) FROM console_signin_failures WHERE scope LIKE 'ip:127%'"),
            "0");
  EXPECT_EQ(scalar(host,
                   "SELECT client_ip FROM console_audit WHERE action = 'signin' AND operator = "
                   "'heidi'"),
            "198.51.100.2");
}

TEST(ConsoleAuth, SecureCookieAndPages) {
  {
    auto host = start(config("{}", "{public_url: \"https://pay.example\"}"));
    add_operator(*host, "erin", "admin");
    const Signed s = signin(*host, "erin");
    EXPECT_NE(s.set_cookie.find("; Secure"), std::string::npos) << s.set_cookie;
    EXPECT_NE(s.set_cookie.find("; Max-Age=28800"), std::string::npos) << s.set_cookie;
  }
  {
    auto host = start(config("{secure_cookie: true}"));
    add_operator(*host, "erin", "admin");
    const Signed s = signin(*host, "erin");
    EXPECT_NE(s.set_cookie.find("; Secure"), std::string::npos) << s.set_cookie;
  }
  auto host = start(config("{secure_cookie: false}", "{public_url: \"https://pay.example\"}"));
  add_operator(*host, "erin", "admin");
  const Signed s = signin(*host, "erin");
  EXPECT_EQ(s.set_cookie.find("Secure"), std::string::npos) << s.set_cookie;

  const HttpResult redirect = host->get("/console");
  EXPECT_EQ(redirect.status, 301);
  EXPECT_EQ(redirect.headers.at("location"), "/console/");
  const HttpResult index = host->get("/console/");
  EXPECT_TRUE(index.status == 200 || index.status == 404) << index.status;
  EXPECT_EQ(index.headers.at("referrer-policy"), "no-referrer");
  EXPECT_TRUE(index.headers.count("content-security-policy"));
  // ("/console/assets/.." never arrives as such: clients resolve dot segments first.)
  for (const char* bad : {"/console/assets/a..b.js", "/console/assets/a%2Fb",
                          "/console/assets/%2e%2e", "/console/assets/no-such-file.js"}) {
    const HttpResult r = host->get(bad);
    EXPECT_EQ(r.status, 404) << bad;
    EXPECT_EQ(r.headers.at("x-content-type-options"), "nosniff") << bad;
  }
}

TEST(ConsoleAuth, DisabledConsoleHasNoRoutesAndNoCookieAuth) {
  auto host = start(config("{enabled: false}"));
  add_operator(*host, "frank", "admin");
  EXPECT_EQ(signin_raw(*host, "frank", kPassword).status, 404);
  EXPECT_EQ(host->get("/console/").status, 404);
  // A live session in the table (as a host with the console on would write it) is not
  // read by this one.
  const std::string cookie = "payhost_console=" + std::string(43, 'Q');
  execute(*host,
          "INSERT INTO console_sessions (token_hash, operator, csrf_token, client_ip, created, "
          "expires) VALUES ('" +
              sdk::hex_lower(sdk::crypto::sha256(std::string(43, 'Q'))) +
              "', 'frank', 'csrf', '127.0.0.1', 0, 99999999999)");
  EXPECT_EQ(host->request("GET", "/api/v2/admin/wallet/cashes", "", {"Cookie: " + cookie}).status,
            401);
}

}  // namespace
}  // namespace payhost::console_test
