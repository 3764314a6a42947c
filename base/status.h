// Status: the result of an operation that can fail, carried as a value.
//
// Modelled on leveldb::Status with crun's error wrapping: the place that
// fails builds the Status (with errno when there is one) and every caller on
// the way up may Annotate() it with its own context, so the final message
// reads like "session web: exec \"/bin/x\": No such file or directory".
// The message is formatted once, where it is reported.
//
// An OK Status allocates nothing. Status is cheap to move and copyable.
#ifndef TETHER_BASE_STATUS_H_
#define TETHER_BASE_STATUS_H_

#include <memory>
#include <string>

namespace base {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,  // Bad input: config, flag, message. Never retried.
    kNotFound,         // A named thing does not exist (file, user, key).
    kIoError,          // A system call failed; errno() says why.
    kPermissionDenied,
    kUnavailable,      // Try again later (endpoint away, resource busy).
    kInternal,         // A bug or an impossible state.
    kConflict,         // Refused in the current state: a name in use, a
                       // running container (docker's 409).
  };

  Status() = default;  // OK.
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return Status(Code::kInvalidArgument, 0, std::move(msg));
  }
  static Status NotFound(std::string msg) {
    return Status(Code::kNotFound, 0, std::move(msg));
  }
  static Status PermissionDenied(std::string msg) {
    return Status(Code::kPermissionDenied, 0, std::move(msg));
  }
  static Status Unavailable(std::string msg) {
    return Status(Code::kUnavailable, 0, std::move(msg));
  }
  static Status Internal(std::string msg) {
    return Status(Code::kInternal, 0, std::move(msg));
  }
  static Status Conflict(std::string msg) {
    return Status(Code::kConflict, 0, std::move(msg));
  }
  // Any code with an errno; for callers that must choose the code themselves
  // (a failed chdir before exec is not "command not found").
  static Status FromErrno(Code code, std::string context, int err);
  // A failed system call: "context: strerror(err)". The code is derived from
  // err (ENOENT -> kNotFound, EACCES/EPERM -> kPermissionDenied, EAGAIN ->
  // kUnavailable, everything else kIoError) and err itself is kept.
  static Status Io(std::string context, int err);
  // kIoError without an errno: a tool or library that failed and said why.
  static Status IoError(std::string msg) {
    return Status(Code::kIoError, 0, std::move(msg));
  }

  bool ok() const { return rep_ == nullptr; }
  Code code() const { return rep_ ? rep_->code : Code::kOk; }
  // The errno behind an kIoError-like status, or 0.
  int error_number() const { return rep_ ? rep_->err : 0; }
  // The message without the code name: "ctx: ctx2: detail".
  std::string message() const { return rep_ ? rep_->msg : std::string(); }
  // "OK" or the message; used for logs and user-facing errors.
  std::string ToString() const { return ok() ? "OK" : rep_->msg; }

  // Prefixes the message with "context: ". No-op on OK. Returns *this so a
  // caller can write `return s.Annotate("mount /proc");`.
  Status& Annotate(const std::string& context) &;
  Status&& Annotate(const std::string& context) &&;

 private:
  struct Rep {
    Code code;
    int err;
    std::string msg;
  };
  Status(Code code, int err, std::string msg);

  std::unique_ptr<Rep> rep_;  // Null means OK.
};

// Returns early with the Status of `expr` when it is not OK.
#define TETHER_RETURN_IF_ERROR(expr)           \
  do {                                         \
    ::base::Status tether_status_ = (expr);    \
    if (!tether_status_.ok()) return tether_status_; \
  } while (0)

}  // namespace base

#endif  // TETHER_BASE_STATUS_H_
