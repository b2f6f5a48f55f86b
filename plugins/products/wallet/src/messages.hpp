// Every text the wallet answers with. ThinkSNS+ clients show these to users and some
// match on them, so they are contracts: change none without checking the clients.
#pragma once

namespace payhost::wallet::msg {

// Envelopes.
inline constexpr const char* kValidationFailed = "提交的信息验证错误";
inline constexpr const char* kInvalidParameters = "请求参数不合法";
inline constexpr const char* kUnauthenticated = "Unauthenticated.";
inline constexpr const char* kAdminOnly = "你没有权限执行该操作";
inline constexpr const char* kNotFound = "内容不存在";
inline constexpr const char* kTooManyAttempts = "Too Many Attempts.";
inline constexpr const char* kInternalError = "服务器内部错误,请稍后重试";

// POST /wallet/recharge (ThinkSNS+ StoreWalletRecharge).
inline constexpr const char* kRechargeTypeRequired = "请选择充值方式";
inline constexpr const char* kRechargeTypeInvalid = "选择的充值方式错误";
inline constexpr const char* kRechargeAmountRequired = "请选择需要充值金额";
inline constexpr const char* kRechargeAmountInvalid = "充值金额不合法";
inline constexpr const char* kRechargeAmountTooLarge = "充值金额超出最大充值限制";
inline constexpr const char* kExtraMissingSuffix = " 必须存在";  // "extra.success_url 必须存在"
inline constexpr const char* kChannelFailed = "支付渠道请求失败,请稍后重试";
inline constexpr const char* kChannelUnavailable = "支付渠道暂时无法连接,请稍后重试";
inline constexpr const char* kRechargeSubject = "余额充值";
inline constexpr const char* kRechargeBody = "账户余额充值";

// GET /wallet/charges/{id}.
inline constexpr const char* kChargeForbidden = "当前用户无权限查询该订单";
inline constexpr const char* kRetrieveNotPayment = "取回订单非支付类型凭据";

// POST /wallet/cashes (ThinkSNS+ StoreUserWallerCashPost).
inline constexpr const char* kCashValueRequired = "请输入提现金额";
inline constexpr const char* kCashValueNotInteger = "发送的数据错误";
inline constexpr const char* kCashValueInvalid = "输入的提现金额不合法";
inline constexpr const char* kCashValueBelowMinimum = "输入的提现金额不足最低提现金额要求";
inline constexpr const char* kCashValueOverBalance = "提现金额超出账户余额";
inline constexpr const char* kCashTypeRequired = "请选择提现方式";
inline constexpr const char* kCashTypeInvalid = "你选择的提现方式不支持";
inline constexpr const char* kCashAccountRequired = "请输入你的提现账户";
inline constexpr const char* kCashAccountTooLong = "提现账户不能超过255个字符";
inline constexpr const char* kCashAccountInvalid = "提现账户不能包含控制字符";
inline constexpr const char* kCashApplied = "申请提现成功";
inline constexpr const char* kCashSubject = "账户提现";
inline constexpr const char* kCashBody = "账户余额提现";
inline constexpr const char* kCashRefundSubject = "提现退回";
inline constexpr const char* kCashRefundBody = "提现申请被驳回,余额退回";

// Admin decisions.
inline constexpr const char* kRemarkRequired = "请输入备注信息";
inline constexpr const char* kDecisionDone = "操作成功";
inline constexpr const char* kAlreadyDecided = "该提现申请已处理,不能重复操作";

}  // namespace payhost::wallet::msg
