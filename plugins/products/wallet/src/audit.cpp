#include "audit.hpp"

#include "context.hpp"
#include "payhost/sdk/database.hpp"
#include "payhost/sdk/money.hpp"

namespace payhost::wallet {
namespace {

constexpr int kExitMismatch = 1;
constexpr int kExitError = 2;
constexpr int kExitUsage = 64;

std::string fen(sdk::Fen amount) {
  return std::to_string(amount) + " fen (" + sdk::format_yuan(amount) + " CNY)";
}

}  // namespace

AuditReport summarize_audit(const std::vector<AuditRow>& rows) {
  AuditReport report;
  sdk::Fen total = 0;
  std::size_t mismatches = 0;
  for (const AuditRow& row : rows) {
    total += row.balance;
    if (row.balance == row.settled_sum && row.balance >= 0) continue;
    ++mismatches;
    report.text += "user " + std::to_string(row.user_id) + ": balance " + fen(row.balance) +
                   ", settled records sum to " + fen(row.settled_sum) + " (difference " +
                   std::to_string(row.balance - row.settled_sum) + " fen)\n";
  }
  if (mismatches == 0) {
    report.text += "wallet audit: clean: " + std::to_string(rows.size()) +
                   " wallets match their ledgers; total balance " + fen(total) + "\n";
  } else {
    report.text += "wallet audit: " + std::to_string(mismatches) + " of " +
                   std::to_string(rows.size()) + " wallets do not match their ledgers\n";
    report.exit_code = kExitMismatch;
  }
  return report;
}

sdk::Command audit_command(const std::unique_ptr<WalletContext>& context) {
  sdk::Command command;
  command.verb = "audit";
  command.usage = "payhostd wallet audit --config FILE";
  command.description =
      "Checks that every user's balance equals the sum of their settled wallet records "
      "(income minus expense). Exit 0 when clean, 1 listing mismatches, 2 on errors.";
  command.run = [&context](const std::vector<std::string>& args, std::string& out,
                           std::string& err) -> int {
    for (std::size_t i = 0; i < args.size(); ++i) {
      // The host normally consumes --config; tolerate it being passed through.
      if (args[i] == "--config") {
        ++i;
        continue;
      }
      if (args[i].rfind("--config=", 0) == 0) continue;
      err += "unexpected argument '" + args[i] + "'\nusage: payhostd wallet audit --config FILE\n";
      return kExitUsage;
    }
    if (!context) {
      err += "wallet audit: the wallet plugin has not been started\n";
      return kExitError;
    }
    std::vector<AuditRow> rows;
    const sdk::Status read = sdk::with_session(context->host.database(), [&](soci::session& sql) {
      rows = context->ledger.audit(sql);
      return sdk::Status{};
    });
    if (!read) {
      err += "wallet audit: cannot read the ledger: " + read.error().message + "\n";
      return kExitError;
    }
    const AuditReport report = summarize_audit(rows);
    (report.exit_code == 0 ? out : err) += report.text;
    return report.exit_code;
  };
  return command;
}

}  // namespace payhost::wallet
