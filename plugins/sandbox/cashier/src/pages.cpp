#include "pages.hpp"

#include "how_to_pay.hpp"
#include "html.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/money.hpp"

namespace payhost::cashier {
namespace {

const char* state_chinese(sdk::ChargeState state) {
  switch (state) {
    case sdk::ChargeState::pending:
      return "待支付";
    case sdk::ChargeState::succeeded:
      return "已支付";
    case sdk::ChargeState::failed:
      return "支付失败";
    case sdk::ChargeState::closed:
      return "已关闭";
  }
  return "";
}

// "待支付 <span data-testid="state">pending</span>": the span holds payhost's own word.
std::string state_html(sdk::ChargeState state) {
  return sdk::html_escape(state_chinese(state)) + " <span data-testid=\"state\">" +
         sdk::to_string(state) + "</span>";
}

std::string state_text(sdk::ChargeState state) {
  return std::string(state_chinese(state)) + " " + sdk::to_string(state);
}

std::string yuan(sdk::Fen amount) {
  return "¥" + sdk::format_yuan(amount);
}

std::string cashier_path(const std::string& charge_id) {
  return std::string(sdk::kCashierPathPrefix) + sdk::url_encode(charge_id);
}

std::string action_button(const sdk::Charge& charge, sdk::CashierAction action) {
  std::string label = action_label(action);
  if (action == sdk::CashierAction::pay) label += " " + yuan(charge.amount);
  const std::string name = sdk::to_string(action);
  return "<form method=\"post\" action=\"" +
         sdk::html_escape(cashier_path(charge.id) + "/" + name) +
         "\"><button type=\"submit\" class=\"" + name + "\" data-action=\"" + name + "\">" +
         sdk::html_escape(label) + "</button></form>";
}

std::string notification_text(const sdk::CashierResult& r) {
  if (r.notified) {
    return "已送达 delivered (HTTP " + std::to_string(r.notify_status) + ": " + r.notify_answer +
           ")";
  }
  if (r.notify_status != 0) {
    return "未被接收 not accepted (HTTP " + std::to_string(r.notify_status) + ": " +
           r.notify_answer + ")" + (r.notify_error.empty() ? "" : "; " + r.notify_error);
  }
  return "未送达 not delivered" + (r.notify_error.empty() ? "" : ": " + r.notify_error);
}

// The sentence the result page leads with, and its machine word.
std::pair<std::string, const char*> outcome(sdk::CashierAction action, bool repeated) {
  const std::string again = repeated ? "（已是此状态 already so）" : "";
  switch (action) {
    case sdk::CashierAction::pay:
      return {"已支付" + again + " Paid", "paid"};
    case sdk::CashierAction::fail:
      return {"支付失败" + again + " The payment failed", "failed"};
    case sdk::CashierAction::close:
      return {"交易已关闭" + again + " The trade is closed", "closed"};
    case sdk::CashierAction::expire:
      return {"订单已过期" + again + " The order expired", "expired"};
  }
  return {"?", "unknown"};
}

std::string back_link(const std::string& charge_id) {
  return "<p><a href=\"" + sdk::html_escape(cashier_path(charge_id)) +
         "\">回到收银台 Back to the cashier</a></p>";
}

}  // namespace

const char* action_label(sdk::CashierAction action) {
  switch (action) {
    case sdk::CashierAction::pay:
      return "支付 Pay";
    case sdk::CashierAction::fail:
      return "支付失败 Fail the payment";
    case sdk::CashierAction::close:
      return "关闭交易 Close the trade";
    case sdk::CashierAction::expire:
      return "让订单过期 Let it expire";
  }
  return "?";
}

sdk::HttpResponse charge_page(const sdk::Charge& charge, const sdk::CashierView& view,
                              std::string_view page_url) {
  std::string body = html_table(
      {
          {"支付 Charge", charge.id},
          {"商户订单号 Order number", charge.order_no},
          {"渠道 Channel", charge.channel},
          {"金额 Amount", yuan(charge.amount)},
          {"商品 Subject", charge.subject},
      },
      html_row("状态 State", state_html(charge.state)));
  body += "<h2>" + sdk::html_escape(view.provider.empty() ? "Provider" : view.provider) + "</h2>";
  Rows provider_rows;
  if (!view.trade_status.empty())
    provider_rows.emplace_back("交易状态 Trade status", view.trade_status);
  for (const auto& row : view.details)
    provider_rows.push_back(row);
  body += html_table(provider_rows);
  body += how_to_pay_html(charge, view, page_url);
  if (charge.state != sdk::ChargeState::pending) {
    body += html_paragraph("这笔支付" + state_text(charge.state) + ": nothing is left to do here.");
  } else if (view.actions.empty()) {
    body += html_paragraph("模拟器不提供操作 The simulator offers no action in this state.");
  } else {
    body += "<div class=\"actions\">";
    for (const auto action : view.actions)
      body += action_button(charge, action);
    body += "</div>";
  }
  return html_page(200, "沙箱收银台 Sandbox cashier", body);
}

sdk::HttpResponse result_page(const sdk::Charge& charge, sdk::CashierAction action,
                              const sdk::CashierResult& result,
                              const std::optional<sdk::Charge>& after) {
  const auto [sentence, word] = outcome(action, result.repeated);
  std::string body = "<p data-testid=\"result\" data-outcome=\"" + std::string(word) +
                     "\" class=\"result\">" + sdk::html_escape(sentence) + "</p>";
  Rows rows = {
      {"操作 Action", action_label(action)},
      {"支付 Charge", charge.id},
      {"商户订单号 Order number",
       result.out_trade_no.empty() ? charge.order_no : result.out_trade_no},
      {"金额 Amount", yuan(charge.amount)},
      {"交易状态 Trade status", result.trade_status},
  };
  if (!result.trade_no.empty()) rows.emplace_back("交易号 Provider trade number", result.trade_no);
  rows.emplace_back("重复 Repeated", result.repeated ? "是 yes (already in that state)" : "否 no");
  rows.emplace_back("通知 Notification", notification_text(result));
  body += html_table(
      rows, after ? html_row("payhost 状态 Charge state in payhost", state_html(after->state))
                  : html_row("payhost 状态 Charge state in payhost",
                             sdk::html_escape("暂时无法读取 could not be read")));
  if (const std::string back = return_url_for(charge, result); !back.empty()) {
    body += "<p><a data-testid=\"return\" id=\"return\" href=\"" + sdk::html_escape(back) +
            "\">返回商户 Return to the merchant</a></p>";
  }
  body += back_link(charge.id);
  return html_page(200, std::string("沙箱收银台 Sandbox cashier: ") + sdk::to_string(action), body);
}

sdk::HttpResponse refusal_page(const Refusal& refusal) {
  return html_page(refusal.status, "沙箱收银台 Sandbox cashier: " + refusal.title,
                   html_paragraph(refusal.detail));
}

sdk::HttpResponse action_refusal_page(const Refusal& refusal, sdk::CashierAction action,
                                      const std::string& charge_id) {
  std::string body = "<p data-testid=\"result\" data-outcome=\"refused\" class=\"result\">" +
                     sdk::html_escape(std::string(action_label(action)) + ": 未执行 refused") +
                     "</p>" + html_paragraph(refusal.detail);
  if (!charge_id.empty()) body += back_link(charge_id);
  return html_page(refusal.status, "沙箱收银台 Sandbox cashier: " + refusal.title, body);
}

}  // namespace payhost::cashier
