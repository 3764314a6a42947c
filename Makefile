# Front door. `make demo` and `make test` are all a newcomer needs on a fresh
# Debian 12 machine: both install what is missing first.
BUILD ?= build
JOBS ?= $(shell nproc)

# Debian packages the project needs to build, test, benchmark and fuzz:
# every program a test, benchmark or build script runs that a minimal
# Debian 12 (debootstrap --variant=minbase) lacks. python3: the e2e and
# integration tests' pty and socket helpers and the benchmarks; time:
# /usr/bin/time in the pprof benchmark; bzip2, lzop: kernels compressed so,
# in initramfs/extract_vmlinux.sh. docker.io is there for its CLI,
# /usr/bin/docker, the client the Docker API tests drive (on a systemd host
# it also starts dockerd); python3-docker is the second client they use,
# openssl makes their test certificates. chromium and python3-websocket
# drive the admin portal's browser test (Debian's /usr/bin/python3).
DEPS := cmake make g++ pkg-config file python3 time \
  libuv1-dev libssl-dev zlib1g-dev nlohmann-json3-dev libcli11-dev \
  libssh2-1-dev libssh-dev libsodium-dev libhttp-parser-dev libmnl-dev \
  libprotobuf-dev protobuf-compiler \
  libunwind-dev golang-go curl \
  libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev \
  busybox-static tini dumb-init util-linux iproute2 procps bc socat \
  docker.io python3-docker openssl \
  chromium python3-websocket \
  openssh-client openssh-server \
  linux-image-amd64 qemu-system-x86 cpio xorriso isolinux syslinux-common \
  xz-utils zstd lz4 bzip2 lzop e2fsprogs \
  libarchive-dev libext2fs-dev qemu-utils

.PHONY: all deps build initramfs iso test bench fuzz demo clean

all: build

# Idempotent and quiet when everything is installed.
deps:
	@missing=$$(for p in $(DEPS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The container VM image into $(BUILD)/share/tether (docs/vm-image.md).
initramfs: build
	cmake --build $(BUILD) --target initramfs

iso: build
	cmake --build $(BUILD) --target iso

# A failed test's reasons are repeated after the summary, where a log cut
# in the middle still shows them.
test: build
	cd $(BUILD) && { ctest --output-on-failure -j $(JOBS) || \
	  { python3 $(CURDIR)/tests/ctest_failures.py .; exit 1; }; }

bench: initramfs
	tests/bench/run_all.sh $(BUILD)

fuzz: deps
	cmake -S . -B $(BUILD)/fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DTETHER_FUZZ=ON
	cmake --build $(BUILD)/fuzz -j $(JOBS) --target fuzz_targets
	tests/fuzz/run_all.sh $(BUILD)/fuzz/bin

demo: initramfs
	tests/e2e/demo.sh $(BUILD)/bin $(BUILD)/share/tether

clean:
	rm -rf $(BUILD)
