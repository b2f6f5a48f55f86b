// The host's charge core in miniature, for product plugins: create() stores the charge and
// runs the product's own writes (product_row, in_transaction) in one transaction on the
// test's database, and settle() calls the product's hook inside a transaction the way the
// core does, exactly once per charge. The real core is exercised by the harness's tests.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "payhost/sdk/host.hpp"
#include "payhost/sdk/product.hpp"
#include "payhost/sdk/testing/manual_clock.hpp"

namespace payhost::sdk::testing {

class FakeChargeService final : public ChargeService {
 public:
  FakeChargeService(Database& db, const ManualClock& clock, std::string app_id);

  Result<Charge> create(const NewCharge& request) noexcept override;
  Result<Charge> get(const std::string& charge_id) noexcept override;
  Result<Charge> get_by_order_no(const std::string& order_no) noexcept override;
  // Settles the charge first if the test marked it paid_at_provider.
  Result<Charge> retrieve(const std::string& charge_id) noexcept override;
  std::vector<std::string> enabled_channels() const override;

  // The product whose hooks settlement calls, and whose name its charges carry.
  void set_product(ProductPlugin* product, std::string name);
  void enable(std::vector<std::string> channels);
  // Channels whose charges need these extra keys (refused with extra_missing otherwise).
  void require_extra(const std::string& channel, std::vector<std::string> keys);
  // The next create() stores the charge (expired) and answers `unavailable`, as the core
  // does when the provider times out.
  void fail_next_create();
  // get() and get_by_order_no() answer this error (the database gone) until cleared.
  void fail_lookups(std::optional<Error> error);
  // retrieve() finds the charge paid at the provider and settles it.
  void mark_paid_at_provider(const std::string& charge_id);

  // Puts a charge in the store as it is (a simulator test's charge, made by hand).
  void store(Charge charge);

  // What a notification does: pending -> succeeded with the product's hook in the same
  // transaction; a repeat changes nothing.
  Status settle(const std::string& charge_id);
  // pending -> failed, with on_charge_failed.
  Status fail(const std::string& charge_id);
  // Calls the success hook again whatever the state: proves the product's own guard.
  Status settle_again_unconditionally(const std::string& charge_id);

  const std::vector<NewCharge> requests() const;       // every create(), in order
  const std::map<std::string, Charge> stored() const;  // every stored charge, by id
  int retrieve_calls() const;
  int lookups() const;  // get() and get_by_order_no() calls

 private:
  Status run_hook(const std::string& charge_id, ChargeState to, bool unconditionally);

  Database& db_;
  const ManualClock& clock_;
  const std::string app_id_;
  mutable std::recursive_mutex mutex_;
  ProductPlugin* product_ = nullptr;
  std::string product_name_;
  std::vector<std::string> enabled_ = {"testpay"};
  std::map<std::string, std::vector<std::string>> required_extra_;
  std::map<std::string, Charge> charges_;
  std::vector<NewCharge> requests_;
  std::set<std::string> paid_at_provider_;
  bool fail_next_ = false;
  std::optional<Error> lookup_failure_;
  int lookups_ = 0;
  int retrieve_calls_ = 0;
  int next_ = 1;
};

}  // namespace payhost::sdk::testing
