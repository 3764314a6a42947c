#include "attach/endpoint/certs/openssl_error.h"

#include <openssl/err.h>

namespace attach {
namespace endpoint {
namespace certs {

base::Status OpenSslError(const std::string& context, base::Status::Code code) {
  unsigned long first = ERR_get_error();
  ClearOpenSslErrors();
  std::string msg = context;
  if (first != 0) {
    const char* reason = ERR_reason_error_string(first);
    msg += ": ";
    msg += reason != nullptr ? reason : "OpenSSL error";
  }
  if (code == base::Status::Code::kInvalidArgument) {
    return base::Status::InvalidArgument(msg);
  }
  return base::Status::Internal(msg);
}

void ClearOpenSslErrors() { ERR_clear_error(); }

}  // namespace certs
}  // namespace endpoint
}  // namespace attach
