// `payhostd backup --to PATH [--force]`: the SQLite database copied while hosts keep
// serving (storage/sqlite_backup.hpp). PostgreSQL has its own tools, named in the refusal.
#include <filesystem>
#include <iostream>

#include "app/commands.hpp"
#include "config/config.hpp"
#include "storage/sqlite_backup.hpp"

namespace payhost::host {

namespace {

int refused(const std::string& message, int code) {
  std::cerr << "payhostd: " << message << "\n";
  return code;
}

}  // namespace

int run_backup_command(const BackupCommand& command) {
  auto config = load_config(command.config_path);
  if (!config) return refused(config.error().message, 2);
  const std::string& url = config->database.url;
  if (url.rfind("sqlite://", 0) != 0) {
    return refused(config->file +
                       ": database.url is PostgreSQL: payhostd backup copies SQLite databases "
                       "only; back PostgreSQL up with pg_dump -Fc as docs/operations.md "
                       "(\"Backups\") describes",
                   2);
  }
  // The file as Db::open finds it: relative to data_dir unless absolute.
  std::filesystem::path file = url.substr(9);
  if (file.is_relative()) file = std::filesystem::path(config->data_dir) / file;

  SqliteBackupOptions options;
  options.replace_existing = command.force;
  auto summary = backup_sqlite_database(file.string(), command.to, options);
  if (!summary) {
    const sdk::Error& e = summary.error();
    return refused("backup refused: " + e.message +
                       (e.code == "backup_exists" ? "; add --force to replace it" : ""),
                   1);
  }
  std::cout << "backed up " << file.string() << " to " << command.to << ": " << summary->pages
            << " pages of " << summary->page_size << " bytes, integrity_check ok, mode 0600\n";
  return 0;
}

}  // namespace payhost::host
