// Runtime plug-ins: shared libraries that register handlers and senders. See
// caseflow/action_handler.h (caseflow_register_plugin) and caseflow/actions.h load_plugins.
// Libraries stay loaded for the life of the process (their code backs the registry).
#include <dlfcn.h>

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "caseflow/actions.h"

namespace caseflow::actions {

std::string load_plugins(handler_registry& registry, const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return fmt::format("plug-in folder {} does not exist", dir);
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".so") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    void* lib = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) return fmt::format("plug-in {} cannot be loaded: {}", file.string(), ::dlerror());
    auto entry = reinterpret_cast<plugin_entry>(::dlsym(lib, k_plugin_entry_name));
    if (!entry) {
      ::dlclose(lib);
      return fmt::format("plug-in {} has no {} function", file.string(), k_plugin_entry_name);
    }
    const char* error = nullptr;
    if (entry(&registry, k_plugin_api_version, &error) != 0)
      return fmt::format("plug-in {} refused to register: {}", file.string(), error ? error : "no reason given");
  }
  return "";
}

}  // namespace caseflow::actions
