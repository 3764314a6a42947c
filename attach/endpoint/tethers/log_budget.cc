#include "attach/endpoint/tethers/log_budget.h"

namespace attach {
namespace endpoint {
namespace {

constexpr uint64_t kWindowMs = 60000;

}  // namespace

bool LogBudget::Take(std::string* note) {
  uint64_t now = uv_now(loop_);
  if (used_ == 0 || now - window_start_ms_ >= kWindowMs) {
    window_start_ms_ = now;
    used_ = 0;
  }
  if (used_ >= per_minute_) {
    ++left_out_;
    return false;
  }
  ++used_;
  note->clear();
  if (left_out_ > 0) {
    *note = " (" + std::to_string(left_out_) + " similar line" +
            (left_out_ == 1 ? "" : "s") + " left out)";
    left_out_ = 0;
  }
  return true;
}

bool TakeLogLine(LogBudget* budget, std::string* note) {
  if (budget != nullptr) return budget->Take(note);
  note->clear();
  return true;
}

}  // namespace endpoint
}  // namespace attach
