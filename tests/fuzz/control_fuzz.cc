// Fuzzes everything that reads bytes from the other end of the attach
// link: frame splitting, control and client message parsing, and both
// halves of the sync preamble.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "attach/frame.h"
#include "attach/link/preamble.h"
#include "attach/sync_preamble.h"
#include "client.pb.h"
#include "control.pb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  attach::FrameReader reader;
  // Feed in two uneven pieces to exercise partial frames.
  size_t half = size / 3;
  reader.Append(in.data(), half);
  for (int round = 0; round < 2; ++round) {
    for (;;) {
      auto next = reader.Next();
      if (!next.ok() || !next->has_value()) break;
      tether::attach::Envelope env;
      (void)attach::ParseFrame(**next, &env, "control");
      tether::attach::Request req;
      (void)attach::ParseFrame(**next, &req, "client");
      tether::attach::Response resp;
      (void)attach::ParseFrame(**next, &resp, "client");
    }
    if (round == 0) reader.Append(in.data() + half, size - half);
  }
  attach::SyncScanner scanner;
  (void)scanner.Feed(in.substr(0, half));
  (void)scanner.Feed(in.substr(half));
  attach::SyncEchoWaiter waiter(attach::SyncLine(0x0123456789abcdefULL));
  (void)waiter.Feed(in.substr(0, half));
  (void)waiter.Feed(in.substr(half));
  attach::PreBannerFilter banner;
  std::string passed;
  (void)banner.Feed(in.substr(0, half), &passed);
  (void)banner.Feed(in.substr(half), &passed);
  return 0;
}
