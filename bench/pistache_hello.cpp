// Bare Pistache hello-world: the baseline for payhostd's HTTP throughput. It applies the
// same keep-alive fix as payhostd (answer keep-alive unless the client asked to close), so
// the ratio measures payhost's own work, not Pistache's connection default.
#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <csignal>
#include <cstdio>
#include <string>

namespace Http = Pistache::Http;

class Hello final : public Http::Handler {
 public:
  HTTP_PROTOTYPE(Hello)
  void onRequest(const Http::Request& request, Http::ResponseWriter writer) override {
    auto connection = request.headers().tryGet<Http::Header::Connection>();
    const bool close = connection && connection->control() == Http::ConnectionControl::Close;
    writer.headers().remove<Http::Header::Connection>();
    writer.headers().add<Http::Header::Connection>(close ? Http::ConnectionControl::Close
                                                         : Http::ConnectionControl::KeepAlive);
    writer.send(Http::Code::Ok, "{\"hello\":\"world\"}", MIME(Application, Json));
  }
};

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::stoi(argv[1]) : 2;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  Http::Endpoint endpoint(Pistache::Address(Pistache::Ipv4::loopback(), Pistache::Port(0)));
  endpoint.init(
      Http::Endpoint::options().threads(threads).flags(Pistache::Tcp::Options::ReuseAddr));
  endpoint.setHandler(Http::make_handler<Hello>());
  endpoint.serveThreaded();
  std::printf("listening on 127.0.0.1:%u\n", static_cast<unsigned>(endpoint.getPort()));
  std::fflush(stdout);
  int sig = 0;
  sigwait(&signals, &sig);
  endpoint.shutdown();
  return 0;
}
