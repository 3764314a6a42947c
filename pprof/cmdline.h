// The /debug/pprof/cmdline endpoint's data: this process's argv with
// secrets taken out, since a profile may be handed to anyone.
//
// Redacted (each replaced by "<redacted>"):
//   - the value of a flag whose name mentions a secret (key, identity,
//     secret, token, password, passwd, credential, auth, private):
//     "--identity-key=X", or the argument after "--key";
//   - the value of an environment-style "NAME=VALUE" argument whose NAME
//     mentions one of those words ("SSH_PRIVATE_KEY=...", "DB_PASSWORD=");
//   - any argument holding a PEM or OpenSSH private key block.
// A boolean flag with such a name also hides the argument after it; too
// much redaction is the safe mistake.
#ifndef TETHER_PPROF_CMDLINE_H_
#define TETHER_PPROF_CMDLINE_H_

#include <string>
#include <string_view>
#include <vector>

namespace pprof {

constexpr char kRedacted[] = "<redacted>";

std::vector<std::string> RedactArgs(const std::vector<std::string>& argv);

// This process's argv from /proc/self/cmdline; empty if unreadable.
std::vector<std::string> ReadOwnArgs();

// Whether a flag or variable name (any case, any punctuation) names a
// secret.
bool NamesSecret(std::string_view name);

}  // namespace pprof

#endif  // TETHER_PPROF_CMDLINE_H_
