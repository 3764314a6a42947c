// Finds the executable a session names, the way docker/runc do: a name with
// a '/' is used as is (relative ones resolve against the workdir in the
// child); a bare name is searched in the session's own PATH, not the
// tether's.
#ifndef TETHER_TETHER_PATH_LOOKUP_H_
#define TETHER_TETHER_PATH_LOOKUP_H_

#include <string>
#include <vector>

#include "base/os.h"
#include "base/result.h"

namespace tether {

// Docker's default when the environment has no PATH.
extern const char kDefaultPath[];

// The first "K=V" entry for `key` (the one getenv would return), or
// nullptr.
const std::string* FindEnv(const std::vector<std::string>& env,
                           const std::string& key);

// Returns the path to exec. Errors: kNotFound `exec: "x": executable file
// not found in $PATH`; kPermissionDenied when only non-executable files by
// that name exist (docker's 126).
base::Result<std::string> LookPath(base::Os& os, const std::string& file,
                                   const std::vector<std::string>& env);

}  // namespace tether

#endif  // TETHER_TETHER_PATH_LOOKUP_H_
