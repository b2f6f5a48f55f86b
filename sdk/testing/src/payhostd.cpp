#include "payhost/sdk/testing/payhostd.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace payhost::sdk::testing {

namespace fs = std::filesystem;

namespace {
std::string from_environment(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

// The first executable `name` on PATH, or "".
std::string on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const fs::path candidate = fs::path(dirs.substr(start, end - start)) / name;
    if (end > start && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    start = end + 1;
  }
  return "";
}
}  // namespace

// The kit is compiled with the install prefix of the build it came from, which a package
// may place elsewhere (/usr for the Debian package, /usr/local by default): the compiled
// path when payhostd is there, else the payhostd on PATH.
std::string payhostd_path() {
  if (const char* value = std::getenv("PAYHOST_PAYHOSTD"); value != nullptr && *value != '\0') {
    return value;
  }
  if (::access(PAYHOSTD_PATH, X_OK) == 0) return PAYHOSTD_PATH;
  const std::string found = on_path("payhostd");
  return found.empty() ? PAYHOSTD_PATH : found;
}
// Where that payhostd looks by default (<exe>/../lib/payhost/plugins), unless the compiled
// directory belongs to it.
std::string plugin_dir() {
  if (const char* value = std::getenv("PAYHOST_PLUGIN_DIR"); value != nullptr && *value != '\0') {
    return value;
  }
  const std::string payhostd = payhostd_path();
  if (payhostd == PAYHOSTD_PATH) return PAYHOST_PLUGIN_DIR;
  return (fs::path(payhostd).parent_path().parent_path() / "lib" / "payhost" / "plugins")
      .lexically_normal()
      .string();
}
std::string test_plugin_dir() {
  return from_environment("PAYHOST_TEST_PLUGIN_DIR", PAYHOST_TEST_PLUGIN_DIR);
}

std::string postgres_url() {
  const char* url = std::getenv("PAYHOST_TEST_PG_URL");
  return url ? url : "";
}

nlohmann::ordered_json HttpResult::json() const {
  return nlohmann::ordered_json::parse(body);
}

namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  std::string line(data, size * n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
    line.pop_back();
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (auto& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
  }
  return size * n;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(rd() % 100000);
}

std::string make_temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / "payhost-test-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

std::string with_search_path(const std::string& url, const std::string& schema) {
  const std::string option = "options=-csearch_path%3D" + schema;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + option;
}

}  // namespace

HttpResult http_request(const std::string& method, const std::string& url, const std::string& body,
                        const std::vector<std::string>& headers) {
  static const bool initialized = [] {
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  }();
  (void)initialized;
  HttpResult result;
  CURL* curl = curl_easy_init();
  if (!curl) return result;
  curl_slist* list = nullptr;
  for (const auto& h : headers)
    list = curl_slist_append(list, h.c_str());
  list = curl_slist_append(list, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method != "GET" || !body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);
  if (curl_easy_perform(curl) == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    result.status = static_cast<int>(status);
  }
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return result;
}

