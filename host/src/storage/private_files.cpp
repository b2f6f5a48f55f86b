#include "storage/private_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "observability/logging.hpp"

namespace payhost::host {

namespace fs = std::filesystem;

namespace {

sdk::Error file_error(const std::string& what, const std::string& path) {
  return sdk::make_error(sdk::ErrorKind::internal, "data_file",
                         "cannot " + what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

sdk::Status tighten_if_present(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return {};
    return file_error("inspect", path);
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) == 0) return {};
  if (::chmod(path.c_str(), st.st_mode & S_IRWXU) != 0) return file_error("restrict", path);
  host_log().warn(path + " was readable or writable by other users; its mode is now 0" +
                  std::to_string((st.st_mode & S_IRWXU) >> 6) + "00");
  return {};
}

sdk::Status ensure_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return {};
  }
  if (errno != EEXIST) return file_error("create", path);
  return tighten_if_present(path);
}

sdk::Status ensure_private_directory(const std::string& path) {
  const fs::path dir(path);
  if (dir.empty()) return {};
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return {};
  if (auto st = ensure_private_directory(dir.parent_path().string()); !st) return st;
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) return file_error("create", path);
  return {};
}

}  // namespace payhost::host
