// FailingFakeOs: a FakeOs whose chosen calls fail, for testing how early
// init reports failed steps. FakeOs scripts mount failures itself
// (FailMount); this adds the other calls early init makes.
#ifndef TETHER_TESTS_FAKES_FAILING_FAKE_OS_H_
#define TETHER_TESTS_FAKES_FAILING_FAKE_OS_H_

#include <map>
#include <string>
#include <utility>

#include "tests/fakes/fake_os.h"

namespace fakes {

class FailingFakeOs : public FakeOs {
 public:
  // Every later call `what` fails with `s` and changes nothing. `what` is
  // the method and its first argument: "MakeDir /etc",
  // "WriteFile /etc/hosts", "Stat /dev/ptmx", "SetLinkUp lo", or the bare
  // method for "SetHostname" and "SetRlimit".
  void Fail(const std::string& what, base::Status s) {
    failures[what] = std::move(s);
  }

  base::Status MakeDir(const std::string& path, mode_t mode) override {
    if (const base::Status* s = Find("MakeDir " + path)) return *s;
    return FakeOs::MakeDir(path, mode);
  }
  base::Status WriteFile(const std::string& path, const std::string& data,
                         mode_t mode) override {
    if (const base::Status* s = Find("WriteFile " + path)) return *s;
    return FakeOs::WriteFile(path, data, mode);
  }
  base::Result<base::FileInfo> Stat(const std::string& path) override {
    if (const base::Status* s = Find("Stat " + path)) return *s;
    return FakeOs::Stat(path);
  }
  base::Status SetHostname(const std::string& name) override {
    if (const base::Status* s = Find("SetHostname")) return *s;
    return FakeOs::SetHostname(name);
  }
  base::Status SetLinkUp(const std::string& ifname) override {
    if (const base::Status* s = Find("SetLinkUp " + ifname)) return *s;
    return FakeOs::SetLinkUp(ifname);
  }
  base::Status SetRlimit(int resource, uint64_t soft, uint64_t hard) override {
    if (const base::Status* s = Find("SetRlimit")) return *s;
    return FakeOs::SetRlimit(resource, soft, hard);
  }

  std::map<std::string, base::Status> failures;

 private:
  const base::Status* Find(const std::string& what) const {
    auto it = failures.find(what);
    return it == failures.end() ? nullptr : &it->second;
  }
};

}  // namespace fakes

#endif  // TETHER_TESTS_FAKES_FAILING_FAKE_OS_H_
