// payhostd's operator commands beyond serving: refunds, webhooks, API keys, backups. Each
// takes its parsed options and returns the exit code (0 ok, 1 refused, 2 usage or config
// error).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace payhost::host {

struct RefundCommand {
  std::string config_path;
  std::string charge_id;
  std::optional<std::int64_t> amount;  // fen; absent: what is left
  std::string reason;
};
// `payhostd refund CHARGE_ID [--amount FEN] --reason TEXT`: prints the refund object.
int run_refund_command(const RefundCommand& command);

struct WebhookCommand {
  std::string config_path;
  std::string verb;      // list | redeliver | public-key
  std::string event_id;  // redeliver
  std::string status;    // list: pending | delivered | failed | (empty: all)
  int limit = 50;        // list
};
int run_webhook_command(const WebhookCommand& command);

struct KeysCommand {
  std::string config_path;
  std::string verb;  // create | list | revoke
  std::string app;   // create (default: app_id); list filter
  std::string mode;  // create: test | live (default: the host's mode)
  std::string label;
  std::string key_id;  // revoke
};
int run_keys_command(const KeysCommand& command);

struct OperatorCommand {
  std::string config_path;
  std::string verb;  // add | list | remove | passwd | role
  std::string name;  // all but list
  std::string role;  // add, role: admin | finance | viewer
};
// `payhostd operator ...`: the console's operators. The password (add, passwd) is the first
// line of stdin, or typed at a prompt without echo when stdin is a terminal.
int run_operator_command(const OperatorCommand& command);

struct BackupCommand {
  std::string config_path;
  std::string to;      // the copy's path
  bool force = false;  // replace an existing file at `to`
};
// `payhostd backup --to PATH [--force]`: an online copy of the SQLite database, checked.
int run_backup_command(const BackupCommand& command);

}  // namespace payhost::host
