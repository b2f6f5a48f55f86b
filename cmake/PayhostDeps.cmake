# Third-party libraries, all from Debian 12 packages.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3.0 REQUIRED)
find_package(CURL REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 CONFIG QUIET)
find_package(Boost 1.74 REQUIRED COMPONENTS filesystem)
find_package(PostgreSQL REQUIRED)
if(PAYHOST_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
pkg_check_modules(PISTACHE REQUIRED IMPORTED_TARGET libpistache)

# SOCI 4.0.3 ships no CMake package: find it by hand.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIBRARY soci_core REQUIRED)
find_library(SOCI_SQLITE3_LIBRARY soci_sqlite3 REQUIRED)
find_library(SOCI_POSTGRESQL_LIBRARY soci_postgresql REQUIRED)
add_library(payhost_soci_core INTERFACE)
target_include_directories(payhost_soci_core SYSTEM INTERFACE ${SOCI_INCLUDE_DIR})
target_link_libraries(payhost_soci_core INTERFACE ${SOCI_CORE_LIBRARY})
add_library(payhost_soci_backends INTERFACE)
# soci/postgresql headers include libpq-fe.h from /usr/include/postgresql.
target_include_directories(payhost_soci_backends SYSTEM INTERFACE ${PostgreSQL_INCLUDE_DIRS})
target_link_libraries(payhost_soci_backends INTERFACE payhost_soci_core ${SOCI_SQLITE3_LIBRARY}
                      ${SOCI_POSTGRESQL_LIBRARY} ${PostgreSQL_LIBRARIES})
