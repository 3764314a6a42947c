#include "tether/init/random_seed.h"

#include <string.h>

namespace tether {

InitReport CreditRandomSeed(base::Os& os, std::string* seed) {
  InitReport report;
  if (seed->empty()) return report;
  report.Add(os.CreditEntropy(*seed).Annotate("random_seed"), false);
  explicit_bzero(seed->data(), seed->size());
  seed->clear();
  return report;
}

}  // namespace tether
