// The glibc calls a static PID 1 must never make, made to fail at link
// time's choice instead of at run time's (DESIGN §2: no NSS; docs/
// vm-image.md, "A lean tether").
//
// The tether itself calls none of them (tests/os_seam_check.sh), but its
// libraries hold code that could: OpenSSL's BIO socket helpers
// (getaddrinfo, gethostbyname) and DSO loader (dlopen), libuv's
// uv_os_get_passwd (getpwuid_r), pprof's search for a shared libunwind
// (dlopen), libstdc++'s locale conversions (iconv, which loads gconv
// modules with dlopen). In a static glibc program each of those would load shared NSS
// modules or libraries of the build host's glibc at run time, and each
// pulls glibc's NSS, resolver and dynamic loader into the binary (the
// linker's "Using 'dlopen' in statically linked applications" warnings).
//
// base_link_without_nss() in CMake links this object with
// -Wl,--wrap=NAME for each name below: every reference to NAME, in every
// archive, then binds to __wrap_NAME here, and glibc's own is never linked
// (the `tether_static_link` test reads the link map to prove it). Each fails
// the way its manual page allows, so a caller reports an error.
#include <dlfcn.h>
#include <errno.h>
#include <iconv.h>
#include <netdb.h>
#include <pwd.h>
#include <sys/socket.h>

extern "C" {

int __wrap_getaddrinfo(const char*, const char*, const struct addrinfo*,
                       struct addrinfo** res) {
  *res = nullptr;
  return EAI_FAIL;  // "A nonrecoverable error occurred."
}

// Nothing to free: __wrap_getaddrinfo never returns a list.
void __wrap_freeaddrinfo(struct addrinfo*) {}

int __wrap_getnameinfo(const struct sockaddr*, socklen_t, char*, socklen_t,
                       char*, socklen_t, int) {
  return EAI_FAIL;
}

struct hostent* __wrap_gethostbyname(const char*) {
  h_errno = NO_RECOVERY;
  return nullptr;
}

int __wrap_getpwuid_r(uid_t, struct passwd*, char*, size_t,
                      struct passwd** result) {
  *result = nullptr;
  return ENOSYS;
}

void* __wrap_dlopen(const char*, int) { return nullptr; }

// Never reached with a handle, since no dlopen() succeeds; defined so that
// glibc's dynamic-loader entry points stay out of the link too.
void* __wrap_dlsym(void*, const char*) { return nullptr; }
int __wrap_dlclose(void*) { return 0; }
int __wrap_dladdr(const void*, Dl_info*) { return 0; }

// libstdc++'s locale code can convert through iconv, whose glibc
// implementation loads gconv modules with the dynamic loader. The tether
// runs in the "C" locale, which never converts; a conversion asked for
// anyway is one iconv does not support.
iconv_t __wrap_iconv_open(const char*, const char*) {
  errno = EINVAL;
  return reinterpret_cast<iconv_t>(-1);
}

size_t __wrap_iconv(iconv_t, char**, size_t*, char**, size_t*) {
  errno = EBADF;
  return static_cast<size_t>(-1);
}

int __wrap_iconv_close(iconv_t) {
  errno = EBADF;
  return -1;
}

// dlerror() after a failed dlopen() must not return null (OpenSSL's DSO
// prints it); glibc's dlerror() would report no error, since its dlopen()
// never ran.
char* __wrap_dlerror(void) {
  static char message[] = "dlopen is not available in the static tether";
  return message;
}

}  // extern "C"
