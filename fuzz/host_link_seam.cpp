// The libFuzzer build compiles only the host files its targets reach (fuzz/CMakeLists.txt).
// metrics_access.cpp, which the config reads /metrics settings through, also answers
// refused /metrics requests with the dispatcher's json_error: that answer is no part of
// parsing a config, so here it stops the run instead of pulling in the dispatcher and
// everything behind it. Reaching it would be a finding, not a silent stand-in.
#include <cstdio>
#include <cstdlib>

#include "http/dispatcher.hpp"

namespace payhost::host {

sdk::HttpResponse json_error(int /*status*/, const std::string& /*message*/) {
  std::fprintf(stderr, "host_link_seam: json_error reached from a fuzz target\n");
  std::abort();
}

}  // namespace payhost::host
