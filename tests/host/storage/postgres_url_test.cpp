// database.url forms for PostgreSQL and the connection string payhostd hands libpq.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "storage/postgres_url.hpp"

namespace payhost::host {
namespace {

const std::string kDefaults =
    " application_name='payhostd' connect_timeout='10' keepalives_idle='30'"
    " keepalives_interval='10' keepalives_count='3'";

std::string conninfo(const std::string& url) {
  auto converted = postgres_conninfo(url);
  EXPECT_TRUE(converted.ok()) << url << ": " << (converted.ok() ? "" : converted.error().message);
  return converted.ok() ? *converted : "";
}

std::string error_of(const std::string& url) {
  auto converted = postgres_conninfo(url);
  EXPECT_FALSE(converted.ok()) << url << " should have been refused";
  return converted.ok() ? "" : converted.error().message;
}

TEST(PostgresUrl, ThePlainDocumentedFormBecomesKeywords) {
  EXPECT_EQ(
      conninfo("postgresql://pay:secret@db.internal:5433/payhost"),
      "user='pay' password='secret' host='db.internal' port='5433' dbname='payhost'" + kDefaults);
}

TEST(PostgresUrl, BothSchemesWithAndWithoutPortAndParameters) {
  const std::string plain = conninfo("postgres://pay:secret@db/payhost");
  EXPECT_EQ(plain, "user='pay' password='secret' host='db' dbname='payhost'" + kDefaults);
  EXPECT_EQ(conninfo("postgresql://pay:secret@db/payhost"), plain);
  EXPECT_EQ(conninfo("postgres://pay@db:6432/payhost?sslmode=verify-full&connect_timeout=3"),
            "user='pay' host='db' port='6432' dbname='payhost' sslmode='verify-full' "
            "connect_timeout='3' application_name='payhostd' keepalives_idle='30' "
            "keepalives_interval='10' keepalives_count='3'");
  EXPECT_EQ(conninfo("postgresql:///payhost"), "dbname='payhost'" + kDefaults);
  EXPECT_EQ(conninfo("postgresql://db"), "host='db'" + kDefaults);
  EXPECT_EQ(conninfo("postgresql://db/payhost?"), "host='db' dbname='payhost'" + kDefaults);
}

TEST(PostgresUrl, PercentEncodingIsDecodedAndQuotedForLibpq) {
  // '@', ':', '/', a quote, a backslash and a space in the password.
  EXPECT_EQ(
      conninfo("postgresql://p%61y:a%40b%3Ac%2Fd%27e%5Cf%20g@db/pay%20host"),
      "user='pay' password=\"'a@b:c/d\\'e\\\\f g'\" host='db' dbname=\"'pay host'\"" + kDefaults);
  EXPECT_EQ(conninfo("postgresql://pay@db/payhost?options=-csearch_path%3Dtenant_1"),
            "user='pay' host='db' dbname='payhost' options='-csearch_path=tenant_1'" + kDefaults);
}

TEST(PostgresUrl, Ipv6SocketDirectoriesAndSeveralHosts) {
  EXPECT_EQ(conninfo("postgresql://[::1]:5432/payhost"),
            "host='::1' port='5432' dbname='payhost'" + kDefaults);
  EXPECT_EQ(conninfo("postgresql://%2Fvar%2Frun%2Fpostgresql/payhost"),
            "host='/var/run/postgresql' dbname='payhost'" + kDefaults);
  EXPECT_EQ(
      conninfo("postgresql://a:5432,b:5433/payhost?target_session_attrs=read-write"),
      "host='a,b' port='5432,5433' dbname='payhost' target_session_attrs='read-write'" + kDefaults);
}

TEST(PostgresUrl, BadUrlsAreRefusedWithoutRepeatingThePassword) {
  EXPECT_NE(error_of("mysql://pay:hunter2@db/payhost").find("expected postgresql://"),
            std::string::npos);
  for (const std::string url :
       {"postgresql://pay:hunter2@db:port/payhost", "postgresql://pay:hunter2@db:70000/payhost",
        "postgresql://pay:hunter2@db:/payhost", "postgresql://pay:hunt%zzer2@db/payhost",
        "postgresql://pay:hunter2@db/payhost?sslmode", "postgresql://pay:hunter2@db/payhost?x=1",
        "postgresql://pay:hunter 2@db/payhost", "postgresql://pay:hunter2@[::1/payhost",
        "postgresql://pay:hunter%002@db/payhost"}) {
    const std::string message = error_of(url);
    EXPECT_FALSE(message.empty()) << url;
    EXPECT_EQ(message.find("hunter"), std::string::npos) << message;
  }
  EXPECT_NE(error_of("postgresql://db/payhost?x=1").find("invalid connection option \"x\""),
            std::string::npos);
}

TEST(PostgresUrl, ConfigRefusesABadUrlNamingFileAndKey) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("payhost-pgurl-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "payhost.yaml").string();
  std::ofstream(path) << "database:\n  url: \"postgresql://pay:hunter2@db:99999/payhost\"\n";
  auto config = load_config(path);
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(config.ok());
  const std::string& message = config.error().message;
  EXPECT_EQ(message.rfind(path + ": database.url: ", 0), 0u) << message;
  EXPECT_NE(message.find("postgresql://USER:PASSWORD@HOST:PORT/DATABASE"), std::string::npos);
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

}  // namespace
}  // namespace payhost::host
