// Fuzzes the /etc/passwd and /etc/group parsers and the user resolver that
// reads them: the container's files are outside input and PID 1 must not
// crash on them. Input: "spec \0 passwd \0 group"; the whole input is also
// parsed as either file on its own.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tests/fakes/fake_os.h"
#include "tether/users/group.h"
#include "tether/users/passwd.h"
#include "tether/users/user_resolver.h"

namespace {

// A parsed field never spans a separator: that would mean a record leaked
// into its neighbour.
void CheckField(const std::string& field, bool allow_comma) {
  if (field.find_first_of(":\n") != std::string::npos) std::abort();
  if (!allow_comma && field.find(',') != std::string::npos) std::abort();
}

void CheckParsers(std::string_view data) {
  tether::PasswdFile passwd = tether::ParsePasswd(data);
  for (const tether::PasswdEntry& e : passwd.entries) {
    if (e.name.empty() || e.uid == static_cast<uid_t>(-1)) std::abort();
    CheckField(e.name, true);
    CheckField(e.home, true);
  }
  tether::GroupFile group = tether::ParseGroup(data);
  for (const tether::GroupEntry& e : group.entries) {
    if (e.name.empty() || e.gid == static_cast<gid_t>(-1)) std::abort();
    for (const std::string& m : e.members) {
      if (m.empty()) std::abort();
      CheckField(m, false);
    }
  }
}

std::string_view NextPart(std::string_view* rest) {
  size_t nul = rest->find('\0');
  std::string_view part = rest->substr(0, nul);
  *rest = nul == std::string_view::npos ? std::string_view()
                                        : rest->substr(nul + 1);
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckParsers(input);

  std::string_view rest = input;
  std::string_view spec = NextPart(&rest);
  std::string_view passwd = NextPart(&rest);
  fakes::FakeOs os;
  os.AddFile("/etc/passwd", std::string(passwd), 0644);
  os.AddFile("/etc/group", std::string(rest), 0644);
  base::Result<tether::ResolvedUser> user = tether::ResolveUser(os, spec);
  if (user.ok()) {
    // The primary gid always leads the supplementary groups.
    if (user->groups.empty() || user->groups[0] != user->gid) std::abort();
    if (user->home.empty()) std::abort();
  } else if (user.status().message().empty()) {
    std::abort();
  }
  return 0;
}
