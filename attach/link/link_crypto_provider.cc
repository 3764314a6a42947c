// The OpenSSL provider of the static tether: only the algorithms the attach
// link runs (docs/protocol.md §2, third_party/libssh2/README.tether.md).
//
// OpenSSL 3 finds every algorithm through a provider, and its built-in
// "default" provider lists all of them (hundreds: ARIA, Camellia, SM2, DSA,
// every KDF, key encoders and decoders...) in tables that reference every
// implementation, so a static link that uses any algorithm carries them
// all: about 2.5 MB of the tether's 7 MB. libcrypto reads its list of
// built-in providers from the array `ossl_predefined_providers`; this file
// defines that array, so the linker takes it from here and never pulls
// libcrypto's own member (crypto/provider_predefined.c), and with it the
// default provider's tables and everything they reach. What stays is this
// provider under the name "default": the same implementations OpenSSL
// uses, built into Debian's libcrypto.a, listed for the link's algorithms:
//
//   kex         curve25519-sha256      X25519 keymgmt and keyexch, SHA-256
//   host key    ssh-ed25519            ED25519 keymgmt and signature
//   ciphers     aes{128,256}-gcm, -ctr AES-{128,256}-GCM, AES-{128,256}-CTR
//   MACs        hmac-sha2-{256,512}    HMAC, SHA-256, SHA-512
//   fingerprints (libssh2 computes all three) MD5, SHA-1, SHA-256
//   random      RAND_bytes             CTR-DRBG (AES-256-CTR and -ECB),
//                                      SEED-SRC
//
// Anything else fetched in the tether fails as an algorithm OpenSSL does
// not have ("unsupported"), never silently. The identity key is parsed by
// libssh2's own OpenSSH-format reader, which needs no decoder.
//
// This relies on libcrypto.a's internal symbols (the `ossl_*_functions`
// dispatch tables and the provider-context helpers), stable within OpenSSL
// 3.0, the version Debian 12 ships; the OpenSSL version is checked at
// compile time below. attach_link_crypto runs every algorithm listed here
// through a static link like the tether's, tether_static_link checks from
// the link map that the default provider is gone, and the attach tests run
// the link through it. Linked as an object into static executables
// only (attach_link_static_crypto() in CMake): with a shared libcrypto the
// symbols below are not exported and the library keeps its own table.
#include <openssl/core.h>
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/opensslv.h>
#include <openssl/params.h>

#if OPENSSL_VERSION_MAJOR != 3 || OPENSSL_VERSION_MINOR != 0
#error "link_crypto_provider.cc names OpenSSL 3.0 internals: re-check them"
#endif

extern "C" {

// libcrypto.a internals (OpenSSL 3.0: providers/implementations/, and
// providers/common/provider_ctx.c, provider_seeding.c).
extern const OSSL_DISPATCH ossl_md5_functions[];
extern const OSSL_DISPATCH ossl_sha1_functions[];
extern const OSSL_DISPATCH ossl_sha256_functions[];
extern const OSSL_DISPATCH ossl_sha512_functions[];
extern const OSSL_DISPATCH ossl_aes128ctr_functions[];
extern const OSSL_DISPATCH ossl_aes256ctr_functions[];
extern const OSSL_DISPATCH ossl_aes256ecb_functions[];
extern const OSSL_DISPATCH ossl_aes128gcm_functions[];
extern const OSSL_DISPATCH ossl_aes256gcm_functions[];
extern const OSSL_DISPATCH ossl_hmac_functions[];
extern const OSSL_DISPATCH ossl_drbg_ctr_functions[];
extern const OSSL_DISPATCH ossl_seed_src_functions[];
extern const OSSL_DISPATCH ossl_x25519_keymgmt_functions[];
extern const OSSL_DISPATCH ossl_ed25519_keymgmt_functions[];
extern const OSSL_DISPATCH ossl_x25519_keyexch_functions[];
extern const OSSL_DISPATCH ossl_ed25519_signature_functions[];

struct prov_ctx_st;
prov_ctx_st* ossl_prov_ctx_new(void);
void ossl_prov_ctx_free(prov_ctx_st* ctx);
void ossl_prov_ctx_set0_libctx(prov_ctx_st* ctx, OSSL_LIB_CTX* libctx);
void ossl_prov_ctx_set0_handle(prov_ctx_st* ctx,
                               const OSSL_CORE_HANDLE* handle);
int ossl_prov_seeding_from_dispatch(const OSSL_DISPATCH* fns);
int ossl_prov_is_running(void);

// crypto/provider_predefined.c's entry, laid out as include/internal/
// provider.h's OSSL_PROVIDER_INFO of 3.0 (40 bytes: name, path, init,
// parameters, is_fallback).
struct OsslProviderInfo {
  const char* name;
  const char* path;
  OSSL_provider_init_fn* init;
  void* parameters;
  unsigned int is_fallback : 1;
};
extern const OsslProviderInfo ossl_predefined_providers[];

}  // extern "C"

