// The one way fuzz targets report a broken invariant: a message, then abort(), which
// libFuzzer records as a crash (and the replay test as a failure).
#pragma once

#include <cstdio>
#include <cstdlib>

namespace payhost::fuzz {

inline void check(bool ok, const char* invariant) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", invariant);
  std::abort();
}

}  // namespace payhost::fuzz
