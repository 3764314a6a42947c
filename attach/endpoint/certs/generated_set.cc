#include "attach/endpoint/certs/generated_set.h"

#include <algorithm>
#include <utility>

#include "attach/endpoint/certs/cert_inspect.h"
#include "attach/endpoint/certs/client_env.h"
#include "attach/endpoint/certs/issuer.h"
#include "attach/endpoint/certs/pem.h"
#include "attach/endpoint/certs/secure_dir.h"

namespace attach {
namespace endpoint {
namespace certs {
namespace {

constexpr time_t kDay = 24 * 60 * 60;
// Clients in VMs often run with a clock behind: VIC backdated by a day,
// docker-machine by five minutes. A day costs nothing.
constexpr time_t kBackdate = kDay;
constexpr time_t kCaLifetime = 3650 * kDay;
// 825 days: the most Apple platforms accept for a TLS server certificate,
// and long enough that re-issue (at start-up) is rare.
constexpr time_t kLeafLifetime = 825 * kDay;
constexpr time_t kRenewBefore = 30 * kDay;

constexpr char kCaCert[] = "ca.pem";
constexpr char kCaKey[] = "ca-key.pem";
constexpr char kClientDir[] = "client";
constexpr char kEnvFile[] = "env";

struct KeyPair {
  X509Ptr cert;
  EvpPkeyPtr key;
  std::string cert_pem;
};

// One leaf certificate of the set and where it lives.
struct LeafSpec {
  const SecureDir* dir = nullptr;
  const char* cert_name = "";
  const char* key_name = "";
  const char* what = "";  // For messages: "server certificate".
  CertProfile profile = CertProfile::kClient;
  const char* purpose = "";  // OpenSSL's name for the check of `profile`.
  std::string common_name;
  SanSet names;
};

// A CA that cannot be used is for the user to repair or replace.
base::Status CaUnusable(base::Status s, const SecureDir& certs) {
  return std::move(s).Annotate("the CA in " + certs.path() +
                               " cannot be used (remove that directory to "
                               "generate a new set; clients then need the new "
                               "client bundle)");
}

base::Result<KeyPair> Issue(const CertRequest& request, const KeyPair* ca) {
  KeyPair out;
  TETHER_ASSIGN_OR_RETURN(out.key, GenerateKey());
  X509* issuer = ca != nullptr ? ca->cert.get() : nullptr;
  EVP_PKEY* issuer_key = ca != nullptr ? ca->key.get() : out.key.get();
  TETHER_ASSIGN_OR_RETURN(
      out.cert, IssueCertificate(request, out.key.get(), issuer, issuer_key));
  TETHER_ASSIGN_OR_RETURN(out.cert_pem, CertificatePem(out.cert.get()));
  return out;
}

LeafSpec ServerSpec(const SecureDir& dir, const TlsMaterial& material,
                    const std::string& hostname) {
  // Go ignores the CN; it is for people reading the certificate.
  const ListenAddress& api = material.api;
  std::string cn = (api.wildcard ? hostname : api.host).substr(0, 64);
  return LeafSpec{&dir,
                  "server-cert.pem",
                  "server-key.pem",
                  "server certificate",
                  CertProfile::kServer,
                  "ssl_server",
                  cn.empty() ? "attachd" : cn,
                  material.server_names};
}

LeafSpec ClientSpec(const SecureDir& dir) {
  return LeafSpec{&dir,
                  "cert.pem",
                  "key.pem",
                  "client certificate",
                  CertProfile::kClient,
                  "ssl_client",
                  "client",
                  SanSet()};
}

// Writes the key before the certificate: a crash between the two leaves
// a pair that does not match, which the next start re-issues.
base::Status Store(const SecureDir& dir, const char* cert_name,
                   const char* key_name, const KeyPair& pair) {
  TETHER_ASSIGN_OR_RETURN(std::string key_pem, PrivateKeyPem(pair.key.get()));
  TETHER_RETURN_IF_ERROR(dir.Write(key_name, key_pem, 0600));
  return dir.Write(cert_name, pair.cert_pem, 0644);
}

base::Result<KeyPair> CreateCa(const SecureDir& dir,
                               const std::string& hostname, time_t now) {
  // Without ca.pem the set has no CA, whatever else a crash left behind.
  TETHER_RETURN_IF_ERROR(dir.Remove(kCaCert));
  CertRequest request;
  request.profile = CertProfile::kCa;
  // A name per installation, so a user who trusts several can tell them
  // apart; CN is at most 64 characters.
  request.common_name = ("attachd CA " + hostname).substr(0, 64);
  request.not_before = now - kBackdate;
  request.not_after = now + kCaLifetime;
  TETHER_ASSIGN_OR_RETURN(KeyPair ca, Issue(request, nullptr));
  TETHER_RETURN_IF_ERROR(Store(dir, kCaCert, kCaKey, ca));
  return ca;
}

// Reads one file of the set and parses it with `parse`, naming the file
// in errors.
template <typename T, typename Parse>
base::Result<T> ReadParsed(const SecureDir& dir, const char* name, bool secret,
                           Parse parse) {
  TETHER_ASSIGN_OR_RETURN(std::string text, dir.Read(name, secret));
  base::Result<T> parsed = parse(text);
  if (!parsed.ok()) return parsed.TakeStatus().Annotate(dir.PathOf(name));
  return parsed;
}

base::Result<X509Ptr> FirstCertificate(const std::string& text) {
  TETHER_ASSIGN_OR_RETURN(std::vector<X509Ptr> certs, ParseCertificates(text));
  return std::move(certs.front());
}

// The stored pair, or why it cannot serve: kInvalidArgument and kNotFound
// mean "issue a new one"; other codes are for the user to fix.
base::Result<KeyPair> LoadPair(const SecureDir& dir, const char* cert_name,
                               const char* key_name) {
  KeyPair pair;
  TETHER_ASSIGN_OR_RETURN(
      pair.cert, ReadParsed<X509Ptr>(dir, cert_name, false, FirstCertificate));
  TETHER_ASSIGN_OR_RETURN(
      pair.key, ReadParsed<EvpPkeyPtr>(dir, key_name, true, ParsePrivateKey));
  if (!KeyMatches(pair.cert.get(), pair.key.get())) {
    return base::Status::InvalidArgument(
        dir.PathOf(key_name) + " does not match " + dir.PathOf(cert_name));
  }
  TETHER_ASSIGN_OR_RETURN(pair.cert_pem, CertificatePem(pair.cert.get()));
  return pair;
}

bool Replaceable(const base::Status& s) {
  return s.code() == base::Status::Code::kNotFound ||
         s.code() == base::Status::Code::kInvalidArgument;
}

// The CA, loaded or (when there is none, or it is about to expire) new.
base::Result<KeyPair> LoadOrCreateCa(const SecureDir& dir,
                                     const std::string& hostname, time_t now,
                                     std::vector<std::string>* events) {
  // ca.pem alone decides whether there is a CA (CreateCa writes it last).
  base::Result<std::string> ca_text = dir.Read(kCaCert, false);
  if (!ca_text.ok() &&
      ca_text.status().code() == base::Status::Code::kNotFound) {
    events->push_back("generated a new CA: " + dir.PathOf(kCaCert));
    return CreateCa(dir, hostname, now);
  }
  // Unlike a leaf, a damaged CA is not replaced silently: every client
  // bundle handed out depends on it.
  base::Result<KeyPair> ca = LoadPair(dir, kCaCert, kCaKey);
  if (!ca.ok()) return CaUnusable(ca.TakeStatus(), dir);
  if (!IsCa(ca->cert.get())) {
    return CaUnusable(base::Status::InvalidArgument(dir.PathOf(kCaCert) +
                                                    ": not a CA certificate"),
                      dir);
  }
  X509* cert = ca->cert.get();
  if (ExpiresWithin(cert, now, kRenewBefore)) {
    events->push_back("the CA expires on " +
                      FormatTime(X509_get0_notAfter(cert)) +
                      ": generated a new CA; every client needs the new "
                      "client bundle");
    return CreateCa(dir, hostname, now);
  }
  // What is left is "not yet valid": a clock far behind, for the user.
  TETHER_RETURN_IF_ERROR(CheckValidAt(cert, now).Annotate(dir.PathOf(kCaCert)));
  return ca;
}

// Why a stored, matching leaf must be re-issued, or "" when it can serve.
std::string LeafProblem(const LeafSpec& spec, const KeyPair& leaf,
                        const KeyPair& ca, time_t now) {
  X509* cert = leaf.cert.get();
  std::vector<X509Ptr> cas;
  X509_up_ref(ca.cert.get());
  cas.emplace_back(ca.cert.get());
  if (base::Status s = VerifyChain(cert, {}, cas, spec.purpose, now); !s.ok()) {
    return "it does not verify against the CA: " + s.message();
  }
  if (ExpiresWithin(cert, now, kRenewBefore)) {
    return "it expires on " + FormatTime(X509_get0_notAfter(cert));
  }
  if (spec.profile == CertProfile::kServer) {
    SanSet has = SubjectAltNames(cert);
    if (has != spec.names) return "it names " + has.ToString();
  }
  return std::string();
}

// The leaf of `spec`: reused when it still fits, else issued anew.
base::Result<KeyPair> LoadOrIssueLeaf(const LeafSpec& spec, const KeyPair& ca,
                                      time_t now,
                                      std::vector<std::string>* events) {
  base::Result<KeyPair> stored =
      LoadPair(*spec.dir, spec.cert_name, spec.key_name);
  std::string problem;
  if (stored.ok()) {
    problem = LeafProblem(spec, *stored, ca, now);
    if (problem.empty()) return stored;
  } else if (!Replaceable(stored.status())) {
    return stored.TakeStatus();
  } else if (stored.status().code() != base::Status::Code::kNotFound) {
    problem = stored.status().message();
  }
  CertRequest request;
  request.profile = spec.profile;
  request.common_name = spec.common_name;
  request.names = spec.names;
  request.not_before = now - kBackdate;
  // A leaf never outlives its CA.
  request.not_after = std::min(now + kLeafLifetime, NotAfter(ca.cert.get()));
  TETHER_ASSIGN_OR_RETURN(KeyPair leaf, Issue(request, &ca));
  TETHER_RETURN_IF_ERROR(Store(*spec.dir, spec.cert_name, spec.key_name, leaf));
  std::string event =
      std::string(problem.empty() ? "issued the " : "re-issued the ") +
      spec.what + " " + spec.dir->PathOf(spec.cert_name);
  if (spec.profile == CertProfile::kServer) {
    event += " for " + spec.names.ToString();
  }
  if (!problem.empty()) event += " (" + problem + ")";
  events->push_back(event);
  return leaf;
}

// Rewrites `name` only when its contents differ, so a restart with the
// same options changes no byte and no mtime.
base::Status WriteIfChanged(const SecureDir& dir, const char* name,
                            const std::string& data,
                            std::vector<std::string>* events) {
  base::Result<std::string> old = dir.Read(name, false);
  if (old.ok() && *old == data) return base::Status::Ok();
  if (!old.ok() && !Replaceable(old.status())) return old.TakeStatus();
  TETHER_RETURN_IF_ERROR(dir.Write(name, data, 0644));
  events->push_back("wrote " + dir.PathOf(name));
  return base::Status::Ok();
}

}  // namespace

base::Result<TlsMaterial> PrepareGeneratedSet(const std::string& state_dir,
                                              const std::string& hostname,
                                              TlsMaterial material,
                                              time_t now) {
  TETHER_ASSIGN_OR_RETURN(SecureDir certs, SecureDir::Open(state_dir, "certs"));
  TETHER_ASSIGN_OR_RETURN(SecureDir client, certs.OpenChild(kClientDir));
  std::vector<std::string>& events = material.events;

  TETHER_ASSIGN_OR_RETURN(KeyPair ca,
                          LoadOrCreateCa(certs, hostname, now, &events));
  LeafSpec server = ServerSpec(certs, material, hostname);
  TETHER_ASSIGN_OR_RETURN(KeyPair served,
                          LoadOrIssueLeaf(server, ca, now, &events));
  TETHER_RETURN_IF_ERROR(
      LoadOrIssueLeaf(ClientSpec(client), ca, now, &events).status());
  TETHER_RETURN_IF_ERROR(WriteIfChanged(client, kCaCert, ca.cert_pem, &events));
  TETHER_RETURN_IF_ERROR(WriteIfChanged(
      client, kEnvFile,
      EnvFileText(material.mode, material.docker_host, client.path()),
      &events));

  material.generated = true;
  material.ca_file = certs.PathOf(kCaCert);
  material.cert_file = certs.PathOf(server.cert_name);
  material.key_file = certs.PathOf(server.key_name);
  material.client_dir = client.path();
  material.env_file = client.PathOf(kEnvFile);
  auto creds = std::make_shared<Credentials>();
  creds->cert = std::move(served.cert);
  creds->key = std::move(served.key);
  creds->client_cas.push_back(std::move(ca.cert));
  material.credentials = std::move(creds);
  return material;
}

}  // namespace certs
}  // namespace endpoint
}  // namespace attach
