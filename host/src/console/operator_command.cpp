// `payhostd operator add|list|remove|passwd|role`: the console's operators. Passwords are
// read from stdin (first line) or a prompt without echo, hashed with scrypt, and never
// printed or logged.
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "app/app.hpp"
#include "app/commands.hpp"
#include "app/system_clock.hpp"
#include "console/operator_store.hpp"
#include "console/password_hash.hpp"
#include "text/utc_time.hpp"

namespace payhost::host {

namespace {

int fail(const std::string& message, int code = 2) {
  std::cerr << "payhostd operator: " << message << "\n";
  return code;
}

// Turns terminal echo off for its lifetime.
class NoEcho {
 public:
  NoEcho() {
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~NoEcho() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  NoEcho(const NoEcho&) = delete;
  NoEcho& operator=(const NoEcho&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

std::optional<std::string> read_line(const char* prompt, bool terminal) {
  std::string line;
  if (terminal) {
    std::cerr << prompt << std::flush;
    NoEcho quiet;
    if (!std::getline(std::cin, line)) return std::nullopt;
    std::cerr << "\n";
  } else if (!std::getline(std::cin, line)) {
    return std::nullopt;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The new password: from a terminal typed twice, else the first line of stdin.
sdk::Result<std::string> read_password() {
  const bool terminal = ::isatty(STDIN_FILENO) == 1;
  auto first = read_line("Password: ", terminal);
  if (!first)
    return sdk::make_error(sdk::ErrorKind::invalid_request, "password",
                           "no password on stdin (the first line is the password)");
  if (!console::is_acceptable_password(*first)) {
    return sdk::make_error(sdk::ErrorKind::invalid_request, "password",
                           "the password must be 10 to 256 bytes");
  }
  if (terminal) {
    auto again = read_line("Again: ", terminal);
    if (!again || *again != *first) {
      return sdk::make_error(sdk::ErrorKind::invalid_request, "password", "the passwords differ");
    }
  }
  return *first;
}

}  // namespace

int run_operator_command(const OperatorCommand& command) {
  using console::Operator;
  using console::OperatorStore;
  if (command.verb != "list" && !console::is_operator_name(command.name)) {
    return fail("NAME must be 1 to 64 letters, digits, '.', '_' or '-'");
  }
  std::optional<console::Role> role;
  if (command.verb == "add" || command.verb == "role") {
    role = console::parse_role(command.role);
    if (!role) return fail("--role must be admin, finance or viewer");
  }
  auto config = load_config(command.config_path);
  if (!config) return fail(config.error().message);
  std::string hash;
  if (command.verb == "add" || command.verb == "passwd") {
    auto password = read_password();
    if (!password) return fail(password.error().message);
    hash = console::hash_password(*password);
  }

  App app(std::move(*config));
  if (auto st = app.load_plugins(); !st) return fail(st.error().message);
  if (auto st = app.open_database(); !st) return fail(st.error().message);
  const SystemClock clock;
  const OperatorStore store;
  const std::int64_t now = clock.now();
  std::string out;
  int code = 0;
  sdk::Status st;
  if (command.verb == "add") {
    st = app.db().transact([&](soci::session& sql) -> sdk::Status {
      const bool added = store.add(sql, Operator{command.name, *role, hash, now, now});
      code = added ? 0 : 1;
      out = added
                ? "added operator " + command.name + " (" + console::to_string(*role) + ")\n"
                : "operator " + command.name + " exists already (payhostd operator passwd|role)\n";
      return {};
    });
  } else if (command.verb == "list") {
    st = app.db().with_session([&](soci::session& sql) -> sdk::Status {
      out.clear();
      for (const auto& op : store.list(sql)) {
        out += op.name + "  " + console::to_string(op.role) + "  created " +
               utc_iso8601(op.created) + "  updated " + utc_iso8601(op.updated) + "\n";
      }
      if (out.empty()) out = "no operators\n";
      return {};
    });
  } else if (command.verb == "remove" || command.verb == "passwd" || command.verb == "role") {
    st = app.db().transact([&](soci::session& sql) -> sdk::Status {
      bool done = false;
      if (command.verb == "remove") {
        done = store.remove(sql, command.name);
        out = "removed operator " + command.name + " and ended its sessions\n";
      } else if (command.verb == "passwd") {
        done = store.set_password(sql, command.name, hash, now);
        out = "changed the password of " + command.name + " and ended its sessions\n";
      } else {
        done = store.set_role(sql, command.name, *role, now);
        out = "operator " + command.name + " is now " + console::to_string(*role) +
              "; its sessions ended\n";
      }
      code = done ? 0 : 1;
      if (!done) out = "no operator " + command.name + "\n";
      return {};
    });
  } else {
    return fail("unknown verb " + command.verb);
  }
  if (!st) return fail(st.error().message, 1);
  (code == 0 ? std::cout : std::cerr) << out;
  return code;
}

}  // namespace payhost::host
