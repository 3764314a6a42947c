#include "attach/link/backoff.h"

#include <algorithm>

namespace attach {

Backoff::Backoff(BackoffParams params, uint64_t seed)
    : params_(params),
      step_ms_(params.initial_ms),
      rng_(static_cast<std::minstd_rand::result_type>(seed % 2147483646 + 1)) {}

// Jitter is relative to the step, so a capped 5 s step spreads tethers over
// 4..6 s while the first retries stay near 100 ms.
uint64_t Backoff::NextDelayMs() {
  double step = static_cast<double>(step_ms_);
  std::uniform_real_distribution<double> spread(-params_.jitter,
                                                params_.jitter);
  double delay = step * (1.0 + spread(rng_));
  step_ms_ = std::min(step_ms_ * 2, params_.max_ms);
  return std::max<uint64_t>(1, static_cast<uint64_t>(delay));
}

}  // namespace attach
