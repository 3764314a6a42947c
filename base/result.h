// Result<T>: a T or the Status that explains why there is none.
//
// C++17 has no std::expected; this is the small subset the project uses.
// A Result built from an OK Status is a programming error and is turned into
// an kInternal error rather than an empty value, so callers can rely on
// "ok() == has a value".
#ifndef TETHER_BASE_RESULT_H_
#define TETHER_BASE_RESULT_H_

#include <cstdlib>
#include <optional>
#include <utility>

#include "base/status.h"

namespace base {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design.
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) status_ = Status::Internal("Result built from OK status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  // Moves the error out; only meaningful when !ok().
  Status TakeStatus() { return std::move(status_); }

  // Accessors require ok(); calling them otherwise aborts (a bug, not input).
  T& value() & { return Checked(); }
  const T& value() const& { return const_cast<Result*>(this)->Checked(); }
  T&& value() && { return std::move(Checked()); }
  T* operator->() { return &Checked(); }
  const T* operator->() const { return &const_cast<Result*>(this)->Checked(); }
  T& operator*() & { return Checked(); }
  const T& operator*() const& { return const_cast<Result*>(this)->Checked(); }

 private:
  T& Checked() {
    if (!value_) std::abort();
    return *value_;
  }
  std::optional<T> value_;
  Status status_;
};

// Assigns the value of a Result expression to `lhs` or returns its Status.
#define TETHER_ASSIGN_OR_RETURN(lhs, expr) \
  TETHER_ASSIGN_OR_RETURN_IMPL_(TETHER_CONCAT_(result_, __LINE__), lhs, expr)
#define TETHER_CONCAT_INNER_(a, b) a##b
#define TETHER_CONCAT_(a, b) TETHER_CONCAT_INNER_(a, b)
#define TETHER_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.TakeStatus();             \
  lhs = std::move(tmp).value()

}  // namespace base

#endif  // TETHER_BASE_RESULT_H_
