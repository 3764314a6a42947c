// OpenSSL's error queue as a base::Status.
#ifndef TETHER_ATTACH_ENDPOINT_CERTS_OPENSSL_ERROR_H_
#define TETHER_ATTACH_ENDPOINT_CERTS_OPENSSL_ERROR_H_

#include <string>

#include "base/status.h"

namespace attach {
namespace endpoint {
namespace certs {

// Drains this thread's OpenSSL error queue into one line:
// "context: <reason of the earliest error>". The earliest entry is the
// cause; later ones are the layers that passed it up. The queue is left
// empty so a stale error never leaks into the next operation's message.
// The code is kInternal (a failed call on our own objects is a bug or an
// exhausted resource) or, when asked, kInvalidArgument (bad input).
base::Status OpenSslError(
    const std::string& context,
    base::Status::Code code = base::Status::Code::kInternal);

// Empties this thread's OpenSSL error queue.
void ClearOpenSslErrors();

}  // namespace certs
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CERTS_OPENSSL_ERROR_H_
