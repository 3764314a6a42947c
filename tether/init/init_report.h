// InitReport: what went wrong during early init, split by consequence.
//
// DESIGN §4: every step's failure is reported, and is fatal only where the
// container cannot run. Early init therefore never stops at a warning; the
// caller reports the warnings (state, endpoint, console) and refuses to
// start the container only when `fatal` is set.
#ifndef TETHER_TETHER_INIT_INIT_REPORT_H_
#define TETHER_TETHER_INIT_INIT_REPORT_H_

#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace tether {

struct InitReport {
  base::Status fatal;                  // OK unless the container cannot run.
  std::vector<base::Status> warnings;  // Failed steps it can run without.

  bool ok() const { return fatal.ok(); }

  // Records the outcome of a step; an OK `s` is ignored. Only the first
  // fatal failure becomes `fatal`: later ones are kept as warnings, so
  // nothing is lost and `fatal` names the root cause.
  void Add(base::Status s, bool is_fatal) {
    if (s.ok()) return;
    if (is_fatal && fatal.ok()) {
      fatal = std::move(s);
    } else {
      warnings.push_back(std::move(s));
    }
  }

  // The warnings' messages, in order: what state and logs carry.
  std::vector<std::string> WarningMessages() const {
    std::vector<std::string> out;
    for (const base::Status& w : warnings) out.push_back(w.message());
    return out;
  }

  // Appends a sub-step's report, with the same rule for fatal failures.
  void Merge(InitReport other) {
    Add(std::move(other.fatal), true);
    for (base::Status& w : other.warnings) warnings.push_back(std::move(w));
  }
};

}  // namespace tether

#endif  // TETHER_TETHER_INIT_INIT_REPORT_H_
