// The backdoor message protocol against an emulated VMware host, and the
// CPUID guard in front of the real port.
#include "guestinfo/rpci_backdoor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "guestinfo/limits.h"
#include "tests/fakes/fake_rpci.h"

namespace guestinfo {
namespace {

using Code = base::Status::Code;

// The host side of open-vm-tools' lib/message over one backdoor port,
// answering RPCI requests with FakeRpci's logic.
class FakeVmxPort : public BackdoorPort {
 public:
  enum Type : uint16_t {
    kOpen,
    kSendSize,
    kSendPayload,
    kRecvSize,
    kRecvPayload,
    kRecvStatus,
    kClose
  };

  void Call(BackdoorRegs* r) override {
    EXPECT_EQ(r->eax, kBackdoorMagic);
    EXPECT_EQ(r->edx & 0xffff, kBackdoorPort);
    EXPECT_EQ(r->ecx & 0xffff, 0x1Eu);
    uint16_t type = r->ecx >> 16;
    types.push_back(type);
    int index = calls++;
    bool cpt = always_checkpoint || index == checkpoint_at;
    if (cpt && type != kOpen && type != kClose) return SetStatus(r, 0x0010);
    if (type == kOpen) return Open(r);
    auto it = chans.find(static_cast<uint16_t>(r->edx >> 16));
    if (it == chans.end() || it->second.cookie_high != r->esi ||
        it->second.cookie_low != r->edi) {
      return SetStatus(r, 0);
    }
    Chan& ch = it->second;
    switch (type) {
      case kSendSize:
        ch.in.clear();
        ch.expected = r->ebx;
        if (ch.expected == 0) Answer(&ch);
        return SetStatus(r, 1);
      case kSendPayload:
        for (int k = 0; k < 4 && ch.in.size() < ch.expected; ++k) {
          ch.in.push_back(static_cast<char>(r->ebx >> (8 * k)));
        }
        if (ch.in.size() == ch.expected) Answer(&ch);
        return SetStatus(r, 1);
      case kRecvSize:
        if (!ch.has_reply) return SetStatus(r, 1);
        r->ebx = reply_size_override ? reply_size_override : ch.out.size();
        r->edx = (uint32_t{kSendSize} << 16) | kBackdoorPort;
        return SetStatus(r, 1 | 2);
      case kRecvPayload: {
        uint32_t word = 0;
        for (int k = 0; k < 4 && ch.pos < ch.out.size(); ++k, ++ch.pos) {
          word |= uint32_t{static_cast<uint8_t>(ch.out[ch.pos])} << (8 * k);
        }
        r->ebx = word;
        r->edx = (uint32_t{kSendPayload} << 16) | kBackdoorPort;
        return SetStatus(r, 1);
      }
      case kRecvStatus:
        ch.has_reply = false;
        return SetStatus(r, 1);
      case kClose:
        chans.erase(it);
        return SetStatus(r, 1);
    }
    SetStatus(r, 0);
  }

  fakes::FakeRpci host;
  std::vector<uint16_t> types;
  bool cookies = true;
  bool refuse_open = false;
  bool always_checkpoint = false;
  int checkpoint_at = -1;
  uint32_t reply_size_override = 0;
  size_t open_channels() const { return chans.size(); }

 private:
  struct Chan {
    uint32_t cookie_high = 0, cookie_low = 0;
    std::string in, out;
    size_t expected = 0, pos = 0;
    bool has_reply = false;
  };

  static void SetStatus(BackdoorRegs* r, uint16_t status) {
    r->ecx = uint32_t{status} << 16;
  }

  void Open(BackdoorRegs* r) {
    bool wants_cookie = (r->ebx & 0x80000000u) != 0;
    if (refuse_open || (r->ebx & 0x7fffffffu) != 0x49435052u ||
        (wants_cookie && !cookies)) {
      return SetStatus(r, 0);
    }
    uint16_t id = next_id++;
    Chan& ch = chans[id];
    if (wants_cookie) {
      ch.cookie_high = 0xC00C1E00u + id;
      ch.cookie_low = 0xBADF00Du;
    }
    r->edx = (uint32_t{id} << 16) | kBackdoorPort;
    r->esi = ch.cookie_high;
    r->edi = ch.cookie_low;
    SetStatus(r, 1);
  }

  void Answer(Chan* ch) {
    host.requests.push_back(ch->in);
    ch->out = host.Reply(ch->in);
    ch->pos = 0;
    ch->has_reply = true;
  }

