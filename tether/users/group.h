// Parser for the container's /etc/group (group(5)).
//
// Like passwd.h, this replaces getgrnam()/getgrouplist(), which NSS cannot
// serve in the statically linked tether.
#ifndef TETHER_TETHER_USERS_GROUP_H_
#define TETHER_TETHER_USERS_GROUP_H_

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "tether/users/etc_records.h"

namespace tether {

struct GroupEntry {
  std::string name;
  gid_t gid = 0;
  std::vector<std::string> members;  // Empty names ("a,,b") dropped.
};

using GroupFile = EtcFile<GroupEntry>;

// Parses group(5) content: "name:password:gid:member,member,...".
// A record needs exactly four fields, a non-empty name and a gid that
// ParseId() accepts; anything else is counted in `stats` and skipped, as
// are blank lines, '#' comments and NIS '+'/'-' lines. Never fails.
GroupFile ParseGroup(std::string_view content);

}  // namespace tether

#endif  // TETHER_TETHER_USERS_GROUP_H_
