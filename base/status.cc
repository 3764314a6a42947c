#include "base/status.h"

#include <cerrno>
#include <cstring>

namespace base {

Status::Status(Code code, int err, std::string msg)
    : rep_(new Rep{code, err, std::move(msg)}) {}

Status::Status(const Status& other)
    : rep_(other.rep_ ? new Rep(*other.rep_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) rep_.reset(other.rep_ ? new Rep(*other.rep_) : nullptr);
  return *this;
}

Status Status::Io(std::string context, int err) {
  Code code = Code::kIoError;
  switch (err) {
    case ENOENT:
      code = Code::kNotFound;
      break;
    case EACCES:
    case EPERM:
      code = Code::kPermissionDenied;
      break;
    case EAGAIN:
      code = Code::kUnavailable;
      break;
    default:
      break;
  }
  return FromErrno(code, std::move(context), err);
}

Status Status::FromErrno(Code code, std::string context, int err) {
  std::string msg = std::move(context);
  if (!msg.empty()) msg += ": ";
  msg += std::strerror(err);
  return Status(code, err, std::move(msg));
}

Status& Status::Annotate(const std::string& context) & {
  if (rep_ && !context.empty()) rep_->msg = context + ": " + rep_->msg;
  return *this;
}

Status&& Status::Annotate(const std::string& context) && {
  Annotate(context);
  return std::move(*this);
}

}  // namespace base
