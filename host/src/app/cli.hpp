// payhostd's command line: the built-in subcommands (one registry, which main, the help
// text and the tests all read) and the commands product plugins add.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "config/config.hpp"

namespace payhost::host {

struct CliOptions {
  std::string config_path = "config/payhost.yaml";
  ConfigOverrides overrides;  // serve
  std::string plugin_name;    // plugins describe
  bool markdown = false;      // plugins describe --markdown
  std::string user;           // token
  bool admin = false;         // token
  std::int64_t ttl = 0;       // token
  RefundCommand refund;
  WebhookCommand webhook;
  KeysCommand keys;
  OperatorCommand operators;
  BackupCommand backup;
};

// The leaves of the built-in command tree; main runs the one that was parsed.
struct BuiltinCommands {
  CLI::App* serve = nullptr;
  CLI::App* config_check = nullptr;
  CLI::App* plugins_list = nullptr;
  CLI::App* plugins_describe = nullptr;
  CLI::App* token = nullptr;
  CLI::App* migrate = nullptr;
  CLI::App* refund = nullptr;
  CLI::App* webhook = nullptr;    // its verb is in CliOptions::webhook.verb
  CLI::App* keys = nullptr;       // its verb is in CliOptions::keys.verb
  CLI::App* operators = nullptr;  // `operator`; its verb is in CliOptions::operators.verb
  CLI::App* backup = nullptr;
};

// Declares every built-in subcommand on `cli`, writing what it parses into `options`.
BuiltinCommands declare_builtin_commands(CLI::App& cli, CliOptions& options);

// Whether `word` names a top-level built-in subcommand of `cli`.
bool is_builtin_command(CLI::App& cli, const std::string& word);

// "--help" or "-h".
bool is_help_flag(const std::string& word);

// The value of --config FILE / --config=FILE anywhere in argv[1..], else `fallback`.
std::string config_path_in(int argc, char** argv, const std::string& fallback);

struct ProductCommand {
  std::string product;  // the plugin: `payhostd <product> <verb>`
  std::string verb;
  std::string usage;
  std::string description;
};

// The commands of the product plugins the configuration enables (loads them).
sdk::Result<std::vector<ProductCommand>> product_commands(const std::string& config_path);

// The lines `payhostd --help` ends with: each product command, or why there are none.
std::string product_commands_help(const std::string& config_path);

}  // namespace payhost::host
