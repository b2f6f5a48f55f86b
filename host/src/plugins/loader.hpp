// Loads plugin libraries (Boost.DLL) and checks their descriptor before any C++ object
// from the library is touched. All Boost.DLL use is in loader.cpp.
#pragma once

#include <memory>
#include <string>

#include "payhost/sdk/abi.hpp"
#include "payhost/sdk/plugin.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::host {

class LoadedLibrary;

// A plugin object together with the library it came from. The object is destroyed (by the
// library's own destroy function) before the library handle is released.
class LoadedPlugin {
 public:
  LoadedPlugin(std::shared_ptr<LoadedLibrary> library, const payhost_plugin_descriptor* descriptor,
               sdk::Plugin* object, std::string path);
  ~LoadedPlugin();
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  const std::string& name() const { return name_; }
  const std::string& path() const { return path_; }
  const std::string& version() const { return version_; }
  const std::string& summary() const { return summary_; }
  std::uint32_t kind() const { return kind_; }
  sdk::Plugin& object() const { return *object_; }

 private:
  std::shared_ptr<LoadedLibrary> library_;  // declared first: released last
  void (*destroy_)(void*);
  sdk::Plugin* object_;
  std::string name_, path_, version_, summary_;
  std::uint32_t kind_;
};

// Loads `path` (absolute), checks the descriptor (present, ABI version, toolchain, kind,
// name equal to `expected_name` if given) and creates the plugin object. Every refusal
// names the file and says what to do.
sdk::Result<std::unique_ptr<LoadedPlugin>> load_plugin(const std::string& path,
                                                       const std::string& expected_name);

}  // namespace payhost::host
