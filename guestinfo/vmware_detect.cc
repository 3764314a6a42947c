#include "guestinfo/vmware_detect.h"

#include <cstdint>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "guestinfo/json_fields.h"

namespace guestinfo {

HypervisorId ReadHypervisorId() {
  HypervisorId id;
#if defined(__x86_64__) || defined(__i386__)
  unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return id;
  id.present = (ecx & (1u << 31)) != 0;
  // Without the hypervisor bit, leaf 0x40000000 is not defined (Intel
  // returns the highest basic leaf's data), so it is not even asked.
  if (!id.present) return id;
  __cpuid(0x40000000, eax, ebx, ecx, edx);
  char vendor[12];
  std::memcpy(vendor + 0, &ebx, 4);
  std::memcpy(vendor + 4, &ecx, 4);
  std::memcpy(vendor + 8, &edx, 4);
  id.vendor.assign(vendor, sizeof(vendor));
  while (!id.vendor.empty() && id.vendor.back() == '\0') id.vendor.pop_back();
#endif
  return id;
}

bool IsVmware(const HypervisorId& id) {
  return id.present && id.vendor == "VMwareVMware";
}

std::string DescribeHypervisor(const HypervisorId& id) {
  if (!id.present) return "no hypervisor";
  if (IsVmware(id)) return "VMware";
  return "hypervisor " + Quote(id.vendor);
}

}  // namespace guestinfo
