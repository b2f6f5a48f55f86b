#include "conformance/session.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <ctime>

namespace payhost::sdk::testing::conformance {

namespace {

std::string lower(std::string text) {
  for (auto& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string padded(int n, std::size_t width) {
  std::string digits = std::to_string(n);
  return std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

// The host's form for order and refund numbers: UTC yyyyMMddHHmmss, then 10 letters/digits.
std::string utc_stamp(std::int64_t now) {
  const std::time_t t = static_cast<std::time_t>(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[16];
  std::strftime(out, sizeof out, "%Y%m%d%H%M%S", &tm);
  return out;
}

}  // namespace

RefundRequest Session::full_refund_of(const CreateRequest& request) const {
  RefundRequest refund;
  refund.trade = trade_of(request);
  refund.trade.transaction_no = paid(request).transaction_no;
  refund.refund_no = utc_stamp(host.time.now()) + "R" + request.order_no.substr(15);
  refund.amount = request.amount;
  refund.reason = "conformance";
  refund.created = request.created;
  return refund;
}

bool refused_cleanly(const Error& error) {
  return error.kind != ErrorKind::internal;
}

Session::Session(const ChannelUnderTest& subject, const std::string& suite_name)
    : subject_(subject),
      plugin_name_(subject.plugin_name.empty() ? lower(suite_name) : subject.plugin_name) {}

Session::~Session() {
  if (started_) plugin_->stop();
  plugin_.reset();
}

bool Session::start() {
  if (!subject_.make_plugin || !subject_.make_provider) {
    ADD_FAILURE() << "ChannelUnderTest needs make_plugin and make_provider";
    return false;
  }
  provider_ = subject_.make_provider();
  plugin_ = subject_.make_plugin();
  if (!provider_ || !plugin_) {
    ADD_FAILURE() << "make_plugin or make_provider returned nothing";
    return false;
  }
  provider_->prepare(host);
  host.provider.answer_with([this](const OutboundRequest& request) -> Result<OutboundResponse> {
    std::lock_guard lock(provider_mutex_);
    return provider_->answer(request);
  });

  auto validated = validate_options(plugin_->option_specs(), subject_.options);
  if (!validated) {
    ADD_FAILURE() << "the subject's options do not pass the plugin's table: "
                  << validated.error().param << ": " << validated.error().message;
    return false;
  }
  options_ = std::move(*validated);
  if (auto checked = plugin_->validate(options_); !checked) {
    ADD_FAILURE() << "the plugin's validate() refuses the subject's options: "
                  << checked.error().message;
    return false;
  }
  channels_ = plugin_->channel_specs();
  std::vector<std::string> names;
  for (const auto& c : channels_)
    names.push_back(c.name);
  host.charge_core.enable(names);
  if (auto started = plugin_->start(options_, host); !started) {
    ADD_FAILURE() << "start() failed: " << started.error().message << "\n" << host.log.dump();
    return false;
  }
  started_ = true;
  return true;
}

CreateRequest Session::request_for(const ChannelSpec& channel) {
  const int n = ++next_;
  CreateRequest r;
  r.created = host.time.now();
  r.channel = channel.name;
  r.charge_id = "ch_" + padded(n, 24);
  r.order_no = utc_stamp(r.created) + padded(n, 10);
  r.amount = 1234;
  r.subject = "Conformance";
  r.body = "A conformance test charge";
  r.client_ip = "127.0.0.1";
  if (auto it = subject_.extra.find(channel.name); it != subject_.extra.end()) r.extra = it->second;
  r.time_expire = r.created + channel.default_expiry_seconds;
  r.notify_url = host.notify_url(plugin_name_);
  return r;
}

PaidTrade Session::paid(const CreateRequest& request) const {
  PaidTrade t;
  t.channel = request.channel;
  t.order_no = request.order_no;
  t.transaction_no = "4" + request.order_no.substr(14) + padded(0, 10);
  t.amount = request.amount;
  t.app_id = plugin_->merchant_app_id();
  t.time_paid = host.time.now();
  return t;
}

TradeRef Session::trade_of(const CreateRequest& request) const {
  TradeRef t;
  t.channel = request.channel;
  t.charge_id = request.charge_id;
  t.order_no = request.order_no;
  t.amount = request.amount;
  t.created = request.created;
  t.time_expire = request.time_expire;
  return t;
}

bool Session::create(const ChannelSpec& channel, CreateRequest& request) {
  request = request_for(channel);
  auto created = plugin_->create(request);
  if (!created) {
    ADD_FAILURE() << channel.name << ": create failed: " << created.error().code << ": "
                  << created.error().message << "\n"
                  << host.log.dump();
    return false;
  }
  return true;
}

bool Session::create_calls_provider(const ChannelSpec& channel) {
  const auto before = host.provider.sent().size();
  CreateRequest r;
  create(channel, r);
  return host.provider.sent().size() > before;
}

}  // namespace payhost::sdk::testing::conformance
