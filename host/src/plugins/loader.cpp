#include "plugins/loader.hpp"

#include <boost/dll/shared_library.hpp>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <vector>

namespace payhost::host {

using sdk::ErrorKind;
using sdk::Result;

class LoadedLibrary {
 public:
  explicit LoadedLibrary(boost::dll::shared_library lib) : lib_(std::move(lib)) {}
  boost::dll::shared_library& get() { return lib_; }

 private:
  boost::dll::shared_library lib_;
};

LoadedPlugin::LoadedPlugin(std::shared_ptr<LoadedLibrary> library,
                           const payhost_plugin_descriptor* descriptor, sdk::Plugin* object,
                           std::string path)
    : library_(std::move(library)),
      destroy_(descriptor->destroy),
      object_(object),
      name_(descriptor->name),
      path_(std::move(path)),
      version_(descriptor->version ? descriptor->version : ""),
      summary_(descriptor->summary ? descriptor->summary : ""),
      kind_(descriptor->kind) {}

LoadedPlugin::~LoadedPlugin() {
  if (object_ && destroy_) destroy_(object_);
  // Libraries stay loaded until the process exits: values that hide plugin code (function
  // objects, vtables, type_info) may still be alive somewhere, and unloading buys nothing.
  static auto* resident = new std::vector<std::shared_ptr<LoadedLibrary>>();
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  resident->push_back(std::move(library_));
}

namespace {

sdk::Error refuse(const std::string& path, const std::string& why) {
  return sdk::make_error(ErrorKind::invalid_request, "plugin_refused",
                         "plugin " + path + ": " + why);
}

}  // namespace

Result<std::unique_ptr<LoadedPlugin>> load_plugin(const std::string& path,
                                                  const std::string& expected_name) {
  namespace fs = std::filesystem;
  if (!fs::path(path).is_absolute()) return refuse(path, "path must be absolute");
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return refuse(path, "file not found");

  boost::dll::shared_library lib;
  try {
    // RTLD_NOW: an unresolved symbol is a load error now, not a crash later. Not
    // RTLD_DEEPBIND: ASan aborts on it.
    lib.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    return refuse(path, std::string("cannot be loaded: ") + e.what());
  }
  if (!lib.has(PAYHOST_PLUGIN_SYMBOL_NAME)) {
    return refuse(path, "not a payhost plugin: it exports no \"" PAYHOST_PLUGIN_SYMBOL_NAME
                        "\" descriptor (register it with PAYHOST_REGISTER_PLUGIN)");
  }
  const auto& d = lib.get<const payhost_plugin_descriptor>(PAYHOST_PLUGIN_SYMBOL_NAME);
  if (d.abi_version != PAYHOST_SDK_ABI_VERSION) {
    return refuse(path, "built for SDK ABI version " + std::to_string(d.abi_version) +
                            " but this payhostd speaks version " +
                            std::to_string(PAYHOST_SDK_ABI_VERSION) +
                            "; rebuild the plugin against this SDK");
  }
  if (d.toolchain == nullptr || std::strcmp(d.toolchain, PAYHOST_TOOLCHAIN_FINGERPRINT) != 0) {
    return refuse(path, std::string("toolchain mismatch: plugin built with \"") +
                            (d.toolchain ? d.toolchain : "(none)") + "\", payhostd with \"" +
                            PAYHOST_TOOLCHAIN_FINGERPRINT +
                            "\"; C++ objects cannot cross between them");
  }
  if (d.kind != PAYHOST_PLUGIN_CHANNEL && d.kind != PAYHOST_PLUGIN_PRODUCT) {
    return refuse(path, "unknown plugin kind " + std::to_string(d.kind));
  }
  if (d.name == nullptr || *d.name == '\0' || d.create == nullptr || d.destroy == nullptr) {
    return refuse(path, "incomplete descriptor (name, create and destroy are required)");
  }
  if (!expected_name.empty() && expected_name != d.name) {
    return refuse(path, std::string("the library is plugin \"") + d.name +
                            "\" but the configuration names it \"" + expected_name + "\"");
  }
  void* raw = d.create();
  if (raw == nullptr) return refuse(path, "its factory failed to create the plugin");
  auto* object = static_cast<sdk::Plugin*>(raw);
  const bool kind_ok = d.kind == PAYHOST_PLUGIN_CHANNEL ? object->as_channel() != nullptr
                                                        : object->as_product() != nullptr;
  if (!kind_ok) {
    d.destroy(raw);
    return refuse(path, "the object its factory made is not of the kind its descriptor declares");
  }
  auto library = std::make_shared<LoadedLibrary>(std::move(lib));
  return std::make_unique<LoadedPlugin>(std::move(library), &d, object, path);
}

}  // namespace payhost::host
