// payhostd: the command line. Every subcommand takes --config FILE.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app.hpp"
#include "jwt.hpp"
#include "loader.hpp"
#include "logging.hpp"
#include "plugin_options.hpp"

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

int cmd_plugins_describe(const std::string& config_path, const std::string& name) {
  std::string path = (fs::path(plugin_dir_for(config_path)) / (name + ".so")).string();
  if (auto config = load(config_path)) {
    for (const auto& p : config->plugins) {
      if (p.name == name) path = p.path;
    }
  }
  auto loaded = host::load_plugin(path, name);
  if (!loaded) return fail(loaded.error().message);
  print_descriptor(**loaded, false);
  sdk::Plugin& object = (*loaded)->object();
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
  if (it == commands.end()) {
    std::string list;
    for (const auto& c : commands)
      list += "\n  payhostd " + words[0] + " " + c.usage + "  " + c.description;
    return fail(words[0] +
                ": unknown or missing command; available:" + (list.empty() ? " none" : list));
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
  CLI::App cli{"payhostd: self-hosted payment gateway host"};
  cli.require_subcommand(0, 1);
  std::string config_path = kDefaultConfig;
  cli.add_option("--config", config_path, "configuration file")->capture_default_str();

  host::ConfigOverrides overrides;
  auto* serve = cli.add_subcommand("serve", "serve the REST APIs (the default)");
  serve->add_option("--listen", overrides.listen, "HOST:PORT (port 0 picks a free port)");
  serve->add_option("--data-dir", overrides.data_dir, "data directory");
  serve->add_option("--config", config_path, "configuration file");

  auto* config_cmd = cli.add_subcommand("config", "configuration commands");
  auto* check = config_cmd->add_subcommand("check", "validate the configuration and plugins");
  check->add_option("--config", config_path, "configuration file");
  config_cmd->require_subcommand(1);

  auto* plugins = cli.add_subcommand("plugins", "plugin commands");
  auto* list = plugins->add_subcommand("list", "list the plugins in the plugin directory");
  list->add_option("--config", config_path, "configuration file");
  std::string describe_name;
  auto* describe = plugins->add_subcommand("describe", "print a plugin's channels and options");
  describe->add_option("name", describe_name, "plugin name")->required();
  describe->add_option("--config", config_path, "configuration file");
  plugins->require_subcommand(1);

  std::string user;
  bool admin = false;
  std::int64_t ttl = 0;
  auto* token = cli.add_subcommand("token", "mint a JWT with the configured HS256 secret");
  token->add_option("--user", user, "user id (the token's sub)")->required();
  token->add_flag("--admin", admin, "add the admin claim");
  token->add_option("--ttl", ttl, "lifetime in seconds");
  token->add_option("--config", config_path, "configuration file");

  auto* migrate = cli.add_subcommand("migrate", "apply database migrations and exit");
  migrate->add_option("--config", config_path, "configuration file");

  // Product commands (`payhostd wallet audit`) are not known until plugins load: anything
  // that is not a built-in subcommand goes to the product named by the first word.
  const std::vector<std::string> builtin = {"serve", "config", "plugins", "token", "migrate"};
  if (argc > 1 && argv[1][0] != '-' &&
      std::find(builtin.begin(), builtin.end(), argv[1]) == builtin.end()) {
    std::vector<std::string> words;
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      if (a == "--config" && i + 1 < argc) {
        config_path = argv[++i];
      } else if (a.rfind("--config=", 0) == 0) {
        config_path = a.substr(9);
      } else {
        words.push_back(a);
      }
    }
    return cmd_product(config_path, words);
  }

  CLI11_PARSE(cli, argc, argv);
  if (check->parsed()) return cmd_config_check(config_path);
  if (list->parsed()) return cmd_plugins_list(config_path);
  if (describe->parsed()) return cmd_plugins_describe(config_path, describe_name);
  if (token->parsed()) return cmd_token(config_path, user, admin, ttl);
  if (migrate->parsed()) return cmd_migrate(config_path);
  return cmd_serve(config_path, overrides);
}
