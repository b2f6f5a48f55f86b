// One client connection of the listener: the framer of its requests and the writing of its
// answers in the order the requests came (HTTP/1.1 pipelining), whichever thread finishes
// them; after an answer that closes the connection, the orderly close.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "http/http_framing.hpp"

namespace Pistache::Tcp {
class Peer;
}

namespace payhost::host {

class ClientConnection : public std::enable_shared_from_this<ClientConnection> {
 public:
  ClientConnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer, RequestFramer::Limits limits);

  // Reactor thread only.
  RequestFramer& framer() { return framer_; }
  const std::string& client_ip() const { return client_ip_; }
  std::uint64_t open_slot() { return next_slot_++; }  // where the next request's answer goes
  std::uint64_t unanswered() const { return next_slot_.load() - written_.load(); }
  // An answer that closes the connection has its slot: bytes after it are read past.
  void stop_framing() { framing_stopped_ = true; }
  bool framing_stopped() const { return framing_stopped_; }
  void read_past(std::size_t bytes);
  // An interim answer ("100 Continue"), written only when no answer is outstanding.
  void send_interim(std::string wire);
  void disconnected();

  // Any thread: the answer for `slot`, written once every earlier slot's answer is.
  void answer(std::uint64_t slot, std::string wire, bool close);

 private:
  struct Answer {
    std::string wire;
    bool close = false;
  };
  void write(std::string wire, bool close);
  void mark_idle_if_answered();
  void answer_written_closing();
  void abort_reading();  // socket_mutex_ held

  std::weak_ptr<Pistache::Tcp::Peer> peer_;
  const int fd_;
  const std::string client_ip_;
  RequestFramer framer_;
  std::atomic<std::uint64_t> next_slot_{0};
  bool framing_stopped_ = false;
  std::atomic<std::size_t> read_past_{0};

  std::mutex order_mutex_;
  std::uint64_t next_write_ = 0;
  std::atomic<std::uint64_t> written_{0};
  std::map<std::uint64_t, Answer> waiting_;  // answers finished before an earlier one
  bool closed_ = false;

  // Held while the socket is used outside the reactor: Pistache closes the descriptor
  // right after disconnected(), and the number may then belong to another client.
  std::mutex socket_mutex_;
  bool disconnected_ = false;
  bool write_shut_ = false;
};

}  // namespace payhost::host
