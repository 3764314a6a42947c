// Fuzzes `docker import --change` lines (images/import_changes.h): the
// Dockerfile subset, its word splitting and variable expansion.
#include <cstdint>
#include <string>
#include <vector>

#include "attach/endpoint/images/import_changes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  attach::endpoint::ImageConfig config;
  config.env = {"PATH=/bin", "HOME=/root"};
  (void)attach::endpoint::ApplyChanges({text}, &config);
  (void)attach::endpoint::SplitWords(text, config.env);
  return 0;
}
