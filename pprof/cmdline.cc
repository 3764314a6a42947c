#include "pprof/cmdline.h"

#include <cctype>
#include <iterator>

#include "pprof/proc_file.h"

namespace pprof {
namespace {

constexpr const char* kSecretWords[] = {
    "key",    "identity",   "secret", "token",   "password",
    "passwd", "credential", "auth",   "private",
};

bool HoldsPrivateKey(std::string_view arg) {
  return arg.find("PRIVATE KEY-----") != std::string_view::npos ||
         arg.find("BEGIN OPENSSH") != std::string_view::npos;
}

bool IsEnvName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

bool NamesSecret(std::string_view name) {
  std::string lower;
  for (char c : name) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (const char* w : kSecretWords) {
    if (lower.find(w) != std::string::npos) return true;
  }
  return false;
}

std::vector<std::string> RedactArgs(const std::vector<std::string>& argv) {
  std::vector<std::string> out;
  bool hide_next = false;
  for (const std::string& arg : argv) {
    if (hide_next) {
      hide_next = false;
      out.push_back(kRedacted);
      continue;
    }
    if (HoldsPrivateKey(arg)) {
      out.push_back(kRedacted);
      continue;
    }
    size_t eq = arg.find('=');
    std::string_view name(arg.data(),
                          eq == std::string::npos ? arg.size() : eq);
    bool flag = arg.size() > 1 && arg[0] == '-' && arg != "--";
    if (flag) {
      size_t dashes = arg[1] == '-' ? 2 : 1;
      name.remove_prefix(dashes);
      if (NamesSecret(name)) {
        if (eq == std::string::npos) {
          hide_next = true;
          out.push_back(arg);
        } else {
          out.push_back(arg.substr(0, eq + 1) + kRedacted);
        }
        continue;
      }
    } else if (eq != std::string::npos && IsEnvName(name) &&
               NamesSecret(name)) {
      out.push_back(arg.substr(0, eq + 1) + kRedacted);
      continue;
    }
    out.push_back(arg);
  }
  return out;
}

std::vector<std::string> ReadOwnArgs() {
  std::string all = ReadProcFile("/proc/self/cmdline", 8 << 20);
  std::vector<std::string> args;
  size_t start = 0;
  while (start < all.size()) {
    size_t nul = all.find('\0', start);
    if (nul == std::string::npos) nul = all.size();
    args.push_back(all.substr(start, nul - start));
    start = nul + 1;
  }
  return args;
}

}  // namespace pprof
