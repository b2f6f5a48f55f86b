#include "http/http_connection.hpp"

#include <sys/socket.h>

#include <optional>

#include <pistache/async.h>
#include <pistache/peer.h>

namespace payhost::host {

namespace {
// After an answer that closes, what the client still sends is read and dropped, so that
// closing does not reset the connection under an answer it has not read yet (RFC 9112
// §9.6); past this much, reading stops and the connection ends.
constexpr std::size_t kMaxReadPastBytes = 1 << 20;
}  // namespace

ClientConnection::ClientConnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer,
                                   RequestFramer::Limits limits)
    : peer_(peer), fd_(peer->fd()), client_ip_(peer->address().host()), framer_(limits) {}

void ClientConnection::disconnected() {
  std::lock_guard lock(socket_mutex_);
  disconnected_ = true;
}

void ClientConnection::read_past(std::size_t bytes) {
  read_past_ += bytes;
  if (read_past_ <= kMaxReadPastBytes) return;
  std::lock_guard lock(socket_mutex_);
  // Only once the answer is out: ending the reads makes Pistache close the socket.
  if (write_shut_ && !disconnected_) abort_reading();
}

// The client is still sending past the bound: the close that follows resets the
// connection, so its sends fail at once instead of waiting on a window that never opens.
void ClientConnection::abort_reading() {
  const linger reset{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  ::shutdown(fd_, SHUT_RD);
}

void ClientConnection::send_interim(std::string wire) {
  if (unanswered() != 0) return;
  std::lock_guard lock(order_mutex_);
  if (!closed_) write(std::move(wire), false);
}

void ClientConnection::answer(std::uint64_t slot, std::string wire, bool close) {
  std::lock_guard lock(order_mutex_);
  if (closed_) return;
  if (slot != next_write_) {
    waiting_.emplace(slot, Answer{std::move(wire), close});
    return;
  }
  Answer current{std::move(wire), close};
  for (;;) {
    ++next_write_;
    written_.store(next_write_);
    write(std::move(current.wire), current.close);
    if (current.close) {
      closed_ = true;
      waiting_.clear();
      return;
    }
    auto it = waiting_.find(next_write_);
    if (it == waiting_.end()) break;
    current = std::move(it->second);
    waiting_.erase(it);
  }
  mark_idle_if_answered();
}

// Pistache's idle-peer timer gives an idle connection the keep-alive timeout instead of the
// request timeout. Its flag is written from whichever thread answers, as Pistache's own
// ResponseWriter does.
void ClientConnection::mark_idle_if_answered() {
  if (written_.load() != next_slot_.load()) return;
  if (auto peer = peer_.lock()) peer->setIdle(true);
}

void ClientConnection::write(std::string wire, bool close) {
  std::optional<Pistache::Async::Promise<ssize_t>> sent;
  {
    std::lock_guard lock(socket_mutex_);
    if (disconnected_) return;
    auto peer = peer_.lock();
    if (!peer) return;
    const std::size_t size = wire.size();
    sent.emplace(peer->send(Pistache::RawBuffer(std::move(wire), size)));
  }
  if (!close) return;
  // The promise settles on the reactor thread once the kernel has every byte, or here at
  // once if that already happened.
  sent->then([self = shared_from_this()](ssize_t) { self->answer_written_closing(); },
             Pistache::Async::IgnoreException);
}

void ClientConnection::answer_written_closing() {
  std::lock_guard lock(socket_mutex_);
  if (disconnected_ || write_shut_ || peer_.expired()) return;
  write_shut_ = true;
  ::shutdown(fd_, SHUT_WR);
  if (read_past_ > kMaxReadPastBytes) abort_reading();
}

}  // namespace payhost::host
