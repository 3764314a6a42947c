// Parser for the container's /etc/passwd (passwd(5)).
//
// The tether is linked statically with glibc, where getpwnam() and friends
// (NSS) cannot work, so it reads the container's own file with this parser.
#ifndef TETHER_TETHER_USERS_PASSWD_H_
#define TETHER_TETHER_USERS_PASSWD_H_

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "tether/users/etc_records.h"

namespace tether {

struct PasswdEntry {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string gecos;
  std::string home;
  std::string shell;
};

using PasswdFile = EtcFile<PasswdEntry>;

// Parses passwd(5) content: "name:password:uid:gid:gecos:home:shell".
// A record needs exactly seven fields, a non-empty name and ids that
// ParseId() accepts; anything else is counted in `stats` and skipped, as
// are blank lines, '#' comments and NIS '+'/'-' lines. Never fails.
PasswdFile ParsePasswd(std::string_view content);

}  // namespace tether

#endif  // TETHER_TETHER_USERS_PASSWD_H_
