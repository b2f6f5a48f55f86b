// `payhostd wallet audit`: every balance must equal the sum of the user's settled records.
#pragma once

#include <string>
#include <vector>

#include "ledger.hpp"
#include "payhost/sdk/product.hpp"

namespace payhost::wallet {

struct WalletContext;

struct AuditReport {
  int exit_code = 0;  // 0 clean, 1 mismatches
  std::string text;
};

// The report for rows read from the ledger: a summary line, and one line per mismatch.
AuditReport summarize_audit(const std::vector<AuditRow>& rows);

// The command; `context` is read when it runs (the plugin has started by then).
sdk::Command audit_command(const std::unique_ptr<WalletContext>& context);

}  // namespace payhost::wallet
