/* libssh2's build configuration for Debian 12 / glibc on Linux, written
 * by hand in place of the one its own CMake or configure would generate
 * (src/libssh2_config_cmake.h.in lists every symbol). The crypto back-end
 * (LIBSSH2_SODIUM) comes from ../CMakeLists.txt; what it compiles out is
 * in src/sodium.h. */
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

#endif  /* TETHER_THIRD_PARTY_LIBSSH2_CONFIG_H_ */
