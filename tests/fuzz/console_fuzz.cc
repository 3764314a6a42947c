// Fuzzes what attachd reads from a container VM's serial console, which
// any root process in the guest can write to: the tether's exit record
// (guestinfo/exit_record.h), alone and picked out of a whole console log,
// and the last error line.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "attach/endpoint/vms/console_log.h"
#include "guestinfo/exit_record.h"
#include "guestinfo/field_syntax.h"

namespace {

// What attachd relies on in any record it believes.
void CheckRecord(const guestinfo::ExitRecord& r) {
  if (!guestinfo::CheckSessionId(r.session).ok()) __builtin_trap();
  if (r.exit_code < 0 || r.exit_code > 255) __builtin_trap();
  if (r.signal < 0 || r.signal > 64) __builtin_trap();
  if (r.signal != 0 && r.exit_code != 128 + r.signal) __builtin_trap();
  // A believed record reads back the same from the tether's own line.
  std::string line = guestinfo::EncodeExitRecord(r);
  if (line.empty() || line.back() != '\n') __builtin_trap();
  line.pop_back();
  base::Result<guestinfo::ExitRecord> again = guestinfo::DecodeExitRecord(line);
  if (!again.ok() || again->session != r.session ||
      again->exit_code != r.exit_code || again->signal != r.signal) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  base::Result<guestinfo::ExitRecord> one = guestinfo::DecodeExitRecord(in);
  if (one.ok()) CheckRecord(*one);
  std::optional<guestinfo::ExitRecord> last =
      attach::endpoint::LastExitRecord(in);
  if (last) CheckRecord(*last);
  std::optional<std::string> error = attach::endpoint::LastTetherError(in);
  if (error) {
    if (error->size() > 1000) __builtin_trap();
    for (char c : *error) {
      unsigned char u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f) __builtin_trap();
    }
  }
  return 0;
}
