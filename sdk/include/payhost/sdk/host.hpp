// Services the host offers a plugin. The host outlives every plugin and every call here
// is thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "payhost/sdk/charge.hpp"
#include "payhost/sdk/database.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/log.hpp"
#include "payhost/sdk/money.hpp"
#include "payhost/sdk/result.hpp"
#include "payhost/sdk/simulator.hpp"

namespace payhost::sdk {

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Any HTTP status is a success here; a timeout or network failure is an error of kind
  // `unavailable` (the outcome is unknown, never failed).
  virtual Result<OutboundResponse> send(const OutboundRequest& request) noexcept = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t now() const noexcept = 0;  // Unix seconds
};

// A product's charge. The host records the product plugin that asked as its owner.
struct NewCharge {
  std::string product_ref;  // the product's record id
  std::string user_id;
  std::string channel;
  Fen amount = 0;
  std::string subject;
  std::string body;
  std::string client_ip;
  Json extra = Json::object();
  Json metadata = Json::object();
  std::string description;
  // Optional: runs inside the transaction that stores the charge, so that the product's
  // own row (an order, a ledger record) and the charge are written together or not at
  // all, in one commit. An error or exception rolls both back and create() fails.
  // Capture by value: a NewCharge is a value that may be copied and replayed after the
  // route that built it has returned (a retry, a test), so references would dangle.
  std::function<Status(soci::session& sql, const Charge& stored)> in_transaction;
  // Optional: runs first in that same transaction, before the charge's row is written, for
  // a product whose own row must exist for the charge to name it: it writes the row (the
  // charge it sees has its id, channel, credential, state and failure already) and returns
  // the row's id, which the charge stores as product_ref. One transaction instead of one
  // for the row and another for the charge. Same rules as in_transaction; it may run more
  // than once if the database asks for a retry (the earlier run is rolled back).
  std::function<Result<std::string>(soci::session& sql, const Charge& charge)> product_row;
};

class ChargeService {
 public:
  virtual ~ChargeService() = default;
  // Validates (channel enabled, amount, subject/body length, required extras), asks the
  // channel for a credential and stores the charge, owned by the calling product plugin.
  // Refusals carry a code of charge_errors.hpp and the offending param.
  virtual Result<Charge> create(const NewCharge& request) noexcept = 0;
  virtual Result<Charge> get(const std::string& charge_id) noexcept = 0;
  virtual Result<Charge> get_by_order_no(const std::string& order_no) noexcept = 0;
  // Asks the channel about a pending charge and settles it through the same exactly-once
  // path as notifications; returns the charge as it is afterwards.
  virtual Result<Charge> retrieve(const std::string& charge_id) noexcept = 0;
  virtual std::vector<std::string> enabled_channels() const = 0;
};

struct KeyPairPem {
  std::string private_key;  // PKCS#8 PEM
  std::string public_key;   // SubjectPublicKeyInfo PEM
};

class Host {
 public:
  virtual ~Host() = default;

  virtual bool livemode() const noexcept = 0;
  virtual std::string app_id() const = 0;      // "app_" + 16 characters
  virtual std::string public_url() const = 0;  // base URL clients and providers reach us at
  virtual std::string notify_url(std::string_view plugin) const = 0;  // public_url/notify/<p>
  virtual std::string data_dir() const = 0;

  virtual Logger& logger() noexcept = 0;
  virtual const Clock& clock() const noexcept = 0;
  virtual HttpClient& http() noexcept = 0;
  virtual ChargeService& charges() noexcept = 0;
  virtual Database& database() noexcept = 0;

  // Runs `task` on a host thread after `delay`. Tasks still queued at exit are dropped.
  virtual void schedule(std::chrono::milliseconds delay, std::function<void()> task) = 0;

  // Test mode only: an RSA-2048 key pair named `name`, generated on first use and kept in
  // the data directory, so a channel and its simulator can find each other's keys.
  virtual Result<KeyPairPem> sandbox_keypair(std::string_view name) noexcept = 0;

  // Test mode only: the simulator of a loaded product plugin that declares `channel`, or
  // nullptr (always nullptr in live mode). Call it per request, not in start(): plugins
  // start one after another.
  virtual Simulator* simulator_for(std::string_view channel) noexcept {
    (void)channel;
    return nullptr;
  }
};

}  // namespace payhost::sdk
