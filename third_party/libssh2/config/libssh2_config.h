/* libssh2's build configuration for Debian 12 / glibc on Linux, written
 * by hand in place of the one its own CMake or configure would generate
 * (src/libssh2_config_cmake.h.in lists every symbol). The crypto backend
 * (OpenSSL) and LIBSSH2_LIBRARY come from ../CMakeLists.txt. */
#ifndef TETHER_THIRD_PARTY_LIBSSH2_CONFIG_H_
#define TETHER_THIRD_PARTY_LIBSSH2_CONFIG_H_

#define HAVE_UNISTD_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_SYS_SELECT_H 1
#define HAVE_SYS_UIO_H 1
#define HAVE_SYS_SOCKET_H 1
#define HAVE_SYS_IOCTL_H 1
#define HAVE_SYS_TIME_H 1
#define HAVE_SYS_UN_H 1
#define HAVE_ARPA_INET_H 1
#define HAVE_NETINET_IN_H 1

#define HAVE_GETTIMEOFDAY 1
#define HAVE_STRTOLL 1
#define HAVE_SNPRINTF 1
#define HAVE_EXPLICIT_BZERO 1
#define HAVE_POLL 1
#define HAVE_O_NONBLOCK 1

/* The algorithms the tether's link never negotiates (README.tether.md:
 * ed25519 keys, curve25519 kex, AES-GCM/CTR, HMAC-SHA2) are compiled out,
 * so libssh2 neither offers them nor references their OpenSSL code, which
 * the static tether's libcrypto provider does not carry anyway
 * (attach/link/link_crypto_provider.cc). openssl.h reads these. ECDSA
 * stays: 1.11.1's curve25519 kex shares its code (kex.c). */
#define OPENSSL_NO_RSA
#define OPENSSL_NO_DSA
#define OPENSSL_NO_DES
#define OPENSSL_NO_BF
#define OPENSSL_NO_CAST
#define OPENSSL_NO_RC4
#define OPENSSL_NO_RIPEMD

#endif  /* TETHER_THIRD_PARTY_LIBSSH2_CONFIG_H_ */