namespace {

constexpr char kProps[] = "provider=default";

// Names as OpenSSL's providers/implementations/include/prov/names.h gives
// them: libcrypto fetches by any of them (EVP_aes_128_gcm() by its short
// name "id-aes128-GCM", HMAC's digest parameter by "SHA256"...).
const OSSL_ALGORITHM kDigests[] = {
    {"SHA1:SHA-1:SSL3-SHA1:1.3.14.3.2.26", kProps, ossl_sha1_functions, ""},
    {"SHA2-256:SHA-256:SHA256:2.16.840.1.101.3.4.2.1", kProps,
     ossl_sha256_functions, ""},
    {"SHA2-512:SHA-512:SHA512:2.16.840.1.101.3.4.2.3", kProps,
     ossl_sha512_functions, ""},
    {"MD5:SSL3-MD5:1.2.840.113549.2.5", kProps, ossl_md5_functions, ""},
    {nullptr, nullptr, nullptr, nullptr}};

const OSSL_ALGORITHM kCiphers[] = {
    {"AES-128-CTR", kProps, ossl_aes128ctr_functions, ""},
    {"AES-256-CTR", kProps, ossl_aes256ctr_functions, ""},
    {"AES-256-ECB:2.16.840.1.101.3.4.1.41", kProps, ossl_aes256ecb_functions,
     ""},
    {"AES-128-GCM:id-aes128-GCM:2.16.840.1.101.3.4.1.6", kProps,
     ossl_aes128gcm_functions, ""},
    {"AES-256-GCM:id-aes256-GCM:2.16.840.1.101.3.4.1.46", kProps,
     ossl_aes256gcm_functions, ""},
    {nullptr, nullptr, nullptr, nullptr}};

const OSSL_ALGORITHM kMacs[] = {{"HMAC", kProps, ossl_hmac_functions, ""},
                                {nullptr, nullptr, nullptr, nullptr}};

const OSSL_ALGORITHM kRands[] = {
    {"CTR-DRBG", kProps, ossl_drbg_ctr_functions, ""},
    {"SEED-SRC", kProps, ossl_seed_src_functions, ""},
    {nullptr, nullptr, nullptr, nullptr}};

const OSSL_ALGORITHM kKeymgmt[] = {
    {"X25519:1.3.101.110", kProps, ossl_x25519_keymgmt_functions, ""},
    {"ED25519:1.3.101.112", kProps, ossl_ed25519_keymgmt_functions, ""},
    {nullptr, nullptr, nullptr, nullptr}};

const OSSL_ALGORITHM kKeyexch[] = {
    {"X25519:1.3.101.110", kProps, ossl_x25519_keyexch_functions, ""},
    {nullptr, nullptr, nullptr, nullptr}};

const OSSL_ALGORITHM kSignature[] = {
    {"ED25519:1.3.101.112", kProps, ossl_ed25519_signature_functions, ""},
    {nullptr, nullptr, nullptr, nullptr}};

const OSSL_ALGORITHM* Query(void*, int operation, int* no_cache) noexcept {
  *no_cache = 0;
  switch (operation) {
    case OSSL_OP_DIGEST:
      return kDigests;
    case OSSL_OP_CIPHER:
      return kCiphers;
    case OSSL_OP_MAC:
      return kMacs;
    case OSSL_OP_RAND:
      return kRands;
    case OSSL_OP_KEYMGMT:
      return kKeymgmt;
    case OSSL_OP_KEYEXCH:
      return kKeyexch;
    case OSSL_OP_SIGNATURE:
      return kSignature;
    default:
      return nullptr;
  }
}

const OSSL_PARAM kGettable[] = {
    OSSL_PARAM_DEFN(OSSL_PROV_PARAM_NAME, OSSL_PARAM_UTF8_PTR, nullptr, 0),
    OSSL_PARAM_DEFN(OSSL_PROV_PARAM_STATUS, OSSL_PARAM_INTEGER, nullptr, 0),
    OSSL_PARAM_END};

const OSSL_PARAM* GettableParams(void*) noexcept { return kGettable; }

int GetParams(void*, OSSL_PARAM params[]) noexcept {
  OSSL_PARAM* p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_NAME);
  if (p != nullptr &&
      !OSSL_PARAM_set_utf8_ptr(p, "OpenSSL Default Provider (tether link)")) {
    return 0;
  }
  p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_STATUS);
  if (p != nullptr && !OSSL_PARAM_set_int(p, ossl_prov_is_running())) {
    return 0;
  }
  return 1;
}

