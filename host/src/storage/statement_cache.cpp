#include "storage/statement_cache.hpp"

namespace payhost::host {

namespace {
thread_local StatementCache* current = nullptr;
}

StatementCache* StatementCache::of(soci::session& sql) noexcept {
  return current && &current->session_ == &sql ? current : nullptr;
}

StatementCache::Lease::Lease(StatementCache& cache) noexcept : previous_(current) {
  current = &cache;
}

StatementCache::Lease::~Lease() {
  current = previous_;
}

}  // namespace payhost::host
