// Bare Pistache hello-world: the baseline for payhostd's HTTP throughput. It applies the
// same keep-alive fix as payhostd (answer keep-alive unless the client asked to close), so
// the ratio measures payhost's own work, not Pistache's connection default.
//
//   pistache_hello [THREADS [WORKERS]]
//
// THREADS reactor threads (default 2). With WORKERS > 0 every request is handed to a pool
// of WORKERS threads that answers it, the way payhostd hands every request to its worker
// pool (host/src/threads/worker_pool.cpp: a mutex, a condition variable, a deque of std::function,
// the ResponseWriter moved into the job). That variant is a diagnostic, not a baseline: it
// measures what the hop between threads costs with no other work.
#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace Http = Pistache::Http;

namespace {

class Pool {
 public:
  explicit Pool(int threads) {
    for (int i = 0; i < threads; ++i) {
      threads_.emplace_back([this] {
        for (;;) {
          std::function<void()> task;
          {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;
            task = std::move(queue_.front());
            queue_.pop_front();
          }
          task();
        }
      });
    }
  }
  ~Pool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_)
      t.join();
  }
  void submit(std::function<void()> task) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(task));
    }
    ready_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
};

void answer(bool close, Http::ResponseWriter& writer) {
  writer.headers().remove<Http::Header::Connection>();
  writer.headers().add<Http::Header::Connection>(close ? Http::ConnectionControl::Close
                                                       : Http::ConnectionControl::KeepAlive);
  writer.send(Http::Code::Ok, "{\"hello\":\"world\"}", MIME(Application, Json));
}

class Hello final : public Http::Handler {
 public:
  HTTP_PROTOTYPE(Hello)
  Hello() = default;
  explicit Hello(Pool* pool) : pool_(pool) {}

  void onRequest(const Http::Request& request, Http::ResponseWriter writer) override {
    auto connection = request.headers().tryGet<Http::Header::Connection>();
    const bool close = connection && connection->control() == Http::ConnectionControl::Close;
    if (!pool_) {
      answer(close, writer);
      return;
    }
    auto moved = std::make_shared<Http::ResponseWriter>(std::move(writer));
    pool_->submit([close, moved] { answer(close, *moved); });
  }

 private:
  Pool* pool_ = nullptr;
};

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::stoi(argv[1]) : 2;
  const int workers = argc > 2 ? std::stoi(argv[2]) : 0;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::unique_ptr<Pool> pool;
  if (workers > 0) pool = std::make_unique<Pool>(workers);
  Http::Endpoint endpoint(Pistache::Address(Pistache::Ipv4::loopback(), Pistache::Port(0)));
  endpoint.init(
      Http::Endpoint::options().threads(threads).flags(Pistache::Tcp::Options::ReuseAddr));
  endpoint.setHandler(std::make_shared<Hello>(pool.get()));
  endpoint.serveThreaded();
  std::printf("listening on 127.0.0.1:%u\n", static_cast<unsigned>(endpoint.getPort()));
  std::fflush(stdout);
  int sig = 0;
  sigwait(&signals, &sig);
  endpoint.shutdown();
  return 0;
}
