#include "schema.hpp"

namespace payhost::wallet {

// wallet_wallets holds the balance; wallet_records is the ledger that explains it (the
// sum of a user's settled records, income minus expense, equals the balance); wallet_cashes
// holds withdrawal applications. Times are Unix seconds, formatted on output. CHECKs are
// the last line of defence: the code never relies on them, but an overdraft or a negative
// amount cannot be committed even by a bug.
std::vector<sdk::Migration> wallet_migrations() {
  sdk::Migration v1;
  v1.version = 1;
  v1.description = "wallet balances, ledger records and withdrawal applications";
  v1.sqlite = {
      "CREATE TABLE wallet_wallets ("
      " user_id INTEGER PRIMARY KEY,"
      " balance INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),"
      " created_at INTEGER NOT NULL,"
      " updated_at INTEGER NOT NULL)",
      "CREATE TABLE wallet_records ("
      " id INTEGER PRIMARY KEY AUTOINCREMENT,"
      " user_id INTEGER NOT NULL,"
      " kind TEXT NOT NULL,"
      " channel TEXT NOT NULL,"
      " account TEXT,"
      " charge_id TEXT,"
      " action INTEGER NOT NULL CHECK (action IN (0, 1)),"
      " amount INTEGER NOT NULL CHECK (amount > 0),"
      " currency TEXT NOT NULL DEFAULT 'cny',"
      " subject TEXT NOT NULL,"
      " body TEXT NOT NULL,"
      " transaction_no TEXT,"
      " status INTEGER NOT NULL CHECK (status IN (0, 1, 2)),"
      " balance_after INTEGER,"
      " cash_id INTEGER,"
      " created_at INTEGER NOT NULL,"
      " updated_at INTEGER NOT NULL)",
      "CREATE INDEX wallet_records_by_user ON wallet_records (user_id, status, id)",
      "CREATE TABLE wallet_cashes ("
      " id INTEGER PRIMARY KEY AUTOINCREMENT,"
      " user_id INTEGER NOT NULL,"
      " value INTEGER NOT NULL CHECK (value > 0),"
      " type TEXT NOT NULL,"
      " account TEXT NOT NULL,"
      " status INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2)),"
      " remark TEXT,"
      " created_at INTEGER NOT NULL,"
      " updated_at INTEGER NOT NULL)",
      "CREATE INDEX wallet_cashes_by_user ON wallet_cashes (user_id, id)",
      "CREATE INDEX wallet_cashes_by_status ON wallet_cashes (status, id)",
  };
  v1.postgresql = {
      "CREATE TABLE wallet_wallets ("
      " user_id BIGINT PRIMARY KEY,"
      " balance BIGINT NOT NULL DEFAULT 0 CHECK (balance >= 0),"
      " created_at BIGINT NOT NULL,"
      " updated_at BIGINT NOT NULL)",
      "CREATE TABLE wallet_records ("
      " id BIGSERIAL PRIMARY KEY,"
      " user_id BIGINT NOT NULL,"
      " kind TEXT NOT NULL,"
      " channel TEXT NOT NULL,"
      " account TEXT,"
      " charge_id TEXT,"
      " action INTEGER NOT NULL CHECK (action IN (0, 1)),"
      " amount BIGINT NOT NULL CHECK (amount > 0),"
      " currency TEXT NOT NULL DEFAULT 'cny',"
      " subject TEXT NOT NULL,"
      " body TEXT NOT NULL,"
      " transaction_no TEXT,"
      " status INTEGER NOT NULL CHECK (status IN (0, 1, 2)),"
      " balance_after BIGINT,"
      " cash_id BIGINT,"
      " created_at BIGINT NOT NULL,"
      " updated_at BIGINT NOT NULL)",
      "CREATE INDEX wallet_records_by_user ON wallet_records (user_id, status, id)",
      "CREATE TABLE wallet_cashes ("
      " id BIGSERIAL PRIMARY KEY,"
      " user_id BIGINT NOT NULL,"
      " value BIGINT NOT NULL CHECK (value > 0),"
      " type TEXT NOT NULL,"
      " account TEXT NOT NULL,"
      " status INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2)),"
      " remark TEXT,"
      " created_at BIGINT NOT NULL,"
      " updated_at BIGINT NOT NULL)",
      "CREATE INDEX wallet_cashes_by_user ON wallet_cashes (user_id, id)",
      "CREATE INDEX wallet_cashes_by_status ON wallet_cashes (status, id)",
  };
  sdk::Migration v2;
  v2.version = 2;
  v2.description = "withdrawal attempts per user, shared by every host (rate limit)";
  v2.sqlite = {
      "CREATE TABLE wallet_cash_attempts ("
      " user_id INTEGER PRIMARY KEY,"
      " window_start INTEGER NOT NULL,"
      " hits INTEGER NOT NULL)",
  };
  v2.postgresql = {
      "CREATE TABLE wallet_cash_attempts ("
      " user_id BIGINT PRIMARY KEY,"
      " window_start BIGINT NOT NULL,"
      " hits INTEGER NOT NULL)",
  };
  return {v1, v2};
}

}  // namespace payhost::wallet
