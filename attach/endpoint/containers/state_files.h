// Small files and directories of attachd's state directory.
//
// Every document attachd keeps (container config, status, keys) is written
// whole through WriteFileAtomic, so a crash leaves either the old or the
// new version, never a mix. Blocking calls on small files, made on the loop
// thread: each is a few syscalls on local disk.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_STATE_FILES_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_STATE_FILES_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/result.h"

namespace attach {
namespace endpoint {

// Creates `path` (its parent must exist) or, when it exists as a
// directory, tightens its mode to `mode`. A directory someone else could
// have prepared is refused (review F12), kPermissionDenied: one not owned
// by attachd's effective user, one group or others may write to, or a
// symbolic link not owned by that user. kIoError otherwise.
base::Status EnsureDir(const std::string& path, mode_t mode);

// The contents of `path`, at most `max_bytes` (kInvalidArgument beyond).
// kNotFound when it does not exist.
base::Result<std::string> ReadFile(const std::string& path,
                                   size_t max_bytes = 1 << 20);

// Writes a new temporary file beside `path` (a fresh name, O_EXCL: never
// a file or link someone planted), with `mode`, fsyncs it, renames it over
// `path` and fsyncs the directory.
base::Status WriteFileAtomic(const std::string& path, const std::string& data,
                             mode_t mode);

// Names in `dir` (without "." and ".."), unsorted.
base::Result<std::vector<std::string>> ListDir(const std::string& dir);

// Removes `path` and everything below it. OK when it does not exist.
base::Status RemoveTree(const std::string& path);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_STATE_FILES_H_
