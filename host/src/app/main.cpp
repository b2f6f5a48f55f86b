// payhostd: the command line. Every subcommand takes --config FILE.
#include <malloc.h>
#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/app.hpp"
#include "app/cli.hpp"
#include "http/jwt.hpp"
#include "observability/logging.hpp"
#include "plugins/loader.hpp"
#include "plugins/option_docs.hpp"

namespace fs = std::filesystem;
using namespace payhost;
using host::App;

namespace {

constexpr const char* kDefaultConfig = "config/payhost.yaml";

int fail(const std::string& message) {
  std::cerr << "payhostd: " << message << "\n";
  return 2;
}

sdk::Result<host::Config> load(const std::string& path, const host::ConfigOverrides& o = {}) {
  return host::load_config(path, o);
}

int cmd_serve(const std::string& config_path, const host::ConfigOverrides& overrides) {
  auto config = load(config_path, overrides);
  if (!config) return fail(config.error().message);
  host::init_logging(config->log_level);
  // Signals are taken by sigwait below; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  App app(std::move(*config));
  if (auto st = app.load_plugins(); !st) return fail(st.error().message);
  if (auto st = app.open_database(); !st) return fail(st.error().message);
  if (auto st = app.start_plugins(); !st) return fail(st.error().message);
  if (auto st = app.serve(); !st) return fail(st.error().message);
  int sig = 0;
  sigwait(&signals, &sig);
  host::host_log().info(std::string("received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") +
                        ", shutting down");
  app.shutdown();
  return 0;
}

int cmd_config_check(const std::string& config_path) {
  auto config = load(config_path);
  if (!config) return fail(config.error().message);
  App app(std::move(*config));
  if (auto st = app.load_plugins(); !st) return fail(st.error().message);
  std::cout << config_path << ": OK (" << (app.config().livemode ? "live" : "test") << " mode, "
            << app.plugins().entries().size() << " plugins, channels:";
  for (const auto& c : app.plugins().channel_names())
    std::cout << " " << c;
  std::cout << ")\n";
  return 0;
}

int cmd_migrate(const std::string& config_path) {
  auto config = load(config_path);
  if (!config) return fail(config.error().message);
  App app(std::move(*config));
  if (auto st = app.load_plugins(); !st) return fail(st.error().message);
  std::vector<std::string> applied;
  if (auto st = app.open_database(&applied); !st) return fail(st.error().message);
  for (const auto& line : applied)
    std::cout << "applied " << line << "\n";
  std::cout << (applied.empty() ? "schema is up to date\n" : "migrations done\n");
  return 0;
}

std::string plugin_dir_for(const std::string& config_path) {
  auto config = load(config_path);
  return config ? config->plugin_dir : host::default_plugin_dir();
}

void print_descriptor(const host::LoadedPlugin& p, bool enabled) {
  std::cout << p.name() << "  " << (p.kind() == PAYHOST_PLUGIN_CHANNEL ? "channel" : "product")
            << "  " << p.version() << (enabled ? "  enabled" : "") << "\n    " << p.summary()
            << "\n    " << p.path() << "\n";
}

int cmd_plugins_list(const std::string& config_path) {
  auto config = load(config_path);
  std::vector<std::string> enabled;
  if (config) {
    for (const auto& p : config->plugins)
      enabled.push_back(p.name);
  }
  const std::string dir = plugin_dir_for(config_path);
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& f : fs::directory_iterator(dir, ec)) {
    if (f.path().extension() == ".so") files.push_back(f.path());
  }
  std::sort(files.begin(), files.end());
  int status = 0;
  for (const auto& f : files) {
    auto loaded = host::load_plugin(fs::absolute(f).string(), "");
    if (!loaded) {
      std::cout << f.stem().string() << "  REFUSED: " << loaded.error().message << "\n";
      status = 1;
      continue;
    }
    const bool on = std::find(enabled.begin(), enabled.end(), (*loaded)->name()) != enabled.end();
    print_descriptor(**loaded, on);
  }
  if (files.empty()) std::cout << "no plugins in " << dir << "\n";
  return status;
}

int cmd_plugins_describe(const std::string& config_path, const std::string& name, bool markdown) {
  std::string path = (fs::path(plugin_dir_for(config_path)) / (name + ".so")).string();
  if (auto config = load(config_path)) {
    for (const auto& p : config->plugins) {
      if (p.name == name) path = p.path;
    }
  }
  auto loaded = host::load_plugin(path, name);
  if (!loaded) return fail(loaded.error().message);
  sdk::Plugin& object = (*loaded)->object();
  if (markdown) {
    std::cout << host::options_markdown(object.option_specs());
    return 0;
  }
  print_descriptor(**loaded, false);
  if (auto* channel = object.as_channel()) {
    std::cout << "channels:\n";
    for (const auto& spec : channel->channel_specs()) {
      std::cout << "  " << spec.name << ": " << spec.description << " (expires after "
                << spec.default_expiry_seconds << " s";
      for (const auto& e : spec.required_extra)
        std::cout << "; requires extra." << e;
      for (const auto& e : spec.optional_extra)
        std::cout << "; accepts extra." << e;
      std::cout << ")\n";
    }
  }
  std::cout << "options:\n" << host::describe_options(object.option_specs());
  return 0;
}

