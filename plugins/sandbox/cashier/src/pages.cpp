#include "pages.hpp"

#include "html.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/money.hpp"
#include "web_url.hpp"

namespace payhost::cashier {
namespace {

std::string state_label(sdk::ChargeState state) {
  switch (state) {
    case sdk::ChargeState::pending:
      return "待支付 pending";
    case sdk::ChargeState::succeeded:
      return "已支付 succeeded";
    case sdk::ChargeState::failed:
      return "支付失败 failed";
    case sdk::ChargeState::closed:
      return "已关闭 closed";
  }
  return sdk::to_string(state);
}

std::string yuan(sdk::Fen amount) {
  return "¥" + sdk::format_yuan(amount);
}

std::string action_path(const sdk::Charge& charge, sdk::CashierAction action) {
  return std::string(sdk::kCashierPathPrefix) + sdk::url_encode(charge.id) + "/" +
         sdk::to_string(action);
}

std::string action_button(const sdk::Charge& charge, sdk::CashierAction action) {
  std::string label = action_label(action);
  if (action == sdk::CashierAction::pay) label += " " + yuan(charge.amount);
  return "<form method=\"post\" action=\"" + sdk::html_escape(action_path(charge, action)) +
         "\"><button type=\"submit\" class=\"" + sdk::to_string(action) + "\">" +
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

}  // namespace

const char* action_label(sdk::CashierAction action) {
  switch (action) {
    case sdk::CashierAction::pay:
      return "支付 Pay";
    case sdk::CashierAction::fail:
      return "支付失败 Fail the payment";
    case sdk::CashierAction::close:
      return "关闭交易 Close the trade";
  }
  return "?";
}

sdk::HttpResponse charge_page(const sdk::Charge& charge, const sdk::CashierView& view) {
  std::string body = html_table({
      {"支付 Charge", charge.id},
      {"商户订单号 Order number", charge.order_no},
      {"渠道 Channel", charge.channel},
      {"金额 Amount", yuan(charge.amount)},
      {"商品 Subject", charge.subject},
      {"状态 State", state_label(charge.state)},
  });
  body += "<h2>" + sdk::html_escape(view.provider.empty() ? "Provider" : view.provider) + "</h2>";
  Rows provider_rows;
  if (!view.trade_status.empty())
    provider_rows.emplace_back("交易状态 Trade status", view.trade_status);
  for (const auto& row : view.details)
    provider_rows.push_back(row);
  body += html_table(provider_rows);
  if (!view.qr_text.empty()) {
    // Shown as text for now; drawing the code is a later change.
    body += "<p>二维码内容 QR code text:</p><pre id=\"qr\">" + sdk::html_escape(view.qr_text) +
            "</pre>";
  }
  if (charge.state != sdk::ChargeState::pending) {
    body += html_paragraph("这笔支付已经" + state_label(charge.state) +
                           ": nothing is left to do here.");
  } else if (view.actions.empty()) {
    body += html_paragraph("模拟器不提供操作 The simulator offers no action in this state.");
  } else {
    body += "<p>";
    for (const auto action : view.actions)
      body += action_button(charge, action);
    body += "</p>";
  }
  return html_page(200, "沙箱收银台 Sandbox cashier", body);
}

sdk::HttpResponse result_page(const sdk::Charge& charge, sdk::CashierAction action,
                              const sdk::CashierResult& result) {
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
  std::string body = html_table(rows);
  if (is_absolute_web_url(result.return_url)) {
    body += "<p><a id=\"return\" href=\"" + sdk::html_escape(result.return_url) +
            "\">返回商户 Return to the merchant</a></p>";
  }
  body += "<p><a href=\"" +
          sdk::html_escape(std::string(sdk::kCashierPathPrefix) + sdk::url_encode(charge.id)) +
          "\">回到收银台 Back to the cashier</a></p>";
  return html_page(200, std::string("沙箱收银台 Sandbox cashier: ") + sdk::to_string(action), body);
}

sdk::HttpResponse refusal_page(const Refusal& refusal) {
  return html_page(refusal.status, "沙箱收银台 Sandbox cashier: " + refusal.title,
                   html_paragraph(refusal.detail));
}

}  // namespace payhost::cashier
