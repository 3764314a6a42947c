// Resolves a session's `user` field to the ids its process runs with.
//
// Docker/runc semantics, computed from the container's own /etc/passwd and
// /etc/group (read through base::Os; never NSS, which the static tether
// cannot use):
//   ""            root: the same as "0".
//   "name"        must exist in /etc/passwd; gid and home from its entry.
//   "uid"         decimal; its entry's gid and home when /etc/passwd has
//                 one, else gid 0 and home "/" (like runc).
//   "user:group"  the group overrides the primary gid: a name must exist in
//                 /etc/group, a decimal gid is taken as is.
// Supplementary groups (`groups`) always start with the primary gid. When
// the user has a name (spelled in the spec or found by uid) and no explicit
// group is given, every /etc/group entry listing that name as a member is
// added, de-duplicated, in file order. An explicit group replaces them all,
// as in docker (runc only fills Sgids for the implicit form).
// A file is required only when a name must be looked up in it: a missing
// /etc/passwd or /etc/group is fine otherwise.
#ifndef TETHER_TETHER_USERS_USER_RESOLVER_H_
#define TETHER_TETHER_USERS_USER_RESOLVER_H_

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/os.h"
#include "base/result.h"

namespace tether {

// The container's files are outside input; larger ones are refused.
constexpr size_t kMaxUserDatabaseBytes = 4u << 20;

struct ResolvedUser {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // Supplementary (setgroups); includes gid.
  std::string home;           // Never empty: "/" when unknown.
  std::string name;           // Empty for a uid without a passwd entry.
};

// Resolves `spec` (see above) reading /etc/passwd and /etc/group through
// `os`, each at most kMaxUserDatabaseBytes. Errors:
//   kInvalidArgument  malformed spec ("a:b:c", ":", ":0", "0:") or an id
//                     above 4294967294, e.g. `invalid user "a:b:c": ...`;
//   kNotFound         `no user "nginx" in /etc/passwd`,
//                     `no group "web" in /etc/group`, or a file needed for
//                     a name is missing: `look up user "nginx": open
//                     /etc/passwd: No such file or directory`;
//   others            the file could not be read (too large, EACCES),
//                     annotated with what was being looked up.
base::Result<ResolvedUser> ResolveUser(base::Os& os, std::string_view spec);

// Returns `env` with "HOME=<home>" appended unless it already has a HOME
// entry (docker sets HOME only when the image and the user did not). An
// empty `home` stands for "/".
std::vector<std::string> WithDefaultHome(std::vector<std::string> env,
                                         const std::string& home);

}  // namespace tether

#endif  // TETHER_TETHER_USERS_USER_RESOLVER_H_
