// A cap on the log lines that peers who never logged in can cause on
// attachd's tether port: refused logins, broken preambles, connections
// refused at a cap (review F3). Without it, anyone who can reach the port
// writes attachd.log at the rate of their connection attempts.
//
// At most `per_minute` lines a minute pass; the lines left out are counted
// and the next line that passes says how many there were.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_TETHERS_LOG_BUDGET_H_
#define TETHER_ATTACH_ENDPOINT_TETHERS_LOG_BUDGET_H_

#include <uv.h>

#include <cstdint>
#include <string>

namespace attach {
namespace endpoint {

class LogBudget {
 public:
  // `loop` gives the time (uv_now) and must outlive the budget.
  LogBudget(uv_loop_t* loop, int per_minute)
      : loop_(loop), per_minute_(per_minute) {}

  // Whether one more line may be written now. When it may, the returned
  // note is "" or " (N similar lines left out)", to append to the line.
  bool Take(std::string* note);

 private:
  uv_loop_t* loop_;
  int per_minute_;
  uint64_t window_start_ms_ = 0;
  int used_ = 0;
  uint64_t left_out_ = 0;
};

// Take() on `budget`, or always true (with no note) when it is null.
bool TakeLogLine(LogBudget* budget, std::string* note);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_TETHERS_LOG_BUDGET_H_
