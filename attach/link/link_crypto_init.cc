// libcrypto's initialisation as the static tether needs it: the base
// only. OpenSSL's own OPENSSL_init_crypto (crypto/init.c) can load
// openssl.cnf, every error string, every legacy cipher and digest name,
// engines (with dlopen), async jobs and zlib, so a static link that calls
// it carries all of those, about 400 KB, although the tether turns each
// one off (docs/vm-image.md "A lean tether"). Defining the three functions
// of that archive member here makes the linker take these instead and
// leave the member, and what only it reaches, out.
//
// What the tether gives up is what it never used: no configuration file
// is read (a container's openssl.cnf must not reach PID 1 anyway), errors
// carry codes but no reason strings, and nothing is looked up in the
// legacy name tables (the vendored libssh2 names its digests directly,
// third_party/libssh2/patches/0004). Algorithms come from the link's own
// provider (link_crypto_provider.cc).
//
// OpenSSL 3.0's internal entry points used below are checked by version;
// linked as an object into static executables only, with that provider.
#include <openssl/crypto.h>
#include <openssl/opensslv.h>

#if OPENSSL_VERSION_MAJOR != 3 || OPENSSL_VERSION_MINOR != 0
#error "link_crypto_init.cc replaces OpenSSL 3.0's crypto/init.c: re-check it"
#endif

extern "C" {

// crypto/cryptlib.c and crypto/initthread.c (OpenSSL 3.0).
void __real_OPENSSL_cpuid_setup(void);
int ossl_init_thread(void);

// libcrypto's x86_64cpuid.o calls OPENSSL_cpuid_setup from the .init
// section, before main, in every run of every program linked with it: a
// dozen `cpuid` instructions, each a trap to the hypervisor in a VM, paid
// by `tether -- /bin/true` too. The tether links with
// --wrap=OPENSSL_cpuid_setup, so that call lands here and does nothing;
// InitBase runs the real one before any algorithm does.
void __wrap_OPENSSL_cpuid_setup(void) {}

}  // extern "C"

namespace {

CRYPTO_ONCE g_base_once = CRYPTO_ONCE_STATIC_INIT;
bool g_base_ok = false;

// What crypto/init.c's ossl_init_base does that matters here: the CPU
// capability bits (AES-NI, SHA extensions...) and the per-thread state
// that libcrypto's error queue and DRBGs hang off.
void InitBase() noexcept {
  __real_OPENSSL_cpuid_setup();
  g_base_ok = ossl_init_thread() != 0;
}

}  // namespace

// Every libcrypto function that needs the library calls this first, with
// the parts it wants; all but the base are accepted and skipped.
extern "C" int OPENSSL_init_crypto(uint64_t /*opts*/,
                                   const OPENSSL_INIT_SETTINGS* /*settings*/) {
  return CRYPTO_THREAD_run_once(&g_base_once, &InitBase) && g_base_ok ? 1 : 0;
}

// The tether never unloads libcrypto: the kernel frees it all at exit, so
// nothing is registered to run then.
extern "C" void OPENSSL_cleanup(void) {}

extern "C" int OPENSSL_atexit(void (*/*handler*/)(void)) { return 1; }
