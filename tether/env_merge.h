// Environment merging for docker exec: the exec's entries override the
// container's by key, as docker's ReplaceOrAppendEnvValues does.
//
// The first definition of a key is the one getenv(3) returns in glibc,
// musl and Go, so appending an override after the original (review F15)
// would leave it unseen by most programs; replacing in place leaves one
// definition per key.
#ifndef TETHER_TETHER_ENV_MERGE_H_
#define TETHER_TETHER_ENV_MERGE_H_

#include <string>
#include <vector>

namespace tether {

// `base` with each "K=V" of `overrides` replacing base's K in place, or
// appended when base has no K; an override without '=' ("K") unsets K.
// Later overrides win over earlier ones. Keys duplicated within `base`
// keep their first place; the later copies are dropped.
std::vector<std::string> ReplaceOrAppendEnv(
    const std::vector<std::string>& base,
    const std::vector<std::string>& overrides);

}  // namespace tether

#endif  // TETHER_TETHER_ENV_MERGE_H_
