#include "attach/sync_preamble.h"

#include <cstdio>
#include <cstring>

namespace attach {
namespace {

bool IsValidLine(const std::string& line) {  // Without its '\n'.
  const size_t prefix = sizeof(kSyncPrefix) - 1;
  if (line.size() != prefix + 16) return false;
  if (line.compare(0, prefix, kSyncPrefix) != 0) return false;
  for (size_t i = prefix; i < line.size(); ++i) {
    char c = line[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

base::Status TooMuch() {
  return base::Status::InvalidArgument(
      "sync preamble: no TETHER-SYNC line in " + std::to_string(kSyncMaxScan) +
      " bytes");
}

}  // namespace

std::string SyncLine(uint64_t nonce) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%s%016llx\n", kSyncPrefix,
                static_cast<unsigned long long>(nonce));
  return buf;
}

base::Result<std::optional<SyncScanner::Found>> SyncScanner::Feed(
    std::string_view data) {
  for (size_t i = 0; i < data.size(); ++i) {
    if (++scanned_ > kSyncMaxScan) return TooMuch();
    char c = data[i];
    if (c != '\n') {
      if (overlong_) continue;
      line_.push_back(c);
      if (line_.size() > kSyncMaxLine) {
        overlong_ = true;
        line_.clear();
      }
      continue;
    }
    bool valid = !overlong_ && IsValidLine(line_);
    overlong_ = false;
    if (valid) {
      Found f;
      f.line = line_ + "\n";
      f.rest = std::string(data.substr(i + 1));
      line_.clear();
      scanned_ = 0;
      return std::optional<Found>(std::move(f));
    }
    line_.clear();
  }
  return std::optional<Found>();
}

base::Result<std::optional<std::string>> SyncEchoWaiter::Feed(
    std::string_view data) {
  scanned_ += data.size();
  buf_.append(data.data(), data.size());
  if (!echoed_) {
    size_t at = buf_.find(expected_);
    if (at == std::string::npos) {
      if (scanned_ > kSyncMaxScan) return TooMuch();
      // Keep only what could still begin the expected line.
      if (buf_.size() > expected_.size()) {
        buf_.erase(0, buf_.size() - expected_.size());
      }
      return std::optional<std::string>();
    }
    echoed_ = true;
    buf_.erase(0, at + expected_.size());
  }
  size_t banner = buf_.find("SSH-");
  if (banner == std::string::npos) {
    if (scanned_ > kSyncMaxScan) return TooMuch();
    if (buf_.size() > 3) buf_.erase(0, buf_.size() - 3);
    return std::optional<std::string>();
  }
  std::string rest = buf_.substr(banner);
  buf_.clear();
  return std::optional<std::string>(std::move(rest));
}

}  // namespace attach
