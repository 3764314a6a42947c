#include "attach/endpoint/certs/cert_inspect.h"

#include <openssl/x509_vfy.h>
#include <sys/socket.h>

#include <cstring>

#include "attach/endpoint/certs/openssl_error.h"

namespace attach {
namespace endpoint {
namespace certs {
namespace {

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string();
}

}  // namespace

std::string FormatTime(const ASN1_TIME* t) {
  struct tm tm = {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return "(bad time)";
  char buf[32];
  strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string NameLine(const X509_NAME* name) {
  BioPtr out(BIO_new(BIO_s_mem()));
  if (!out || X509_NAME_print_ex(out.get(), name, 0, XN_FLAG_RFC2253) < 0) {
    ClearOpenSslErrors();
    return "";
  }
  return BioText(out.get());
}

base::Status CheckValidAt(X509* cert, time_t now) {
  if (X509_cmp_time(X509_get0_notBefore(cert), &now) > 0) {
    return base::Status::InvalidArgument("not valid before " +
                                         FormatTime(X509_get0_notBefore(cert)) +
                                         " (check the clock)");
  }
  if (X509_cmp_time(X509_get0_notAfter(cert), &now) < 0) {
    return base::Status::InvalidArgument("expired on " +
                                         FormatTime(X509_get0_notAfter(cert)));
  }
  return base::Status::Ok();
}

time_t NotAfter(X509* cert) {
  struct tm tm = {};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) return 0;
  return timegm(&tm);
}

bool ExpiresWithin(X509* cert, time_t now, time_t seconds) {
  time_t limit = now + seconds;
  return X509_cmp_time(X509_get0_notAfter(cert), &limit) <= 0;
}

bool IsCa(X509* cert) {
  // X509_check_ca is 1 only for basicConstraints CA:TRUE with keyCertSign
  // allowed; its other non-zero answers are v1 and Netscape leftovers.
  return X509_check_ca(cert) == 1;
}

bool AllowsUsage(X509* cert, int eku_nid) {
  int crit = 0;
  ExtendedKeyUsagePtr eku(static_cast<EXTENDED_KEY_USAGE*>(
      X509_get_ext_d2i(cert, NID_ext_key_usage, &crit, nullptr)));
  if (!eku) return crit == -1;  // -1: absent; otherwise unparsable.
  for (int i = 0; i < sk_ASN1_OBJECT_num(eku.get()); ++i) {
    int nid = OBJ_obj2nid(sk_ASN1_OBJECT_value(eku.get(), i));
    if (nid == eku_nid || nid == NID_anyExtendedKeyUsage) return true;
  }
  return false;
}

bool KeyMatches(X509* cert, EVP_PKEY* key) {
  bool match = X509_check_private_key(cert, key) == 1;
  ClearOpenSslErrors();
  return match;
}

bool HasWeakSignature(X509* cert) {
  int md = NID_undef;
  if (X509_get_signature_info(cert, &md, nullptr, nullptr, nullptr) != 1) {
    ClearOpenSslErrors();
    return false;
  }
  return md == NID_sha1 || md == NID_md5 || md == NID_md5_sha1;
}

SanSet SubjectAltNames(X509* cert) {
  SanSet set;
  GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
    if (gn->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* s = gn->d.iPAddress;
      base::IpAddress ip;
      int len = ASN1_STRING_length(s);
      if (len != 4 && len != 16) continue;
      ip.family = len == 4 ? AF_INET : AF_INET6;
      std::memcpy(ip.bytes.data(), ASN1_STRING_get0_data(s), len);
      set.AddIp(ip);
    } else if (gn->type == GEN_DNS) {
      const ASN1_IA5STRING* s = gn->d.dNSName;
      std::string name(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                       static_cast<size_t>(ASN1_STRING_length(s)));
      // A name SanSet would not make cannot match a required name anyway.
      (void)set.Add(name);
    }
  }
  ClearOpenSslErrors();
  return set;
}

base::Status VerifyChain(X509* leaf, const std::vector<X509Ptr>& intermediates,
                         const std::vector<X509Ptr>& cas, const char* purpose,
                         time_t now) {
  X509StorePtr store(X509_STORE_new());
  X509StackPtr untrusted(sk_X509_new_null());
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!store || !untrusted || !ctx) return OpenSslError("verify");
  for (const X509Ptr& ca : cas) {
    if (X509_STORE_add_cert(store.get(), ca.get()) != 1) {
      return OpenSslError("verify: add CA");
    }
  }
  for (const X509Ptr& cert : intermediates) {
    if (sk_X509_push(untrusted.get(), cert.get()) == 0) {
      return OpenSslError("verify: add intermediate");
    }
  }
  if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get()) != 1 ||
      X509_STORE_CTX_set_default(ctx.get(), purpose) != 1) {
    return OpenSslError("verify");
  }
  X509_STORE_CTX_set_time(ctx.get(), 0, now);
  int ok = X509_verify_cert(ctx.get());
  ClearOpenSslErrors();
  if (ok == 1) return base::Status::Ok();
  int err = X509_STORE_CTX_get_error(ctx.get());
  return base::Status::InvalidArgument(X509_verify_cert_error_string(err));
}

}  // namespace certs
}  // namespace endpoint
}  // namespace attach
