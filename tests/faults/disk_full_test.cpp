// payhostd on SQLite when its disk fills: data_dir is a small tmpfs, and the test fills it.
// Writes that no longer fit are refused with the API's error, /readyz says not ready,
// a notification that cannot be recorded is not acknowledged (the provider repeats it), and
// nothing is half-written: every charge answered 201 is stored, no refused one is. Once
// space returns, service resumes without a restart, every repeated notification settles
// exactly once, and the files pass SQLite's check when the host starts again on them.
//
// Mounting a tmpfs needs root; as another user the test runs itself again in a user and
// mount namespace of its own (unshare -rm), where it is root.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fault_support.hpp"
#include "support/testchannel_notification.hpp"

namespace payhost::faults {
namespace {

namespace fs = std::filesystem;

class SmallDisk {
 public:
  explicit SmallDisk(const std::string& size) {
    char pattern[] = "/tmp/payhost-disk-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    const std::string options = "size=" + size + ",mode=0700";
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", 0, options.c_str()) != 0) {
      throw std::runtime_error("cannot mount a tmpfs on " + dir_ + ": " + std::strerror(errno));
    }
  }
  ~SmallDisk() {
    ::umount2(dir_.c_str(), MNT_DETACH);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  const std::string& dir() const { return dir_; }

  // Writes a file until the disk refuses more; the bytes it took.
  long long fill() {
    const std::string path = dir_ + "/filler";
    FILE* f = std::fopen(path.c_str(), "ab");
    if (f == nullptr) return 0;
    std::vector<char> block(4096, 'x');
    long long written = 0;
    for (;;) {
      const std::size_t n = std::fwrite(block.data(), 1, block.size(), f);
      written += static_cast<long long>(n);
      if (n < block.size() || std::fflush(f) != 0) break;
    }
    std::fclose(f);
    return written;
  }
  void free_space() { fs::remove(dir_ + "/filler"); }

 private:
  std::string dir_;
};

std::string config(const std::string& data_dir) {
  return "livemode: false\n"
         "app_id: app_5anXP4ezfXvL8m5e\n"
         "data_dir: \"" +
         data_dir +
         "\"\n"
         "plugin_dir: \"@PLUGIN_DIR@\"\n"
         "database:\n  url: \"sqlite://payhost.db\"\n"
         "jobs: {janitor: false}\n"
         "plugins:\n"
         "  testchannel:\n    path: \"@TEST_PLUGIN_DIR@/testchannel.so\"\n"
         "    channels: [testpay]\n    options: {}\n"
         "  testproduct:\n    path: \"@TEST_PLUGIN_DIR@/testproduct.so\"\n    options: {}\n";
}

testing::HttpResult create(const Payhostd& host, long long amount) {
  return host.post_json(
      "/test/charges",
      Json{{"channel", "testpay"}, {"amount", amount}, {"extra", Json::object()}}.dump());
}

testing::HttpResult notify(const Payhostd& host, const Json& c) {
  testing::TestchannelNotice n{c["order_no"], c["amount"].get<long long>()};
  n.transaction_no = "TD" + c["order_no"].get<std::string>();
  return host.post_json("/notify/testchannel", testing::testchannel_notification(n));
}

TEST(DiskFull, CleanErrorsNothingHalfWrittenAndRecoveryWhenSpaceReturns) {
  SmallDisk disk("6m");
  const std::string url = "sqlite://" + disk.dir() + "/payhost.db";
  std::vector<Json> stored;
  long long refused_creates = 0;
  {
    Payhostd host(config(disk.dir()));
    for (int i = 0; i < 20; ++i) {
      const auto r = create(host, 100 + i);
      ASSERT_EQ(r.status, 201) << r.body;
      stored.push_back(r.json());
    }
    for (int i = 0; i < 5; ++i)
      ASSERT_EQ(notify(host, stored[i]).status, 200);

    ASSERT_GT(disk.fill(), 0);
    // The log SQLite reuses may still take a few writes; then they are refused.
    testing::HttpResult refused;
    for (int i = 0; i < 5000 && refused.status == 0; ++i) {
      const auto r = create(host, 1000 + i);
      if (r.status == 201) {
        stored.push_back(r.json());
      } else {
        refused = r;
      }
    }
    ASSERT_GE(refused.status, 500) << "writes never failed on a full disk";
    ++refused_creates;
    Json error;
    ASSERT_NO_THROW(error = refused.json()) << refused.body;
    EXPECT_TRUE(error["error"]["message"].is_string()) << refused.body;
    EXPECT_EQ(refused.body.find("SQLITE"), std::string::npos) << refused.body;
    EXPECT_EQ(refused.body.find("disk"), std::string::npos) << refused.body;
    EXPECT_TRUE(eventually([&] { return host.get("/readyz").status == 503; }, 10)) << host.output();
    for (int i = 0; i < 3; ++i) {
      const auto again = create(host, 50);
      if (again.status == 201) {
        stored.push_back(again.json());
      } else {
        ++refused_creates;
        EXPECT_GE(again.status, 500) << again.body;
      }
    }
    // Notifications that cannot be recorded are not acknowledged.
    int unacknowledged = 0;
    for (std::size_t i = 5; i < 10; ++i) {
      if (notify(host, stored[i]).status != 200) ++unacknowledged;
    }
    EXPECT_GT(unacknowledged, 0);
    EXPECT_EQ(host.get("/healthz").status, 200);  // alive, only not ready

    disk.free_space();
    EXPECT_TRUE(eventually([&] { return host.get("/readyz").status == 200; }, 15)) << host.output();
    const auto after = create(host, 777);
    ASSERT_EQ(after.status, 201) << after.body;
    stored.push_back(after.json());
    // The provider repeats every notification: each charge settles once.
    for (std::size_t i = 0; i < 10; ++i)
      EXPECT_EQ(notify(host, stored[i]).status, 200) << i;
    for (std::size_t i = 0; i < 10; ++i)
      EXPECT_EQ(notify(host, stored[i]).status, 200) << i;

    EXPECT_EQ(scalar_at(url, disk.dir(), "SELECT count(*) FROM charges"),
              static_cast<long long>(stored.size()));
    for (const auto& c : stored) {
      EXPECT_EQ(scalar_at(url, disk.dir(), "SELECT count(*) FROM charges WHERE id = :p", c["id"]),
                1)
          << c["id"];
    }
    EXPECT_EQ(scalar_at(url, disk.dir(), "SELECT count(*) FROM charges WHERE state = 'succeeded'"),
              10);
    EXPECT_EQ(
        scalar_at(url, disk.dir(), "SELECT count(*) FROM events WHERE type = 'charge.succeeded'"),
        10);
    EXPECT_EQ(scalar_at(url, disk.dir(),
                        "SELECT count(*) FROM testproduct_orders WHERE succeeded_calls = 1"),
              10);
    EXPECT_EQ(scalar_at(url, disk.dir(),
                        "SELECT count(*) FROM testproduct_orders WHERE succeeded_calls > 1"),
              0);
    std::cout << stored.size() << " charges stored, " << refused_creates
              << " creates refused while the disk was full, " << unacknowledged
              << " of 5 notifications not acknowledged\n";
  }
  // Start-up runs SQLite's quick_check over the files the full disk left.
  Payhostd again(config(disk.dir()));
  EXPECT_EQ(again.get("/readyz").status, 200);
  EXPECT_EQ(scalar_at(url, disk.dir(), "SELECT count(*) FROM charges"),
            static_cast<long long>(stored.size()));
}

}  // namespace
}  // namespace payhost::faults

int main(int argc, char** argv) {
  if (::geteuid() != 0 && std::getenv("PAYHOST_DISK_FULL_UNSHARED") == nullptr) {
    ::setenv("PAYHOST_DISK_FULL_UNSHARED", "1", 1);
    std::vector<char*> args = {const_cast<char*>("unshare"), const_cast<char*>("--user"),
                               const_cast<char*>("--map-root-user"), const_cast<char*>("--mount"),
                               argv[0]};
    for (int i = 1; i < argc; ++i)
      args.push_back(argv[i]);
    args.push_back(nullptr);
    ::execvp("unshare", args.data());
    std::perror("cannot run unshare (util-linux) to mount a tmpfs as another user than root");
    return 1;
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
