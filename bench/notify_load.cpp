// notify_load: the load tool for the settlement benchmark (bench/run.sh).
//
//   notify_load prepare --port P --count N [--connections C] --out FILE
//       creates N `testpay` charges through POST /test/charges and writes, one per line, the
//       signed testchannel notification that settles each of them (tests/testplugins/README.md).
//   notify_load prepare --kind wechat --data-dir D --port P --count N [--channel wx] ...
//       the same for WeChat Pay: creates N `wx` charges (through the sandbox's simulated
//       WeChat Pay) and writes the encrypted, signed TRANSACTION.SUCCESS notification of
//       each, signed with the sandbox platform key in D, as "header<TAB>header...<TAB>body".
//   notify_load prepare --kind unionpay --data-dir D --port P --count N [--channel upacp] ...
//       the same for UnionPay: creates N `upacp` charges (appTransReq.do at the sandbox's
//       simulated UnionPay) and writes the form-encoded consume notification of each, signed
//       as the simulator signs them (its key and certificate in D), one per line.
//   notify_load fire --port P --in FILE [--connections C] [--path /notify/testchannel]
//       POSTs every line of FILE exactly once over C keep-alive connections and prints
//       `requests=.. ok=.. failed=.. resent=.. seconds=.. rate=..` (ok = 2xx answers). A
//       line with tabs carries header lines before its last field, the body.
//
// One thread drives every connection with poll(): on a 2-core machine the client must cost
// as little CPU as possible, or it measures itself instead of payhostd. A request goes out
// again only if its connection died before any byte of the answer came back (the server
// closed an idle keep-alive connection); such resends are counted and reported, and a
// notification sent twice must still settle its charge once.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "unionpay_notification.hpp"
#include "wechat_notification.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string mode;
  int port = 0;
  int connections = 32;
  long count = 0;
  std::string in;
  std::string out;
  std::string path;
  std::string secret = "testchannel-secret";
  std::string app_id = "test-merchant";
  std::string kind = "testchannel";  // or wechat, unionpay
  std::string data_dir;              // wechat, unionpay: where the sandbox keys are
  std::string channel;               // the channel of the charges prepare creates
  std::string mchid = "1230000109";
  std::string wechat_app_id = "wxd678efh567hg6787";
  std::string unionpay_mer_id = "777290058167151";
  long long amount = 1;
  double timeout_seconds = 300;
};

[[noreturn]] void die(const std::string& message) {
  std::cerr << "notify_load: " << message << "\n";
  std::exit(2);
}

std::string hmac_sha256_hex(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  static const char* digits = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex += digits[mac[i] >> 4];
    hex += digits[mac[i] & 15];
  }
  return hex;
}

// The testchannel notification that reports `order_no` paid.
std::string notification(const Options& o, const std::string& order_no, long long amount) {
  const std::string transaction_no = "T" + order_no;
  const std::string signature =
      hmac_sha256_hex(o.secret, order_no + "|" + std::to_string(amount) + "|" + o.app_id +
                                    "|paid|" + transaction_no);
  return nlohmann::json{{"order_no", order_no},
                        {"amount", amount},
                        {"app_id", o.app_id},
                        {"status", "paid"},
                        {"transaction_no", transaction_no},
                        {"signature", signature}}
      .dump();
}

// One keep-alive connection: at most one request in flight.
struct Connection {
  int fd = -1;
  std::string out;  // the request being written
  std::size_t written = 0;
  std::string in;    // what came back so far
  std::string body;  // the request body in flight (kept for a resend)
  bool busy = false;
};

int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (fd < 0) die("socket: " + std::string(std::strerror(errno)));
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 &&
      errno != EINPROGRESS) {
    die("connect: " + std::string(std::strerror(errno)));
  }
  return fd;
}

// Parses one complete HTTP response at the front of `buffer`; returns its length, or 0 if
// more bytes are needed. Pistache always sends Content-Length.
std::size_t parse_response(const std::string& buffer, int& status, std::string& body, bool& close) {
  const auto end = buffer.find("\r\n\r\n");
  if (end == std::string::npos) return 0;
  if (buffer.compare(0, 5, "HTTP/") != 0) die("not an HTTP response: " + buffer.substr(0, 40));
  status = std::atoi(buffer.c_str() + buffer.find(' ') + 1);
  std::size_t length = 0;
  close = false;
  std::size_t line = buffer.find("\r\n") + 2;
  while (line < end) {
    const std::size_t next = buffer.find("\r\n", line);
    std::string header = buffer.substr(line, next - line);
    for (auto& c : header)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (header.rfind("content-length:", 0) == 0)
      length = std::strtoul(header.c_str() + 15, nullptr, 10);
    if (header.rfind("connection:", 0) == 0 && header.find("close") != std::string::npos)
      close = true;
    line = next + 2;
  }
  if (buffer.size() < end + 4 + length) return 0;
  body = buffer.substr(end + 4, length);
  return end + 4 + length;
}

