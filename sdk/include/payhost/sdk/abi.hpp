// The plugin handshake. Each plugin library exports one descriptor with C layout; the
// host reads and checks it before touching any C++ object from the library.
//
// Bump PAYHOST_SDK_ABI_VERSION whenever a header of this SDK changes in a way that
// affects layout or vtables (a member added to a struct, a virtual added anywhere in a
// class, even at the end); tests/sdk/abi_lock_test fails until sdk/abi.lock agrees. The
// lock only notices that headers changed: whether the change needs a bump is for the
// author to decide, and when in doubt, bump.
#pragma once

#include <cstdint>

#include <soci/version.h>
#include <nlohmann/json.hpp>

#define PAYHOST_SDK_ABI_VERSION 9u

#define PAYHOST_SDK_VISIBLE __attribute__((visibility("default")))

#define PAYHOST_STR2(x) #x
#define PAYHOST_STR(x) PAYHOST_STR2(x)

// Everything that must match between host and plugin for C++ objects to cross: compiler,
// standard library, its string ABI, language level, and the libraries whose types the
// SDK exposes (JSON, SOCI).
#define PAYHOST_TOOLCHAIN_FINGERPRINT \
  "gcc-" PAYHOST_STR(__GNUC__) "." PAYHOST_STR(__GNUC_MINOR__) ";glibcxx-" PAYHOST_STR( \
      __GLIBCXX__) ";cxx11abi-" PAYHOST_STR(_GLIBCXX_USE_CXX11_ABI) ";std-"              \
      PAYHOST_STR(__cplusplus) ";json-" PAYHOST_STR(NLOHMANN_JSON_VERSION_MAJOR) "." PAYHOST_STR( \
          NLOHMANN_JSON_VERSION_MINOR) ";soci-" PAYHOST_STR(SOCI_VERSION)

extern "C" {

enum payhost_plugin_kind : std::uint32_t {
  PAYHOST_PLUGIN_CHANNEL = 1,
  PAYHOST_PLUGIN_PRODUCT = 2,
};

struct payhost_plugin_descriptor {
  std::uint32_t abi_version;  // PAYHOST_SDK_ABI_VERSION the plugin was built with
  const char* toolchain;      // PAYHOST_TOOLCHAIN_FINGERPRINT the plugin was built with
  std::uint32_t kind;         // payhost_plugin_kind
  const char* name;           // plugin name, e.g. "alipay"
  const char* version;        // plugin version, e.g. "1.0.0"
  const char* summary;        // one line for `payhostd plugins list`
  void* (*create)();          // new payhost::sdk::Plugin, or nullptr on failure; never throws
  void (*destroy)(void*);     // deletes what create() returned, inside the library
};

}  // extern "C"

// The exported symbol's name; it never changes, so an old plugin still gets a clear
// "ABI version mismatch" instead of "symbol not found".
#define PAYHOST_PLUGIN_SYMBOL payhost_plugin
#define PAYHOST_PLUGIN_SYMBOL_NAME "payhost_plugin"

// Registers CLASS (a subclass of payhost::sdk::ChannelPlugin or ProductPlugin, default
// constructible) as this library's plugin. Use once per library, at namespace scope.
#define PAYHOST_REGISTER_PLUGIN(KIND, NAME, VERSION, SUMMARY, CLASS)                        \
  namespace {                                                                               \
  void* payhost_plugin_create_() noexcept {                                                 \
    try {                                                                                   \
      return static_cast<::payhost::sdk::Plugin*>(new CLASS());                             \
    } catch (...) {                                                                         \
      return nullptr;                                                                       \
    }                                                                                       \
  }                                                                                         \
  void payhost_plugin_destroy_(void* p) noexcept {                                          \
    delete static_cast<::payhost::sdk::Plugin*>(p);                                         \
  }                                                                                         \
  }                                                                                         \
  extern "C" PAYHOST_SDK_VISIBLE const payhost_plugin_descriptor PAYHOST_PLUGIN_SYMBOL = {  \
      PAYHOST_SDK_ABI_VERSION, PAYHOST_TOOLCHAIN_FINGERPRINT, KIND, NAME, VERSION, SUMMARY, \
      &payhost_plugin_create_, &payhost_plugin_destroy_}
