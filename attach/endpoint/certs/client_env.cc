#include "attach/endpoint/certs/client_env.h"

namespace attach {
namespace endpoint {
namespace certs {

std::string ShellQuote(const std::string& value) {
  bool plain = !value.empty();
  for (char c : value) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (c >= '0' && c <= '9') ||
                std::string("/._-:+=@%,[]").find(c) != std::string::npos;
    if (!safe) plain = false;
  }
  if (plain) return value;
  std::string out = "'";
  for (char c : value) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

std::string EnvFileText(TlsMode mode, const std::string& docker_host,
                        const std::string& cert_path) {
  const bool verify = mode == TlsMode::kVerify;
  std::string out = std::string("# attachd Docker API, TLS mode ") +
                    TlsModeName(mode) + ". Use: source " +
                    ShellQuote(cert_path + "/env") + "\n";
  out += "export DOCKER_HOST=" + ShellQuote(docker_host) + "\n";
  if (verify) {
    out += "export DOCKER_TLS_VERIFY=1\n";
  } else {
    // Any value of DOCKER_TLS_VERIFY, even 0, would make the CLI verify.
    out += "unset DOCKER_TLS_VERIFY\nexport DOCKER_TLS=1\n";
  }
  // The CLI wants ca.pem here even with DOCKER_TLS alone.
  out += "export DOCKER_CERT_PATH=" + ShellQuote(cert_path) + "\n";
  return out;
}

std::string ConnectHintFor(const TlsMaterial& m) {
  const std::string host = "-H " + m.docker_host;
  switch (m.mode) {
    case TlsMode::kOff:
      return "connect with: docker " + host +
             " version (plain HTTP: anyone "
             "who can reach the port controls attachd)";
    case TlsMode::kVerify:
      if (m.generated) {
        return "connect with: DOCKER_CERT_PATH=" + ShellQuote(m.client_dir) +
               " docker --tlsverify " + host + " version, or: source " +
               ShellQuote(m.env_file);
      }
      return "connect with: docker --tlsverify --tlscacert " +
             ShellQuote(m.ca_file) +
             " --tlscert CLIENT-CERT --tlskey "
             "CLIENT-KEY " +
             host +
             " version (a client certificate signed "
             "by that CA)";
    case TlsMode::kServer:
      if (m.generated) {
        return "connect with: DOCKER_CERT_PATH=" + ShellQuote(m.client_dir) +
               " docker --tls " + host + " version, or: source " +
               ShellQuote(m.env_file);
      }
      return "connect with: docker --tls --tlscacert " +
             ShellQuote(m.ca_file.empty() ? m.cert_file : m.ca_file) + " " +
             host + " version (the CLI reads that file even with --tls)";
  }
  return "";
}

}  // namespace certs
}  // namespace endpoint
}  // namespace attach
