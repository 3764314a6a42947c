// Fuzzes what attachd reads back from its state directory: session logs
// (the recovery scan, the backward walk of `logs --tail`, random-access
// record reads) and the container config and status documents. A log on
// disk is outside input too: a crash or a disk can leave anything there.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "attach/endpoint/containers/container_record.h"
#include "attach/endpoint/containers/log_format.h"
#include "attach/endpoint/containers/log_reader.h"

namespace {

using attach::endpoint::LogPos;
using attach::endpoint::MemorySource;
using attach::endpoint::RecordRef;
using attach::endpoint::RecordScanner;

void ScanAndTail(std::string_view bytes) {
  MemorySource source(bytes);
  RecordScanner scanner(&source);
  if (!scanner.Start().ok()) return;
  RecordRef ref;
  uint64_t records = 0;
  for (;;) {
    base::Result<bool> more = scanner.Next(&ref);
    if (!more.ok() || !*more) break;
    // Every record the scan accepts reads back the same at its position.
    base::Result<RecordRef> again = attach::endpoint::ReadRecordAt(&source, ref.pos);
    if (!again.ok() || again->end_pos() != ref.end_pos()) __builtin_trap();
    ++records;
  }
  if (scanner.valid_end() > bytes.size()) __builtin_trap();
  // The tail walk over the valid prefix, as `logs --tail` does after
  // recovery, must succeed and find a position inside it (or the end of
  // the file header, for a log that has none yet).
  MemorySource valid(bytes.substr(0, scanner.valid_end()));
  uint64_t limit = valid.size() > attach::endpoint::kLogFileHeaderBytes
                       ? valid.size()
                       : attach::endpoint::kLogFileHeaderBytes;
  for (uint64_t lines : {uint64_t{0}, uint64_t{1}, uint64_t{3}, records + 1}) {
    base::Result<LogPos> pos = attach::endpoint::FindTailStart(&valid, lines);
    if (!pos.ok() || pos->record > limit) __builtin_trap();
  }
  // Unchecked positions, as a reader resuming mid-log might use.
  for (uint64_t at = 0; at < bytes.size() && at < 4096; at += 7) {
    (void)attach::endpoint::ReadRecordAt(&source, at);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  ScanAndTail(in);
  (void)attach::endpoint::DecodeStatus(in);
  (void)attach::endpoint::DecodeRecord(in);
  // A header the record decoder sees on its own.
  if (size >= attach::endpoint::kRecordHeaderBytes) {
    (void)attach::endpoint::DecodeRecordHeader(in.data());
  }
  return 0;
}
