#include "attach/endpoint/certs/client_env.h"

namespace attach {
namespace endpoint {
namespace certs {

std::string ShellQuote(const std::string& value) {
  bool plain = !value.empty();
  for (char c : value) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (c >= '0' && c <= '9') ||
                std::string("/._-:+=@%,").find(c) != std::string::npos;
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
  const std::string prefix = "connect with: ";
  const std::string host = " -H " + m.docker_host + " version";
  const std::string bundle = "DOCKER_CERT_PATH=" + ShellQuote(m.client_dir);
  const std::string source = ", or: source " + ShellQuote(m.env_file);
  switch (m.mode) {
    case TlsMode::kOff:
      return prefix + "docker" + host +
             " (plain HTTP: whoever reaches the port controls attachd)";
    case TlsMode::kVerify:
      if (m.generated) {
        return prefix + bundle + " docker --tlsverify" + host + source;
      }
      return prefix + "docker --tlsverify --tlscacert " +
             ShellQuote(m.ca_file) + " --tlscert CERT --tlskey KEY" + host +
             " (CERT: a client certificate signed by that CA)";
    case TlsMode::kServer:
      if (m.generated) return prefix + bundle + " docker --tls" + host + source;
      // The CLI reads a CA file even with --tls; the server's own
      // certificate will do when the user gave no CA.
      return prefix + "docker --tls --tlscacert " +
             ShellQuote(m.ca_file.empty() ? m.cert_file : m.ca_file) + host;
  }
  return "";
}

}  // namespace certs
}  // namespace endpoint
}  // namespace attach