  std::map<uint16_t, Chan> chans;
  uint16_t next_id = 7;
  int calls = 0;
};

TEST(BackdoorRpci, InfoGetRoundTrip) {
  FakeVmxPort port;
  port.host.values["guestinfo.tether.config"] = "{\"version\": 1} odd";
  BackdoorRpciChannel channel(port);
  EXPECT_EQ(*InfoGet(channel, "guestinfo.tether.config"),
            "{\"version\": 1} odd");
  EXPECT_EQ(port.host.requests.back(), "info-get guestinfo.tether.config");
  EXPECT_EQ(port.open_channels(), 0u);  // Closed after the exchange.
  EXPECT_EQ(port.types.front(), FakeVmxPort::kOpen);
  EXPECT_EQ(port.types.back(), FakeVmxPort::kClose);
}

TEST(BackdoorRpci, EveryLengthModuloFourSurvives) {
  FakeVmxPort port;
  BackdoorRpciChannel channel(port);
  for (size_t n = 0; n < 9; ++n) {
    std::string value(n, 'v');
    value += "end";
    ASSERT_TRUE(
        InfoSet(channel, "guestinfo.k" + std::to_string(n), value).ok());
    EXPECT_EQ(*InfoGet(channel, "guestinfo.k" + std::to_string(n)), value);
  }
}

TEST(BackdoorRpci, NoValueFound) {
  FakeVmxPort port;
  BackdoorRpciChannel channel(port);
  EXPECT_EQ(InfoGet(channel, "guestinfo.none").status().code(),
            Code::kNotFound);
}

TEST(BackdoorRpci, FallsBackWithoutCookies) {
  FakeVmxPort port;
  port.cookies = false;
  port.host.values["guestinfo.a"] = "b";
  BackdoorRpciChannel channel(port);
  EXPECT_EQ(*InfoGet(channel, "guestinfo.a"), "b");
}

TEST(BackdoorRpci, RetriesAfterACheckpoint) {
  FakeVmxPort port;
  port.host.values["guestinfo.a"] = "b";
  port.checkpoint_at = 3;  // open, size, payload, *payload*.
  BackdoorRpciChannel channel(port);
  EXPECT_EQ(*InfoGet(channel, "guestinfo.a"), "b");
  EXPECT_EQ(
      std::count(port.types.begin(), port.types.end(), FakeVmxPort::kOpen), 2);
  EXPECT_EQ(port.open_channels(), 0u);
}

TEST(BackdoorRpci, GivesUpAfterThreeCheckpoints) {
  FakeVmxPort port;
  port.always_checkpoint = true;
  BackdoorRpciChannel channel(port);
  base::Result<std::string> r = channel.Send("info-get guestinfo.a");
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_EQ(r.status().ToString(),
            "vmware backdoor: interrupted by checkpoints 3 times");
}

TEST(BackdoorRpci, RefusedOpen) {
  FakeVmxPort port;
  port.refuse_open = true;
  BackdoorRpciChannel channel(port);
  EXPECT_EQ(channel.Send("info-get x").status().ToString(),
            "vmware backdoor: cannot open an RPCI channel");
}

TEST(BackdoorRpci, OversizedReplyIsRefused) {
  FakeVmxPort port;
  port.reply_size_override = 2 * kMaxConfigBytes + 1;
  BackdoorRpciChannel channel(port);
  EXPECT_EQ(channel.Send("info-get x").status().ToString(),
            "vmware backdoor: RPCI exchange failed");
  EXPECT_EQ(port.open_channels(), 0u);
}

TEST(VmwareDetect, OnlyTheVmwareVendorCounts) {
  EXPECT_TRUE(IsVmware({true, "VMwareVMware"}));
  EXPECT_FALSE(IsVmware({false, "VMwareVMware"}));
  EXPECT_FALSE(IsVmware({true, "KVMKVMKVM"}));
  EXPECT_FALSE(IsVmware({true, "TCGTCGTCGTCG"}));
  EXPECT_FALSE(IsVmware({}));
  EXPECT_EQ(DescribeHypervisor({true, "KVMKVMKVM"}),
            "hypervisor \"KVMKVMKVM\"");
  EXPECT_EQ(DescribeHypervisor({}), "no hypervisor");
  EXPECT_EQ(DescribeHypervisor({true, "VMwareVMware"}), "VMware");
}

TEST(VmwareDetect, RealCpuidIsConsistent) {
  HypervisorId id = ReadHypervisorId();
  if (!id.present) {
    EXPECT_EQ(id.vendor, "");
  }
  EXPECT_LE(id.vendor.size(), 12u);
}

TEST(OpenVmwareRpci, RefusesWithoutVmwareAndNeverTouchesThePort) {
  base::Result<std::unique_ptr<RpciChannel>> ch =
      OpenVmwareRpci({true, "KVMKVMKVM"});
  ASSERT_FALSE(ch.ok());
  EXPECT_EQ(ch.status().code(), Code::kUnavailable);
  EXPECT_EQ(ch.status().ToString(),
            "vmware: not a VMware guest (hypervisor \"KVMKVMKVM\")");
  // On this very machine: only a real VMware guest gets a channel, so the
  // test run itself proves the guard (a backdoor `in` elsewhere faults).
  HypervisorId here = ReadHypervisorId();
  EXPECT_EQ(OpenVmwareRpci(here).ok(), IsVmware(here));
}

}  // namespace
}  // namespace guestinfo