int run_process(const std::vector<std::string>& argv, std::string* out) {
  const std::string log = (fs::temp_directory_path() / ("payhost-run-" + unique_suffix())).string();
  const pid_t pid = spawn_process(argv, log);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (out) *out = read_file(log);
  fs::remove(log);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Payhostd::Payhostd(std::string yaml, bool postgres, std::vector<std::string> extra_args)
    : yaml_(std::move(yaml)) {
  data_dir_ = make_temp_dir();
  if (postgres) {
    const std::string base = postgres_url();
    if (base.empty()) {
      throw std::runtime_error(
          "PAYHOST_TEST_PG_URL is not set: PostgreSQL tests need a server "
          "(.ci/run starts one)");
    }
    pg_schema_ = "t_" + unique_suffix();
    std::string out;
    if (run_process({"/usr/bin/psql", base, "-q", "-c", "CREATE SCHEMA " + pg_schema_}, &out) !=
        0) {
      throw std::runtime_error("cannot create schema: " + out);
    }
    owns_schema_ = true;
    database_url_ = with_search_path(base, pg_schema_);
  } else {
    database_url_ = "sqlite://" + data_dir_ + "/payhost.db";
  }
  start(std::move(extra_args));
}

Payhostd Payhostd::second_host(const Payhostd& other, bool share_data_dir) {
  Payhostd p;
  p.yaml_ = other.yaml_;
  p.database_url_ = other.database_url_;
  p.pg_schema_ = other.pg_schema_;
  p.owns_schema_ = false;
  if (share_data_dir) {
    p.data_dir_ = other.data_dir_;
    p.owns_data_dir_ = false;
  } else {
    p.data_dir_ = make_temp_dir();
  }
  p.start({});
  return p;
}

Payhostd::Payhostd(Payhostd&& o) noexcept
    : yaml_(std::move(o.yaml_)),
      data_dir_(std::move(o.data_dir_)),
      config_path_(std::move(o.config_path_)),
      log_path_(std::move(o.log_path_)),
      database_url_(std::move(o.database_url_)),
      pg_schema_(std::move(o.pg_schema_)),
      owns_schema_(o.owns_schema_),
      owns_data_dir_(o.owns_data_dir_),
      pid_(o.pid_),
      port_(o.port_) {
  o.pid_ = -1;
  o.owns_schema_ = false;
  o.owns_data_dir_ = false;
}

void Payhostd::start(std::vector<std::string> extra_args) {
  std::string config = yaml_;
  replace_all(config, "@DATA_DIR@", data_dir_);
  replace_all(config, "@PLUGIN_DIR@", plugin_dir());
  replace_all(config, "@TEST_PLUGIN_DIR@", test_plugin_dir());
  replace_all(config, "@DATABASE_URL@", database_url_);
  const std::string suffix = unique_suffix();
  config_path_ = data_dir_ + "/payhost-" + suffix + ".yaml";
  log_path_ = data_dir_ + "/payhostd-" + suffix + ".log";
  std::ofstream(config_path_) << config;

  std::vector<std::string> argv = {payhostd_path(), "serve",    "--config",
                                   config_path_,    "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  pid_ = spawn_process(argv, log_path_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  const std::string marker = "listening on 127.0.0.1:";
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string log = read_file(log_path_);
    const auto pos = log.find(marker);
    if (pos != std::string::npos) {
      port_ = std::atoi(log.c_str() + pos + marker.size());
      if (port_ > 0) return;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("payhostd exited during start-up:\n" + log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::string log = read_file(log_path_);
  stop();
  throw std::runtime_error("payhostd did not report its port within 30 s:\n" + log);
}

void Payhostd::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void Payhostd::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 200; ++i) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

Payhostd::~Payhostd() {
  stop();
  if (owns_schema_) {
    run_process({"/usr/bin/psql", postgres_url(), "-q", "-c",
                 "DROP SCHEMA IF EXISTS " + pg_schema_ + " CASCADE"});
  }
  if (owns_data_dir_ && !data_dir_.empty() && !std::getenv("PAYHOST_KEEP_TEST_DATA")) {
    std::error_code ec;
    fs::remove_all(data_dir_, ec);
  }
}

std::string Payhostd::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::string Payhostd::output() const {
  return read_file(log_path_);
}

HttpResult Payhostd::request(const std::string& method, const std::string& path,
                             const std::string& body, std::vector<std::string> headers,
                             const std::string& token) const {
  if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
  return http_request(method, url(path), body, headers);
}

HttpResult Payhostd::get(const std::string& path, const std::string& token) const {
  return request("GET", path, "", {}, token);
}

HttpResult Payhostd::post_json(const std::string& path, const std::string& body,
                               const std::string& token, std::vector<std::string> headers) const {
  headers.push_back("Content-Type: application/json");
  return request("POST", path, body, std::move(headers), token);
}

HttpResult Payhostd::post_form(const std::string& path, const std::string& body,
                               const std::string& token) const {
  return request("POST", path, body, {"Content-Type: application/x-www-form-urlencoded"}, token);
}

std::string Payhostd::token(const std::string& user, bool admin) const {
  std::vector<std::string> args = {"token", "--user", user};
  if (admin) args.push_back("--admin");
  std::string out;
  if (cli(args, &out) != 0) throw std::runtime_error("payhostd token failed: " + out);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
    out.pop_back();
  const auto nl = out.rfind('\n');
  return nl == std::string::npos ? out : out.substr(nl + 1);
}

int Payhostd::cli(const std::vector<std::string>& args, std::string* out) const {
  std::vector<std::string> argv = {payhostd_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--config");
  argv.push_back(config_path_);
  return run_process(argv, out);
}

pid_t spawn_process(const std::vector<std::string>& argv, const std::string& log) {
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || ::getppid() != parent) ::_exit(127);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<char*> args;
    for (const auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace payhost::sdk::testing
