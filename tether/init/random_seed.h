// Crediting the config's random_seed to the kernel (docs/config.md).
//
// The tether's first use of randomness is the SSH key exchange of its link.
// A fresh VM has no RDRAND under TCG and no virtio-rng, so getrandom()
// blocks until the kernel has gathered 256 bits by itself: over a second of
// a TCG boot. The endpoint draws a seed for every boot and hands it over
// with the identity key, through the same trusted channel; crediting it
// makes the generator ready at once.
#ifndef TETHER_TETHER_INIT_RANDOM_SEED_H_
#define TETHER_TETHER_INIT_RANDOM_SEED_H_

#include <string>

#include "base/os.h"
#include "tether/init/init_report.h"

namespace tether {

// Credits `*seed` (when not empty), then wipes it: the bytes must not stay
// in PID 1's memory, where a core dump or the container could find them.
// A failure is a warning: the kernel still seeds itself, only later.
InitReport CreditRandomSeed(base::Os& os, std::string* seed);

}  // namespace tether

#endif  // TETHER_TETHER_INIT_RANDOM_SEED_H_
