#include "pki_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "random_ids.hpp"

namespace payhost::sandbox_unionpay {
namespace {

sdk::Error file_error(const std::string& what, const std::string& path, int error) {
  return sdk::make_error(sdk::ErrorKind::internal, "sandbox_files",
                         what + " " + path + ": " + std::strerror(error));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

}  // namespace

sdk::Status ensure_directory(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0) return {};
  const int error = errno;
  struct stat info {};
  if (error == EEXIST && ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) return {};
  return file_error("cannot create the directory", path, error);
}

sdk::Result<std::optional<std::string>> read_file_if_exists(const std::string& path,
                                                            std::size_t max_bytes) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return file_error("cannot open", path, errno);
  }
  std::string out;
  char buffer[8192];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return file_error("cannot read", path, errno);
    }
    if (n == 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
    if (out.size() > max_bytes) {
      return sdk::make_error(sdk::ErrorKind::internal, "sandbox_files",
                             path + " is larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  return std::optional<std::string>(std::move(out));
}

sdk::Result<std::string> create_once(const std::string& path, const std::string& bytes,
                                     std::size_t max_bytes) {
  const std::string temporary = path + ".tmp-" + random_digits(12);
  {
    Fd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0) return file_error("cannot create", temporary, errno);
    std::size_t written = 0;
    while (written < bytes.size()) {
      const ssize_t n = ::write(fd.get(), bytes.data() + written, bytes.size() - written);
      if (n < 0) {
        if (errno == EINTR) continue;
        const int error = errno;
        ::unlink(temporary.c_str());
        return file_error("cannot write", temporary, error);
      }
      written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0 || ::close(fd.release()) != 0) {
      const int error = errno;
      ::unlink(temporary.c_str());
      return file_error("cannot flush", temporary, error);
    }
  }
  const int linked = ::link(temporary.c_str(), path.c_str());
  const int link_error = errno;
  ::unlink(temporary.c_str());
  if (linked == 0) return bytes;
  if (link_error != EEXIST) return file_error("cannot link", path, link_error);
  // Another host linked its version first: everyone uses that one.
  auto winner = read_file_if_exists(path, max_bytes);
  if (!winner.ok()) return winner.error();
  if (!winner->has_value()) return file_error("vanished after creation:", path, ENOENT);
  return std::move(**winner);
}

}  // namespace payhost::sandbox_unionpay
