include(CMakeFindDependencyMacro)
find_dependency(OpenSSL 3.0)
find_dependency(nlohmann_json 3.11)
# payhost::sdk_conformance is GoogleTest checks; only its users need GoogleTest.
find_package(GTest QUIET)
# payhost::sdk_payhostd (the integration harness) talks HTTP with libcurl.
find_package(CURL QUIET)
find_package(Threads QUIET)
include("${CMAKE_CURRENT_LIST_DIR}/payhost_sdkTargets.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/payhost_plugin.cmake")
