#include "tether/env_merge.h"

#include <map>
#include <optional>

namespace tether {
namespace {

std::string KeyOf(const std::string& entry) {
  return entry.substr(0, entry.find('='));
}

}  // namespace

std::vector<std::string> ReplaceOrAppendEnv(
    const std::vector<std::string>& base,
    const std::vector<std::string>& overrides) {
  // Each key's place and final entry (nullopt: unset).
  std::vector<std::string> order;
  std::map<std::string, std::optional<std::string>> value;
  auto put = [&](const std::string& entry, bool override) {
    std::string key = KeyOf(entry);
    auto it = value.find(key);
    if (it == value.end()) {
      order.push_back(key);
      it = value.emplace(key, std::nullopt).first;
    } else if (!override) {
      return;  // A duplicate in the container's own env: the first counts.
    }
    if (entry.find('=') == std::string::npos) {
      it->second.reset();
    } else {
      it->second = entry;
    }
  };
  for (const std::string& e : base) put(e, false);
  for (const std::string& e : overrides) put(e, true);
  std::vector<std::string> out;
  out.reserve(order.size());
  for (const std::string& key : order) {
    const std::optional<std::string>& v = value[key];
    if (v) out.push_back(*v);
  }
  return out;
}

}  // namespace tether