struct Totals {
  long requests = 0;
  long ok = 0;
  long failed = 0;
  long resent = 0;
  double seconds = 0;
};

// Sends every body `next` yields once, over `connections` keep-alive connections, and hands
// each answer to `done`.
Totals drive(const Options& o, const std::string& path, const std::string& content_type,
             const std::function<std::optional<std::string>()>& next,
             const std::function<void(int, const std::string&)>& done) {
  std::vector<Connection> conns(static_cast<std::size_t>(o.connections));
  const auto request_for = [&](const std::string& line) {
    std::string headers;
    std::size_t start = 0;
    for (std::size_t tab = line.find('\t'); tab != std::string::npos;
         tab = line.find('\t', start)) {
      headers += line.substr(start, tab - start) + "\r\n";
      start = tab + 1;
    }
    const std::size_t length = line.size() - start;
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(o.port) +
           "\r\nContent-Type: " + content_type + "\r\n" + headers +
           "Content-Length: " + std::to_string(length) + "\r\n\r\n" + line.substr(start);
  };
  Totals totals;
  bool exhausted = false;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(o.timeout_seconds);
  // Gives an idle connection its next body, opening the socket if needed.
  const auto load = [&](Connection& c) {
    if (c.busy || exhausted) return;
    auto body = next();
    if (!body) {
      exhausted = true;
      return;
    }
    if (c.fd < 0) c.fd = connect_loopback(o.port);
    c.body = std::move(*body);
    c.out = request_for(c.body);
    c.written = 0;
    c.in.clear();
    c.busy = true;
  };
  // The server closed the connection: resend the request on a new one if nothing came back.
  const auto reopen = [&](Connection& c) {
    ::close(c.fd);
    c.fd = -1;
    if (!c.busy) return;
    if (!c.in.empty()) die("connection closed in the middle of a response");
    ++totals.resent;
    c.fd = connect_loopback(o.port);
    c.written = 0;
  };
  for (auto& c : conns)
    load(c);
  std::vector<pollfd> fds;
  std::vector<Connection*> owners;
  char buffer[65536];
  for (;;) {
    fds.clear();
    owners.clear();
    for (auto& c : conns) {
      if (!c.busy) continue;
      const short events = c.written < c.out.size() ? POLLOUT : POLLIN;
      fds.push_back(pollfd{c.fd, events, 0});
      owners.push_back(&c);
    }
    if (fds.empty()) break;
    if (Clock::now() > deadline) die("timed out with requests in flight");
    if (::poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR) die("poll failed");
    for (std::size_t i = 0; i < fds.size(); ++i) {
      Connection& c = *owners[i];
      if (fds[i].revents == 0) continue;
      if (c.written < c.out.size()) {
        const ssize_t n =
            ::send(c.fd, c.out.data() + c.written, c.out.size() - c.written, MSG_NOSIGNAL);
        if (n > 0) {
          c.written += static_cast<std::size_t>(n);
        } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
          reopen(c);
        }
        continue;
      }
      const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, 0);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        reopen(c);
        continue;
      }
      if (n < 0) continue;
      c.in.append(buffer, static_cast<std::size_t>(n));
      int status = 0;
      bool close = false;
      std::string body;
      const std::size_t used = parse_response(c.in, status, body, close);
      if (used == 0) continue;
      if (used != c.in.size()) die("unexpected bytes after a response");
      ++totals.requests;
      if (status >= 200 && status < 300) {
        ++totals.ok;
      } else {
        ++totals.failed;
      }
      done(status, body);
      c.busy = false;
      c.in.clear();
      if (close) {
        ::close(c.fd);
        c.fd = -1;
      }
      load(c);
    }
  }
  totals.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& c : conns) {
    if (c.fd >= 0) ::close(c.fd);
  }
  return totals;
}

void report(const Totals& t) {
  std::printf("requests=%ld ok=%ld failed=%ld resent=%ld seconds=%.3f rate=%.0f\n", t.requests,
              t.ok, t.failed, t.resent, t.seconds,
              t.seconds > 0 ? static_cast<double>(t.ok) / t.seconds : 0.0);
}

