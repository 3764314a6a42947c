// Reconnect delays: exponential from `initial_ms`, capped at `max_ms`, each
// with ±`jitter` so tethers that lost the same endpoint do not redial in
// lock step (docs/protocol.md §5: 100 ms, 5 s, 20%).
#ifndef TETHER_ATTACH_LINK_BACKOFF_H_
#define TETHER_ATTACH_LINK_BACKOFF_H_

#include <cstdint>
#include <random>

namespace attach {

struct BackoffParams {
  uint64_t initial_ms = 100;
  uint64_t max_ms = 5000;
  double jitter = 0.2;  // Fraction of the step, 0..1.
};

// Not thread-safe; plain value type.
class Backoff {
 public:
  Backoff(BackoffParams params, uint64_t seed);

  // The delay before the next attempt: the current step ±jitter (never
  // 0 ms). Then the step doubles, up to max_ms.
  uint64_t NextDelayMs();
  // Back to initial_ms; called once a connection was fully established.
  void Reset() { step_ms_ = params_.initial_ms; }

 private:
  BackoffParams params_;
  uint64_t step_ms_;
  std::minstd_rand rng_;
};

}  // namespace attach

#endif  // TETHER_ATTACH_LINK_BACKOFF_H_
