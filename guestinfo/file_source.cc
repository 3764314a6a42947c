#include <unistd.h>

#include <utility>

#include "guestinfo/limits.h"
#include "guestinfo/source.h"

namespace guestinfo {
namespace {

class FileSource : public ConfigSource {
 public:
  FileSource(base::Os& os, std::string path)
      : os_(os), path_(std::move(path)) {}

  std::string Name() const override { return "file " + path_; }
  base::Result<std::string> Read() override {
    return ReadConfigFile(os_, path_, Name());
  }

 private:
  base::Os& os_;
  const std::string path_;
};

}  // namespace

base::Result<std::string> ReadConfigFile(base::Os& os, const std::string& path,
                                         const std::string& label) {
  base::Result<std::string> data = os.ReadFile(path, kMaxConfigBytes);
  if (data.ok()) return data;
  const base::Status& s = data.status();
  // Os::ReadFile's errors name the syscall and path ("open /x: ..."); the
  // label says the same more usefully, so rebuild instead of annotating.
  if (s.error_number() != 0) {
    return base::Status::FromErrno(s.code(), label, s.error_number());
  }
  if (s.code() == base::Status::Code::kInvalidArgument) {
    return base::Status::InvalidArgument(
        label + ": larger than the 1 MiB config limit");
  }
  return base::Status(s).Annotate(label);
}

std::string AbsolutePath(const std::string& path) {
  if (path.empty() || path.front() == '/') return path;
  char cwd[4096];
  if (::getcwd(cwd, sizeof(cwd)) == nullptr) return path;
  std::string dir = cwd;
  if (dir.back() != '/') dir += '/';
  return dir + path;
}

std::unique_ptr<ConfigSource> NewFileSource(base::Os& os, std::string path) {
  return std::make_unique<FileSource>(os, std::move(path));
}

}  // namespace guestinfo