int prepare(const Options& o) {
  if (o.count <= 0 || o.out.empty()) die("prepare needs --count N and --out FILE");
  std::ofstream out(o.out);
  if (!out) die("cannot write " + o.out);
  const bool wechat = o.kind == "wechat";
  const bool unionpay = o.kind == "unionpay";
  if ((wechat || unionpay) && o.data_dir.empty()) {
    die("prepare --kind " + o.kind + " needs --data-dir");
  }
  const std::string channel = !o.channel.empty() ? o.channel
                              : wechat           ? "wx"
                              : unionpay         ? "upacp"
                                                 : "testpay";
  const std::string create = nlohmann::json{{"channel", channel}, {"amount", o.amount}}.dump();
  struct Created {
    std::string order_no;
    long long amount;
    std::int64_t created;
    std::string id;
  };
  std::vector<Created> created;
  long issued = 0;
  std::string first_error;
  const Totals t = drive(
      o, o.path.empty() ? "/test/charges" : o.path, "application/json",
      [&]() -> std::optional<std::string> {
        if (issued == o.count) return std::nullopt;
        ++issued;
        return create;
      },
      [&](int status, const std::string& body) {
        if (status != 201) {
          if (first_error.empty()) first_error = std::to_string(status) + " " + body;
          return;
        }
        const auto charge = nlohmann::json::parse(body);
        const std::string order_no = charge.at("order_no").get<std::string>();
        const long long amount = charge.at("amount").get<long long>();
        if (wechat || unionpay) {
          created.push_back({order_no, amount, charge.at("created").get<std::int64_t>(),
                             charge.at("id").get<std::string>()});
        } else {
          out << notification(o, order_no, amount) << "\n";
        }
      });
  report(t);
  if (t.ok != o.count) die("only " + std::to_string(t.ok) + " charges created: " + first_error);
  if (wechat) {
    // Signed once all charges exist, so every timestamp is fresh when fire runs (WeChat's
    // notifications are valid for 300 s).
    const payhost::bench::WechatNotifier notifier(o.data_dir, o.mchid, o.wechat_app_id);
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    for (const auto& c : created) {
      const auto n = notifier.paid(c.order_no, c.amount, now);
      for (const auto& header : n.headers)
        out << header << '\t';
      out << n.body << "\n";
    }
  }
  if (unionpay) {
    // Signed as the simulator signs them; a form body has no tab or newline to split on.
    const payhost::bench::UnionpayNotifier notifier(o.data_dir, o.unionpay_mer_id);
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    for (const auto& c : created)
      out << notifier.paid(c.order_no, c.amount, c.created, c.id, now) << "\n";
  }
  return 0;
}

int fire(const Options& o) {
  if (o.in.empty()) die("fire needs --in FILE");
  std::ifstream in(o.in);
  if (!in) die("cannot read " + o.in);
  std::vector<std::string> bodies;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) bodies.push_back(line);
  }
  std::size_t index = 0;
  std::map<int, long> statuses;
  const Totals t = drive(
      o,
      !o.path.empty()        ? o.path
      : o.kind == "wechat"   ? "/notify/wechat"
      : o.kind == "unionpay" ? "/notify/unionpay"
                             : "/notify/testchannel",
      o.kind == "unionpay" ? "application/x-www-form-urlencoded; charset=UTF-8"
                           : "application/json",
      [&]() -> std::optional<std::string> {
        if (index == bodies.size()) return std::nullopt;
        return bodies[index++];
      },
      [&](int status, const std::string&) { ++statuses[status]; });
  report(t);
  for (const auto& [status, n] : statuses) {
    if (status != 200) std::fprintf(stderr, "notify_load: %ld answers with status %d\n", n, status);
  }
  return t.ok == static_cast<long>(bodies.size()) ? 0 : 1;
}

Options parse(int argc, char** argv) {
  Options o;
  if (argc < 2) die("usage: notify_load prepare|fire --port P ... (see the source)");
  o.mode = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) die("missing value for " + a);
    const std::string v = argv[++i];
    if (a == "--port") {
      o.port = std::stoi(v);
    } else if (a == "--connections") {
      o.connections = std::stoi(v);
    } else if (a == "--count") {
      o.count = std::stol(v);
    } else if (a == "--in") {
      o.in = v;
    } else if (a == "--out") {
      o.out = v;
    } else if (a == "--path") {
      o.path = v;
    } else if (a == "--amount") {
      o.amount = std::stoll(v);
    } else if (a == "--kind") {
      if (v != "testchannel" && v != "wechat" && v != "unionpay") {
        die("--kind is testchannel, wechat or unionpay");
      }
      o.kind = v;
    } else if (a == "--data-dir") {
      o.data_dir = v;
    } else if (a == "--mer-id") {
      o.unionpay_mer_id = v;
    } else if (a == "--channel") {
      o.channel = v;
    } else if (a == "--timeout") {
      o.timeout_seconds = std::stod(v);
    } else {
      die("unknown option " + a);
    }
  }
  if (o.port <= 0 || o.port > 65535) die("--port is required");
  if (o.connections < 1 || o.connections > 1024) die("--connections must be 1..1024");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  if (o.mode == "prepare") return prepare(o);
  if (o.mode == "fire") return fire(o);
  die("unknown mode " + o.mode + " (prepare or fire)");
}
