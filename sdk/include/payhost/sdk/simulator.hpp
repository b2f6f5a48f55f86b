// Provider simulators for test mode. A simulator plays a provider's servers (its routes
// are the product plugin's own) and lets the cashier page act on a test-mode charge as the
// provider's buyer would. The cashier is provider-neutral: it finds the simulator of a
// charge's channel through Host::simulator_for, so a third-party channel can ship its
// simulator as a plugin in its own folder.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "payhost/sdk/charge.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::sdk {

// What a buyer can do on the cashier page.
enum class CashierAction {
  pay,     // the buyer pays: the trade succeeds and the provider notifies the merchant
  fail,    // the payment fails at the provider (e.g. a declined card); where the provider
           // notifies failures it does, otherwise the trade only reports it when queried
  close,   // the trade is closed unpaid at the provider, as the merchant's close would
  expire,  // the trade's time runs out unpaid: it ends as the provider's timeout ends it,
           // with the notification the provider sends then, if any, and the provider's
           // query reports it ended, so the merchant learns it by asking
};

const char* to_string(CashierAction action) noexcept;

// The cashier's path for a charge, which simulators may redirect a browser to.
inline constexpr const char* kCashierPathPrefix = "/sandbox/cashier/";

// What the cashier shows of one charge, after the simulator checked its credential.
struct CashierView {
  std::string provider;      // "Alipay", "WeChat Pay"
  std::string trade_status;  // the simulated trade's state in the provider's words, or ""
  // Rows shown under the charge's own facts: label, value (plain text; the page escapes).
  std::vector<std::pair<std::string, std::string>> details;
  std::string qr_text;  // text to show as a QR code (a code_url, a qr_code), or ""
  // The buyer's browser opens the credential (wap and pc channels): the cashier offers a
  // code that opens its own page on a phone. Otherwise an app (or mini program) takes it,
  // and the cashier shows the credential as the app's SDK would receive it.
  bool browser = false;
  std::vector<CashierAction> actions;  // what the buyer may do now; empty once settled
};

// What an action did at the simulated provider.
struct CashierResult {
  std::string trade_no;       // the provider's transaction id, once there is one
  std::string out_trade_no;   // the merchant's order number as the provider knows it
  std::string trade_status;   // state after the action, in the provider's words
  bool repeated = false;      // the trade was already in that state (a pay re-notifies)
  bool notified = false;      // a notification got an HTTP answer from the merchant
  int notify_status = 0;      // that answer's status
  std::string notify_answer;  // that answer's body
  std::string notify_error;   // why no notification was answered, or ""
  std::string return_url;     // where to send the browser afterwards, or "" (absolute http(s))
};

class Simulator {
 public:
  virtual ~Simulator() = default;

  // The channels whose charges this simulator can act on.
  virtual std::vector<std::string> channels() const = 0;

  // Checks the charge's credential as the provider would before showing its page (a
  // forged or mismatched credential is an error whose message says what is wrong).
  virtual Result<CashierView> inspect(const Charge& charge) noexcept = 0;

  // Acts on the charge's trade. An action the trade's state does not allow is an error of
  // kind conflict; bad credentials are errors as in inspect().
  virtual Result<CashierResult> act(const Charge& charge, CashierAction action) noexcept = 0;
};

}  // namespace payhost::sdk
