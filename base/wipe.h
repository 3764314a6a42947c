// Wipe: overwrites a secret held in a std::string before the memory goes
// back to the heap, where a later allocation (or a dump) would find it.
// explicit_bzero is never optimized away, unlike a memset before a free.
#ifndef TETHER_BASE_WIPE_H_
#define TETHER_BASE_WIPE_H_

#include <string.h>

#include <string>

namespace base {

// Zeroes every byte `s` owns, its spare capacity included, and empties it.
inline void Wipe(std::string* s) {
  s->resize(s->capacity());
  explicit_bzero(s->data(), s->size());
  s->clear();
}

}  // namespace base

#endif  // TETHER_BASE_WIPE_H_
