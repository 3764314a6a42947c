// ProfileBuilder: assembles a profile.proto (pprof's format, upstream
// schema in profile.proto) from samples of program counters, and writes it
// gzipped, the way `go tool pprof` expects to fetch it.
//
// Locations are deduplicated by address and symbolized in Finish() with a
// Symbolizer: every location gets its mapping and a Line naming its
// function, and every mapping says has_functions, so pprof never looks
// for the binary. Addresses are expected the way stack_capture.h records
// them: the exact PC for a signal's leaf frame, return address minus one
// for callers, so each lies inside its calling instruction.
#ifndef TETHER_PPROF_PROFILE_BUILDER_H_
#define TETHER_PPROF_PROFILE_BUILDER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pprof/symbolizer.h"
#include "profile.pb.h"

namespace pprof {

class ProfileBuilder {
 public:
  ProfileBuilder();

  // One per value of each sample, in order ("samples", "count").
  void AddSampleType(std::string_view type, std::string_view unit);
  void SetPeriod(std::string_view type, std::string_view unit, int64_t period);
  void SetTime(int64_t time_nanos, int64_t duration_nanos);
  void SetDefaultSampleType(std::string_view type);
  void AddComment(std::string_view comment);
  // pprof hides frames whose function name fully matches `regex`, and
  // every frame they called.
  void SetDropFrames(std::string_view regex);

  // The location of an address; the same address gives the same id.
  uint64_t LocationFor(uintptr_t pc);
  // A synthetic frame shown as a function named `name` ("[main thread]"),
  // for things that have no address.
  uint64_t NamedLocation(std::string_view name);

  struct Label {
    std::string key;
    std::string str;   // Either str...
    int64_t num = 0;   // ...or num (with unit).
    std::string unit;
  };
  // `locations` leaf first; one value per sample type.
  void AddSample(const std::vector<uint64_t>& locations,
                 const std::vector<int64_t>& values,
                 const std::vector<Label>& labels = {});
  // Convenience: AddSample with LocationFor each pc (leaf first).
  void AddStack(const uintptr_t* pcs, size_t depth,
                const std::vector<int64_t>& values,
                const std::vector<Label>& labels = {});

  // Fills mappings, functions and lines from `symbols` and returns the
  // profile. The builder is spent afterwards.
  perftools::profiles::Profile Build(const Symbolizer& symbols);
  // Build() serialized and gzipped: the body of a profile response.
  std::string Finish(const Symbolizer& symbols);

 private:
  int64_t Str(std::string_view s);
  uint64_t FunctionFor(const std::string& name);

  perftools::profiles::Profile p_;
  std::unordered_map<std::string, int64_t> strings_;
  std::unordered_map<uintptr_t, uint64_t> locations_;
  std::unordered_map<std::string, uint64_t> functions_;
  std::vector<std::pair<uint64_t, std::string>> named_;  // Synthetic.
};

// gzip (RFC 1952) of `data` at the default level.
std::string Gzip(std::string_view data);
// For tests: gunzip, or "" on malformed input.
std::string Gunzip(std::string_view data);

}  // namespace pprof

#endif  // TETHER_PPROF_PROFILE_BUILDER_H_