int cmd_token(const std::string& config_path, const std::string& user, bool admin,
              std::int64_t ttl) {
  if (!host::is_user_id(user)) {
    return fail("--user must be a user id: 1 to " + std::to_string(host::kMaxUserIdLength) +
                " letters, digits, '-', '_' or '.'");
  }
  auto config = load(config_path);
  if (!config) return fail(config.error().message);
  if (config->auth.jwt_secret.empty() && config->livemode) {
    return fail("tokens can be minted only with auth.jwt_secret (HS256)");
  }
  App app(std::move(*config));
  auto secret = app.jwt_secret();
  if (!secret) return fail(secret.error().message);
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  std::cout << host::mint_hs256(*secret, user, admin, now,
                                ttl > 0 ? ttl : app.config().auth.token_ttl_seconds)
            << "\n";
  return 0;
}

// `payhostd <product> <verb> [args...]`: a command a product plugin declares.
int cmd_product(const std::string& config_path, const std::vector<std::string>& words) {
  auto config = load(config_path);
  if (!config) return fail(config.error().message);
  host::init_logging("warn");
  App app(std::move(*config));
  if (auto st = app.load_plugins(); !st) return fail(st.error().message);
  sdk::ProductPlugin* product = app.plugins().product(words[0]);
  if (!product) return fail("unknown command \"" + words[0] + "\" (see payhostd --help)");
  auto commands = product->commands();
  auto it = std::find_if(commands.begin(), commands.end(), [&](const sdk::Command& c) {
    return words.size() > 1 && c.verb == words[1];
  });
  std::string list;
  for (const auto& c : commands)
    list += "\n  payhostd " + words[0] + " " + c.usage + "  " + c.description;
  if (it == commands.end()) {
    if (words.size() == 2 && host::is_help_flag(words[1])) {
      std::cout << words[0] << " commands:" << (list.empty() ? " none" : list) << "\n";
      return 0;
    }
    return fail(words[0] +
                ": unknown or missing command; available:" + (list.empty() ? " none" : list));
  }
  if (std::any_of(words.begin() + 2, words.end(), host::is_help_flag)) {
    std::cout << "usage: payhostd " << words[0] << " " << it->usage << " [--config FILE]\n  "
              << it->description << "\n";
    return 0;
  }
  if (auto st = app.open_database(); !st) return fail(st.error().message);
  if (auto st = app.start_plugins(); !st) return fail(st.error().message);
  std::string out, err;
  const int code = it->run(std::vector<std::string>(words.begin() + 2, words.end()), out, err);
  std::cout << out;
  std::cerr << err;
  commands.clear();  // plugin code: must go before the plugin does
  app.shutdown();
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  // glibc gives each worker thread's arena back to the kernel (madvise) whenever its free
  // top passes 128 KiB, and SQLite frees that much at every savepoint release of a commit
  // group: each settlement then paid for a TLB shootdown on every CPU and the page faults
  // of growing the arena again. Kept up to 4 MiB per arena, it is reused instead.
  ::mallopt(M_TRIM_THRESHOLD, 4 << 20);
  CLI::App cli{"payhostd: self-hosted payment gateway host"};
  cli.require_subcommand(0, 1);
  host::CliOptions options;
  options.config_path = kDefaultConfig;
  const host::BuiltinCommands commands = host::declare_builtin_commands(cli, options);
  // Product commands are known only once the configured plugins load, so the top-level
  // help loads them (from --config, wherever it stands) only when it is printed.
  cli.footer([argc, argv] {
    return host::product_commands_help(host::config_path_in(argc, argv, kDefaultConfig));
  });

  // `payhostd wallet audit`: anything that is not a built-in subcommand goes to the
  // product named by the first word.
  if (argc > 1 && argv[1][0] != '-' && !host::is_builtin_command(cli, argv[1])) {
    std::vector<std::string> words;
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      if (a == "--config" && i + 1 < argc) {
        ++i;
      } else if (a.rfind("--config=", 0) != 0) {
        words.push_back(a);
      }
    }
    return cmd_product(host::config_path_in(argc, argv, kDefaultConfig), words);
  }

  CLI11_PARSE(cli, argc, argv);
  const std::string& config_path = options.config_path;
  if (commands.config_check->parsed()) return cmd_config_check(config_path);
  if (commands.plugins_list->parsed()) return cmd_plugins_list(config_path);
  if (commands.plugins_describe->parsed()) {
    return cmd_plugins_describe(config_path, options.plugin_name, options.markdown);
  }
  if (commands.token->parsed()) {
    return cmd_token(config_path, options.user, options.admin, options.ttl);
  }
  if (commands.migrate->parsed()) return cmd_migrate(config_path);
  if (commands.refund->parsed()) {
    options.refund.config_path = config_path;
    return host::run_refund_command(options.refund);
  }
  if (commands.webhook->parsed()) {
    options.webhook.config_path = config_path;
    return host::run_webhook_command(options.webhook);
  }
  if (commands.keys->parsed()) {
    options.keys.config_path = config_path;
    return host::run_keys_command(options.keys);
  }
  if (commands.operators->parsed()) {
    options.operators.config_path = config_path;
    return host::run_operator_command(options.operators);
  }
  if (commands.backup->parsed()) {
    options.backup.config_path = config_path;
    return host::run_backup_command(options.backup);
  }
  return cmd_serve(config_path, options.overrides);
}
