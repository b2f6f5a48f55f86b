#include "payhost/sdk/plugin.hpp"

#include "barrier.hpp"

namespace payhost::sdk {

Status Plugin::validate(const Options& options) const noexcept {
  return detail::barrier<Status>("validate", [&] { return do_validate(options); });
}

Status Plugin::start(const Options& options, Host& host) noexcept {
  return detail::barrier<Status>("start", [&] { return do_start(options, host); });
}

void Plugin::stop() noexcept {
  try {
    do_stop();
  } catch (...) {  // nothing useful to do at exit
  }
}

}  // namespace payhost::sdk
