// The kit's integration-test harness: start the real payhostd on port 0 with a given config
// and the plugin under test, talk to it over real HTTP, run its CLI. Installed as
// payhost::sdk_payhostd, it finds payhostd and the plugin directory under the prefix payhost
// was installed to, or else (a package under another prefix) the payhostd on PATH;
// PAYHOST_PAYHOSTD, PAYHOST_PLUGIN_DIR (and PAYHOST_TEST_PLUGIN_DIR) in the environment point
// it elsewhere. payhost's own tests use the same code built against the
// build tree.
//
//   payhost::sdk::testing::Payhostd host(R"(
//   data_dir: @DATA_DIR@
//   database: {url: "@DATABASE_URL@"}
//   plugins:
//     myprovider: {path: /path/to/myprovider.so, channels: [mypay], options: {...}}
//   )");
//   auto answer = host.post_json("/notify/myprovider", body);
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace payhost::sdk::testing {

struct HttpResult {
  int status = 0;                              // 0: could not connect
  std::map<std::string, std::string> headers;  // keys lower-cased
  std::string body;
  nlohmann::ordered_json json() const;  // throws if the body is not JSON
};

// One real HTTP request (libcurl). `headers` are "Name: value" lines.
HttpResult http_request(const std::string& method, const std::string& url,
                        const std::string& body = {}, const std::vector<std::string>& headers = {});

// Which database integration tests use: "sqlite" (a file in the test's data dir) or
// "postgresql" (PAYHOST_TEST_PG_URL, a fresh schema per process, dropped at the end).
struct DatabaseChoice {
  std::string kind = "sqlite";
};

// Starts argv[0] (a path) with stdout and stderr going to `log`. The child is sent SIGTERM
// if the test process dies first (killed, crashed, timed out), so nothing it starts
// outlives its test.
pid_t spawn_process(const std::vector<std::string>& argv, const std::string& log);

// The PostgreSQL URL for tests, from PAYHOST_TEST_PG_URL; empty if not set.
std::string postgres_url();

class Payhostd {
 public:
  // `yaml` is a complete config. Placeholders replaced before writing it:
  //   @DATA_DIR@   a fresh temporary directory owned by this instance
  //   @PLUGIN_DIR@ build/lib/payhost/plugins
  //   @TEST_PLUGIN_DIR@ build/lib/payhost/test-plugins (payhost's own test channel and
  //                   product; in its build tree only)
  //   @DATABASE_URL@  sqlite file in @DATA_DIR@, or a fresh PostgreSQL schema when
  //                   `postgres` is true (the test should GTEST_SKIP if postgres_url() is
  //                   empty... CI always sets it, so prefer failing: see require_postgres())
  // Starts `payhostd serve --config <file> --listen 127.0.0.1:0` and waits until it logs
  // the port it listens on. Throws std::runtime_error with payhostd's output if it fails.
  explicit Payhostd(std::string yaml, bool postgres = false,
                    std::vector<std::string> extra_args = {});
  // Same config and database as `other` (a second host on one database); own data dir
  // unless `share_data_dir`.
  static Payhostd second_host(const Payhostd& other, bool share_data_dir = true);
  ~Payhostd();
  Payhostd(Payhostd&&) noexcept;
  Payhostd(const Payhostd&) = delete;
  Payhostd& operator=(const Payhostd&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path) const;
  const std::string& data_dir() const { return data_dir_; }
  const std::string& config_path() const { return config_path_; }
  const std::string& database_url() const { return database_url_; }
  std::string output() const;  // everything payhostd printed so far

  HttpResult get(const std::string& path, const std::string& token = {}) const;
  HttpResult post_json(const std::string& path, const std::string& body,
                       const std::string& token = {}, std::vector<std::string> headers = {}) const;
  HttpResult post_form(const std::string& path, const std::string& body,
                       const std::string& token = {}) const;
  HttpResult request(const std::string& method, const std::string& path, const std::string& body,
                     std::vector<std::string> headers, const std::string& token = {}) const;

  // `payhostd token --user N [--admin] --config <file>`
  std::string token(const std::string& user, bool admin = false) const;
  // Runs `payhostd <args...> --config <file>`; returns the exit code, output in `out`.
  int cli(const std::vector<std::string>& args, std::string* out = nullptr) const;

  void stop();  // SIGTERM and wait; also done by the destructor
  // SIGKILL, as a crash, the OOM killer or a power cut would end it; waits until it is gone.
  void kill_hard();

 private:
  Payhostd() = default;
  void start(std::vector<std::string> extra_args);

  std::string yaml_;
  std::string data_dir_;
  std::string config_path_;
  std::string log_path_;
  std::string database_url_;
  std::string pg_schema_;
  bool owns_schema_ = false;
  bool owns_data_dir_ = true;
  int pid_ = -1;
  int port_ = 0;
};

// Path of the payhostd binary and the plugin directories: the environment's
// PAYHOST_PAYHOSTD, PAYHOST_PLUGIN_DIR, PAYHOST_TEST_PLUGIN_DIR, else where CMake put them;
// when no payhostd is there (a package installed under another prefix), the payhostd on
// PATH and its plugin directory (<exe>/../lib/payhost/plugins).
std::string payhostd_path();
std::string plugin_dir();
std::string test_plugin_dir();

// Runs a program and returns its exit code; stdout+stderr go to `out`.
int run_process(const std::vector<std::string>& argv, std::string* out = nullptr);

}  // namespace payhost::sdk::testing
