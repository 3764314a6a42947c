#include "attach/endpoint/certs/custom_set.h"

#include <utility>

#include "attach/endpoint/certs/cert_inspect.h"
#include "attach/endpoint/certs/pem.h"
#include "attach/endpoint/certs/secure_dir.h"

namespace attach {
namespace endpoint {
namespace certs {
namespace {

constexpr time_t kSoon = 30 * 24 * 60 * 60;

std::string Flag(const char* flag, const std::string& path) {
  return std::string(flag) + " " + path;
}

base::Status CheckComplete(const TlsOptions& o) {
  if (!o.cert_file.empty() && o.key_file.empty()) {
    return base::Status::InvalidArgument(
        "--tlscert is given without --tlskey: give the server's private key "
        "too");
  }
  if (o.cert_file.empty() && !o.key_file.empty()) {
    return base::Status::InvalidArgument(
        "--tlskey is given without --tlscert: give the server certificate "
        "too");
  }
  if (o.cert_file.empty()) {
    return base::Status::InvalidArgument(
        "--tlscacert is given without --tlscert and --tlskey: attachd cannot "
        "issue its server certificate from a CA whose key it does not have");
  }
  if (o.mode == TlsMode::kVerify && o.ca_file.empty()) {
    return base::Status::InvalidArgument(
        "--api-tls verify needs --tlscacert, the CA that client certificates "
        "must be signed by (or give none of --tlscacert/--tlscert/--tlskey "
        "and attachd generates a set)");
  }
  return base::Status::Ok();
}

// Reads and parses the file of `flag`; `mode` receives its permissions.
template <typename T, typename Parse>
base::Result<T> LoadFile(const char* flag, const std::string& path, Parse parse,
                         mode_t* mode = nullptr) {
  base::Result<UserFile> file = ReadUserFile(path);
  if (!file.ok()) return file.TakeStatus().Annotate(Flag(flag, path));
  if (mode != nullptr) *mode = file->mode;
  base::Result<T> parsed = parse(file->text);
  if (!parsed.ok()) return parsed.TakeStatus().Annotate(Flag(flag, path));
  return parsed;
}

base::Status CheckCas(const std::string& path, const std::vector<X509Ptr>& cas,
                      time_t now) {
  for (size_t i = 0; i < cas.size(); ++i) {
    X509* ca = cas[i].get();
    std::string which = cas.size() > 1
                            ? "certificate " + std::to_string(i + 1) + " (" +
                                  NameLine(X509_get_subject_name(ca)) + ")"
                            : "the certificate";
    if (!IsCa(ca)) {
      return base::Status::InvalidArgument(
          Flag("--tlscacert", path) + ": " + which +
          " is not a CA (it needs basicConstraints CA:TRUE and, with "
          "keyUsage, keyCertSign)");
    }
    TETHER_RETURN_IF_ERROR(
        CheckValidAt(ca, now).Annotate(Flag("--tlscacert", path)));
  }
  return base::Status::Ok();
}

base::Status CheckServerCert(const TlsOptions& o, const Credentials& c,
                             time_t now) {
  const std::string cert_flag = Flag("--tlscert", o.cert_file);
  if (!KeyMatches(c.cert.get(), c.key.get())) {
    return base::Status::InvalidArgument(
        Flag("--tlskey", o.key_file) +
        ": the key does not match the certificate in " + cert_flag);
  }
  TETHER_RETURN_IF_ERROR(CheckValidAt(c.cert.get(), now).Annotate(cert_flag));
  if (!AllowsUsage(c.cert.get(), NID_server_auth)) {
    return base::Status::InvalidArgument(
        cert_flag +
        ": its extendedKeyUsage lacks serverAuth, so TLS clients refuse it");
  }
  if (c.client_cas.empty()) return base::Status::Ok();
  base::Status s =
      VerifyChain(c.cert.get(), c.chain, c.client_cas, "ssl_server", now);
  if (!s.ok()) {
    return base::Status::InvalidArgument(
        cert_flag + ": not signed by the CA in " +
        Flag("--tlscacert", o.ca_file) + ": " + s.message());
  }
  return base::Status::Ok();
}

// What will make clients fail without stopping attachd.
std::vector<std::string> Warnings(const TlsOptions& o,
                                  const TlsMaterial& material, mode_t key_mode,
                                  time_t now) {
  std::vector<std::string> out;
  X509* cert = material.credentials->cert.get();
  const std::string cert_flag = Flag("--tlscert", o.cert_file);
  std::vector<std::string> hosts = o.extra_names;
  hosts.insert(hosts.begin(), material.api.ClientHost());
  if (material.server_names.empty()) {
    out.push_back(cert_flag +
                  " has no subjectAltName: Go clients such as the docker CLI "
                  "ignore the Common Name and will refuse it");
  } else {
    for (const std::string& host : hosts) {
      if (!material.server_names.Matches(host)) {
        out.push_back(cert_flag + " does not name " + host +
                      ": docker --tlsverify -H " + host +
                      " will refuse it (it names " +
                      material.server_names.ToString() + ")");
      }
    }
  }
  if (HasWeakSignature(cert)) {
    out.push_back(cert_flag +
                  " is signed with SHA-1 or MD5, which Go refuses since 1.18");
  }
  if (ExpiresWithin(cert, now, kSoon)) {
    out.push_back(cert_flag + " expires on " +
                  FormatTime(X509_get0_notAfter(cert)));
  }
  if ((key_mode & 077) != 0) {
    out.push_back(Flag("--tlskey", o.key_file) +
                  " can be read by other users; chmod 600 it");
  }
  return out;
}

}  // namespace

bool HasCustomFiles(const TlsOptions& o) {
  return !o.ca_file.empty() || !o.cert_file.empty() || !o.key_file.empty();
}

base::Result<TlsMaterial> PrepareCustomSet(const TlsOptions& o,
                                           TlsMaterial material, time_t now) {
  TETHER_RETURN_IF_ERROR(CheckComplete(o));
  auto creds = std::make_shared<Credentials>();
  mode_t key_mode = 0;
  TETHER_ASSIGN_OR_RETURN(std::vector<X509Ptr> chain,
                          LoadFile<std::vector<X509Ptr>>(
                              "--tlscert", o.cert_file, ParseCertificates));
  creds->cert = std::move(chain.front());
  for (size_t i = 1; i < chain.size(); ++i) {
    creds->chain.push_back(std::move(chain[i]));
  }
  TETHER_ASSIGN_OR_RETURN(
      creds->key,
      LoadFile<EvpPkeyPtr>("--tlskey", o.key_file, ParsePrivateKey, &key_mode));
  if (!o.ca_file.empty()) {
    TETHER_ASSIGN_OR_RETURN(creds->client_cas,
                            LoadFile<std::vector<X509Ptr>>(
                                "--tlscacert", o.ca_file, ParseCertificates));
    TETHER_RETURN_IF_ERROR(CheckCas(o.ca_file, creds->client_cas, now));
  }
  TETHER_RETURN_IF_ERROR(CheckServerCert(o, *creds, now));

  material.generated = false;
  material.ca_file = o.ca_file;
  material.cert_file = o.cert_file;
  material.key_file = o.key_file;
  material.server_names = SubjectAltNames(creds->cert.get());
  material.credentials = std::move(creds);
  material.warnings = Warnings(o, material, key_mode, now);
  return material;
}

}  // namespace certs
}  // namespace endpoint
}  // namespace attach