void Teardown(void* provctx) noexcept {
  ossl_prov_ctx_free(static_cast<prov_ctx_st*>(provctx));
}

const OSSL_DISPATCH kDispatch[] = {
    {OSSL_FUNC_PROVIDER_TEARDOWN, reinterpret_cast<void (*)()>(&Teardown)},
    {OSSL_FUNC_PROVIDER_GETTABLE_PARAMS,
     reinterpret_cast<void (*)()>(&GettableParams)},
    {OSSL_FUNC_PROVIDER_GET_PARAMS, reinterpret_cast<void (*)()>(&GetParams)},
    {OSSL_FUNC_PROVIDER_QUERY_OPERATION,
     reinterpret_cast<void (*)()>(&Query)},
    {0, nullptr}};

// What the default provider's init does, less the provider-side BIO that
// only key encoders and decoders use: the implementations find the
// library context and the core's seeding callbacks through the PROV_CTX.
int Init(const OSSL_CORE_HANDLE* handle, const OSSL_DISPATCH* in,
         const OSSL_DISPATCH** out, void** provctx) noexcept {
  if (!ossl_prov_seeding_from_dispatch(in)) return 0;
  OSSL_FUNC_core_get_libctx_fn* get_libctx = nullptr;
  for (; in->function_id != 0; ++in) {
    if (in->function_id == OSSL_FUNC_CORE_GET_LIBCTX) {
      get_libctx = OSSL_FUNC_core_get_libctx(in);
    }
  }
  if (get_libctx == nullptr) return 0;
  prov_ctx_st* ctx = ossl_prov_ctx_new();
  if (ctx == nullptr) return 0;
  ossl_prov_ctx_set0_libctx(ctx, reinterpret_cast<OSSL_LIB_CTX*>(
                                     get_libctx(handle)));
  ossl_prov_ctx_set0_handle(ctx, handle);
  *provctx = ctx;
  *out = kDispatch;
  return 1;
}

}  // namespace

// The one built-in provider, loaded as the fallback as "default" is.
extern "C" const OsslProviderInfo ossl_predefined_providers[] = {
    {"default", nullptr, &Init, nullptr, 1},
    {nullptr, nullptr, nullptr, nullptr, 0}};
