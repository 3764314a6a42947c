#include "guestinfo/rpci_backdoor.h"

#include "guestinfo/limits.h"

namespace guestinfo {

using base::Result;
using base::Status;

namespace {

constexpr uint16_t kCmdMessage = 0x1E;

// ECX high half on the way in: the message step.
enum MessageType : uint16_t {
  kOpen = 0,
  kSendSize = 1,
  kSendPayload = 2,
  kRecvSize = 3,
  kRecvPayload = 4,
  kRecvStatus = 5,
  kClose = 6,
};

// ECX high half on the way out: status bits.
constexpr uint16_t kStatusSuccess = 0x0001;
constexpr uint16_t kStatusDoRecv = 0x0002;
constexpr uint16_t kStatusCheckpoint = 0x0010;

constexpr uint32_t kProtocolRpci = 0x49435052;
constexpr uint32_t kFlagCookie = 0x80000000;

constexpr int kAttempts = 3;
constexpr size_t kMaxReply = 2 * kMaxConfigBytes;

struct Channel {
  uint16_t id = 0;
  uint32_t cookie_high = 0;
  uint32_t cookie_low = 0;
};

// Outcome of one protocol step: success, a checkpoint (retry all), or a
// failure with a reason.
enum class Step { kOk, kRetry, kFailed };

class Exchange {
 public:
  explicit Exchange(BackdoorPort& port) : port_(port) {}

  BackdoorRegs Call(MessageType type, const Channel& ch, uint32_t ebx) {
    BackdoorRegs r;
    r.eax = kBackdoorMagic;
    r.ebx = ebx;
    r.ecx = (uint32_t{type} << 16) | kCmdMessage;
    r.edx = (uint32_t{ch.id} << 16) | kBackdoorPort;
    r.esi = ch.cookie_high;
    r.edi = ch.cookie_low;
    port_.Call(&r);
    return r;
  }

  static uint16_t StatusOf(const BackdoorRegs& r) { return r.ecx >> 16; }

  static Step Check(const BackdoorRegs& r) {
    uint16_t status = StatusOf(r);
    if (status & kStatusSuccess) return Step::kOk;
    return (status & kStatusCheckpoint) ? Step::kRetry : Step::kFailed;
  }

  bool Open(Channel* ch) {
    // Cookies guard the channel against other processes guessing its id;
    // hosts too old to know them refuse the flag, so ask again without.
    for (uint32_t flags : {kFlagCookie, 0u}) {
      BackdoorRegs r = Call(kOpen, Channel{}, kProtocolRpci | flags);
      if (StatusOf(r) & kStatusSuccess) {
        ch->id = static_cast<uint16_t>(r.edx >> 16);
        ch->cookie_high = r.esi;
        ch->cookie_low = r.edi;
        return true;
      }
    }
    return false;
  }

  Step SendMessage(const Channel& ch, std::string_view data) {
    Step step = Check(Call(kSendSize, ch, static_cast<uint32_t>(data.size())));
    for (size_t i = 0; step == Step::kOk && i < data.size(); i += 4) {
      uint32_t word = 0;  // Little-endian, zero-padded at the end.
      for (size_t k = 0; k < 4 && i + k < data.size(); ++k) {
        word |= uint32_t{static_cast<uint8_t>(data[i + k])} << (8 * k);
      }
      step = Check(Call(kSendPayload, ch, word));
    }
    return step;
  }

  Step Receive(const Channel& ch, std::string* out) {
    BackdoorRegs r = Call(kRecvSize, ch, 0);
    Step step = Check(r);
    if (step != Step::kOk) return step;
    // The host must announce a message of type "send size".
    if (!(StatusOf(r) & kStatusDoRecv) || (r.edx >> 16) != kSendSize ||
        r.ebx > kMaxReply) {
      return Step::kFailed;
    }
    size_t size = r.ebx;
    out->clear();
    out->reserve(size);
    while (out->size() < size) {
      r = Call(kRecvPayload, ch, kStatusSuccess);
      if ((step = Check(r)) != Step::kOk) return step;
      if ((r.edx >> 16) != kSendPayload) return Step::kFailed;
      for (int k = 0; k < 4 && out->size() < size; ++k) {
        out->push_back(static_cast<char>((r.ebx >> (8 * k)) & 0xff));
      }
    }
    return Check(Call(kRecvStatus, ch, kStatusSuccess));
  }

  void Close(const Channel& ch) { Call(kClose, ch, 0); }

 private:
  BackdoorPort& port_;
};

Status Failure(const char* what) {
  return Status::Unavailable(std::string("vmware backdoor: ") + what);
}

#if defined(__x86_64__)
class RealBackdoorPort : public BackdoorPort {
 public:
  void Call(BackdoorRegs* r) override {
    // The hypervisor reads and writes all six registers; "memory" keeps
    // the compiler from caching anything across the trap.
    __asm__ __volatile__("inl %%dx, %%eax"
                         : "+a"(r->eax), "+b"(r->ebx), "+c"(r->ecx),
                           "+d"(r->edx), "+S"(r->esi), "+D"(r->edi)
                         :
                         : "memory");
  }
};

class RealRpciChannel : public RpciChannel {
 public:
  Result<std::string> Send(std::string_view request) override {
    return channel_.Send(request);
  }

 private:
  RealBackdoorPort port_;
  BackdoorRpciChannel channel_{port_};
};
#endif

}  // namespace

Result<std::string> BackdoorRpciChannel::Send(std::string_view request) {
  if (request.size() > kMaxReply) return Failure("request too large");
  Exchange ex(port_);
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    Channel ch;
    if (!ex.Open(&ch)) return Failure("cannot open an RPCI channel");
    std::string reply;
    Step step = ex.SendMessage(ch, request);
    if (step == Step::kOk) step = ex.Receive(ch, &reply);
    ex.Close(ch);
    if (step == Step::kOk) return reply;
    if (step == Step::kFailed) return Failure("RPCI exchange failed");
  }
  return Failure("interrupted by checkpoints 3 times");
}

Result<std::unique_ptr<RpciChannel>> OpenVmwareRpci(
    const HypervisorId& hypervisor) {
  if (!IsVmware(hypervisor)) {
    return Status::Unavailable("vmware: not a VMware guest (" +
                               DescribeHypervisor(hypervisor) + ")");
  }
#if defined(__x86_64__)
  return std::unique_ptr<RpciChannel>(new RealRpciChannel());
#else
  return Status::Unavailable("vmware: no backdoor on this architecture");
#endif
}

}  // namespace guestinfo
