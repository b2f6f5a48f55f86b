// Idempotency-Key: the first response to (caller, route, key) is stored and replayed for
// retries with the same request; the same key with a different request is refused.
#pragma once

#include <string>

#include "payhost/sdk/result.hpp"
#include "storage/database.hpp"

namespace payhost::host {

class IdempotencyStore {
 public:
  explicit IdempotencyStore(Db& db) : db_(db) {}

  enum class Decision { proceed, replay, mismatch, in_progress };
  struct Begin {
    Decision decision = Decision::proceed;
    int status = 0;
    std::string content_type;
    std::string body;
  };

  // Claims the key for this request, or says what to do instead.
  sdk::Result<Begin> begin(const std::string& scope, const std::string& key,
                           const std::string& request_hash, std::int64_t now);
  // Stores the response; a 5xx releases the key so the client can retry for real.
  void finish(const std::string& scope, const std::string& key, int status,
              const std::string& content_type, const std::string& body);

 private:
  Db& db_;
};

}  // namespace payhost::host
