#include "app/cli.hpp"

#include <algorithm>

#include "app/app.hpp"

namespace payhost::host {

BuiltinCommands declare_builtin_commands(CLI::App& cli, CliOptions& o) {
  BuiltinCommands c;
  cli.add_option("--config", o.config_path, "configuration file")->capture_default_str();

  c.serve = cli.add_subcommand("serve", "serve the REST APIs (the default)");
  c.serve->add_option("--listen", o.overrides.listen, "HOST:PORT (port 0 picks a free port)");
  c.serve->add_option("--data-dir", o.overrides.data_dir, "data directory");
  c.serve->add_option("--config", o.config_path, "configuration file");

  auto* config = cli.add_subcommand("config", "configuration commands");
  c.config_check = config->add_subcommand("check", "validate the configuration and plugins");
  c.config_check->add_option("--config", o.config_path, "configuration file");
  config->require_subcommand(1);

  auto* plugins = cli.add_subcommand("plugins", "plugin commands");
  c.plugins_list = plugins->add_subcommand("list", "list the plugins in the plugin directory");
  c.plugins_list->add_option("--config", o.config_path, "configuration file");
  c.plugins_describe = plugins->add_subcommand("describe", "print a plugin's channels and options");
  c.plugins_describe->add_option("name", o.plugin_name, "plugin name")->required();
  c.plugins_describe->add_option("--config", o.config_path, "configuration file");
  c.plugins_describe->add_flag("--markdown", o.markdown,
                               "print only the option table, as the Markdown the docs embed");
  plugins->require_subcommand(1);

  c.token = cli.add_subcommand("token", "mint a JWT with the configured HS256 secret");
  c.token->add_option("--user", o.user, "user id (the token's sub)")->required();
  c.token->add_flag("--admin", o.admin, "add the admin claim");
  c.token->add_option("--ttl", o.ttl, "lifetime in seconds");
  c.token->add_option("--config", o.config_path, "configuration file");

  c.migrate = cli.add_subcommand("migrate", "apply database migrations and exit");
  c.migrate->add_option("--config", o.config_path, "configuration file");

  c.refund = cli.add_subcommand("refund", "refund a paid charge (all that is left, or --amount)");
  c.refund->add_option("charge_id", o.refund.charge_id, "the charge (ch_...)")->required();
  c.refund->add_option("--amount", o.refund.amount, "fen to refund (default: all that is left)");
  c.refund->add_option("--reason", o.refund.reason, "why (the refund's description)")->required();
  c.refund->add_option("--config", o.config_path, "configuration file");

  c.webhook = cli.add_subcommand("webhook", "webhook deliveries and the signing key");
  c.webhook->require_subcommand(1);
  auto* list = c.webhook->add_subcommand("list", "list webhook deliveries, newest first");
  list->add_option("--status", o.webhook.status, "pending, delivered or failed")
      ->check(CLI::IsMember({"pending", "delivered", "failed"}));
  list->add_option("--limit", o.webhook.limit, "at most this many")->check(CLI::Range(1, 10000));
  auto* redeliver = c.webhook->add_subcommand("redeliver", "send an event's deliveries again, now");
  redeliver->add_option("event_id", o.webhook.event_id, "the event (evt_...)")->required();
  c.webhook->add_subcommand("public-key", "print the public key receivers verify with (PEM)");
  for (auto* sub : c.webhook->get_subcommands({})) {
    sub->add_option("--config", o.config_path, "configuration file");
    sub->callback([&o, sub] { o.webhook.verb = sub->get_name(); });
  }

  c.keys = cli.add_subcommand("keys", "API keys of the /v1 API (sk_test_... / sk_live_...)");
  c.keys->require_subcommand(1);
  auto* create = c.keys->add_subcommand("create", "create a key and print it (shown once)");
  create->add_option("--app", o.keys.app, "the app (default: app_id)");
  create->add_option("--mode", o.keys.mode, "test or live (default: the host's mode)")
      ->check(CLI::IsMember({"test", "live"}));
  create->add_option("--label", o.keys.label, "a note for operators");
  auto* keys_list = c.keys->add_subcommand("list", "list keys (never the keys themselves)");
  keys_list->add_option("--app", o.keys.app, "only this app's");
  auto* revoke = c.keys->add_subcommand("revoke", "revoke a key at once");
  revoke->add_option("key_id", o.keys.key_id, "the key's id (key_...)")->required();
  for (auto* sub : c.keys->get_subcommands({})) {
    sub->add_option("--config", o.config_path, "configuration file");
    sub->callback([&o, sub] { o.keys.verb = sub->get_name(); });
  }

  c.operators = cli.add_subcommand("operator", "the operator console's accounts");
  c.operators->require_subcommand(1);
  const std::vector<std::string> roles{"admin", "finance", "viewer"};
  auto* op_add = c.operators->add_subcommand(
      "add", "add an operator (password: first line of stdin, or a prompt without echo)");
  op_add->add_option("name", o.operators.name, "1-64 of A-Za-z0-9._-")->required();
  op_add->add_option("--role", o.operators.role, "admin, finance or viewer")
      ->required()
      ->check(CLI::IsMember(roles));
  c.operators->add_subcommand("list", "list operators (never their passwords)");
  auto* op_remove =
      c.operators->add_subcommand("remove", "remove an operator and end its sessions");
  op_remove->add_option("name", o.operators.name, "the operator")->required();
  auto* op_passwd = c.operators->add_subcommand(
      "passwd", "set an operator's password (as for add) and end its sessions");
  op_passwd->add_option("name", o.operators.name, "the operator")->required();
  auto* op_role =
      c.operators->add_subcommand("role", "change an operator's role and end its sessions");
  op_role->add_option("name", o.operators.name, "the operator")->required();
  op_role->add_option("--role", o.operators.role, "admin, finance or viewer")
      ->required()
      ->check(CLI::IsMember(roles));
  for (auto* sub : c.operators->get_subcommands({})) {
    sub->add_option("--config", o.config_path, "configuration file");
    sub->callback([&o, sub] { o.operators.verb = sub->get_name(); });
  }

  c.backup = cli.add_subcommand("backup", "copy the SQLite database while hosts keep serving");
  c.backup->add_option("--to", o.backup.to, "the copy's path (a new file)")->required();
  c.backup->add_flag("--force", o.backup.force, "replace the file at --to if it exists");
  c.backup->add_option("--config", o.config_path, "configuration file");
  return c;
}

bool is_builtin_command(CLI::App& cli, const std::string& word) {
  const auto subcommands = cli.get_subcommands({});
  return std::any_of(subcommands.begin(), subcommands.end(),
                     [&](const CLI::App* s) { return s->get_name() == word; });
}

bool is_help_flag(const std::string& word) {
  return word == "--help" || word == "-h";
}

std::string config_path_in(int argc, char** argv, const std::string& fallback) {
  std::string path = fallback;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) {
      path = argv[++i];
    } else if (a.rfind("--config=", 0) == 0) {
      path = a.substr(9);
    }
  }
  return path;
}

sdk::Result<std::vector<ProductCommand>> product_commands(const std::string& config_path) {
  auto config = load_config(config_path);
  if (!config) return config.error();
  App app(std::move(*config));
  if (auto st = app.load_plugins(); !st) return st.error();
  std::vector<ProductCommand> out;
  for (PluginEntry* entry : app.plugins().entries()) {
    if (!entry->product) continue;
    for (const auto& command : entry->product->commands())
      out.push_back({entry->config->name, command.verb, command.usage, command.description});
  }
  return out;
}

std::string product_commands_help(const std::string& config_path) {
  auto commands = product_commands(config_path);
  if (!commands) {
    return "Product commands come from the plugins a configuration enables; none listed: " +
           commands.error().message;
  }
  if (commands->empty()) return "Product commands: none (no enabled product declares one).";
  std::string text = "Product commands (payhostd <product> <command> --help for one):";
  for (const auto& c : *commands)
    text += "\n  " + c.product + " " + c.usage + "\n      " + c.description;
  return text;
}

}  // namespace payhost::host
