#include "attach/endpoint/admin/tar_gz.h"

#include <cstdio>
#include <cstring>

namespace attach {
namespace endpoint {
namespace admin {
namespace {

constexpr size_t kBlock = 512;
constexpr size_t kOutPiece = 64 * 1024;
// Largest size in ustar's 11 octal digits.
constexpr uint64_t kMaxOctalSize = (uint64_t{1} << 33) - 1;

void Octal(char* field, size_t width, uint64_t value) {
  // width - 1 digits, zero-padded, and a NUL; callers keep value in range.
  field[width - 1] = '\0';
  for (size_t i = width - 1; i-- > 0;) {
    field[i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
}

// GNU tar's base-256: the top bit of the first byte set, the rest
// big-endian.
void Base256(char* field, size_t width, uint64_t value) {
  std::memset(field, 0, width);
  for (size_t i = width; i-- > 1 && value != 0;) {
    field[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  field[0] = static_cast<char>(0x80);
}

}  // namespace

base::Result<std::string> TarHeader(const std::string& name, uint64_t size,
                                    int64_t mtime, uint32_t mode) {
  if (name.empty() || name.find('\0') != std::string::npos) {
    return base::Status::InvalidArgument("tar: bad entry name");
  }
  std::string prefix;
  std::string base = name;
  if (name.size() > 100) {
    // ustar: prefix (<= 155) + '/' + name (<= 100).
    size_t cut = name.rfind('/', 155);
    if (cut == std::string::npos || cut == 0 || name.size() - cut - 1 > 100 ||
        name.size() - cut - 1 == 0) {
      return base::Status::InvalidArgument("tar: name too long: " + name);
    }
    prefix = name.substr(0, cut);
    base = name.substr(cut + 1);
  }
  std::string h(kBlock, '\0');
  char* p = &h[0];
  std::memcpy(p, base.data(), base.size());
  Octal(p + 100, 8, mode & 07777);
  Octal(p + 108, 8, 0);  // uid
  Octal(p + 116, 8, 0);  // gid
  if (size <= kMaxOctalSize) {
    Octal(p + 124, 12, size);
  } else {
    Base256(p + 124, 12, size);
  }
  Octal(p + 136, 12, mtime < 0 ? 0 : static_cast<uint64_t>(mtime));
  p[156] = '0';  // Regular file.
  std::memcpy(p + 257, "ustar", 6);
  std::memcpy(p + 263, "00", 2);
  std::memcpy(p + 265, "root", 4);
  std::memcpy(p + 297, "root", 4);
  std::memcpy(p + 345, prefix.data(), prefix.size());
  // The checksum is computed with its own field as spaces.
  std::memset(p + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::snprintf(p + 148, 7, "%06o", sum);
  p[154] = '\0';
  p[155] = ' ';
  return h;
}

base::Result<std::unique_ptr<TarGzWriter>> TarGzWriter::Create(int level) {
  std::unique_ptr<TarGzWriter> w(new TarGzWriter());
  // 15 window bits + 16: a gzip wrapper rather than zlib's.
  if (deflateInit2(&w->z_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return base::Status::Internal("zlib: deflateInit2 failed");
  }
  w->z_ready_ = true;
  return w;
}

TarGzWriter::~TarGzWriter() {
  if (z_ready_) deflateEnd(&z_);
}

base::Status TarGzWriter::Deflate(std::string_view data, int flush) {
  z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z_.avail_in = static_cast<uInt>(data.size());
  bytes_in_ += data.size();
  do {
    size_t before = out_.size();
    out_.resize(before + kOutPiece);
    z_.next_out = reinterpret_cast<Bytef*>(&out_[before]);
    z_.avail_out = kOutPiece;
    int rc = deflate(&z_, flush);
    out_.resize(before + kOutPiece - z_.avail_out);
    if (rc == Z_STREAM_ERROR) {
      return base::Status::Internal("zlib: deflate failed");
    }
    if (rc == Z_STREAM_END) break;
  } while (z_.avail_in > 0 || z_.avail_out == 0);
  return base::Status::Ok();
}

base::Status TarGzWriter::Zeros(uint64_t n) {
  static const char kZeros[kBlock] = {};
  while (n > 0) {
    size_t piece = n < kBlock ? static_cast<size_t>(n) : kBlock;
    TETHER_RETURN_IF_ERROR(
        Deflate(std::string_view(kZeros, piece), Z_NO_FLUSH));
    n -= piece;
  }
  return base::Status::Ok();
}

base::Status TarGzWriter::BeginFile(const std::string& name, uint64_t size,
                                    int64_t mtime, uint32_t mode) {
  if (open_ || finished_) {
    return base::Status::InvalidArgument("tar: an entry is still open");
  }
  TETHER_ASSIGN_OR_RETURN(std::string header,
                          TarHeader(name, size, mtime, mode));
  TETHER_RETURN_IF_ERROR(Deflate(header, Z_NO_FLUSH));
  open_ = true;
  size_ = size;
  remaining_ = size;
  return base::Status::Ok();
}

base::Status TarGzWriter::Write(std::string_view data) {
  if (!open_ || data.size() > remaining_) {
    return base::Status::InvalidArgument("tar: more data than declared");
  }
  remaining_ -= data.size();
  return Deflate(data, Z_NO_FLUSH);
}

base::Status TarGzWriter::EndFile() {
  if (!open_) return base::Status::InvalidArgument("tar: no entry is open");
  TETHER_RETURN_IF_ERROR(Zeros(remaining_));
  remaining_ = 0;
  open_ = false;
  uint64_t tail = size_ % kBlock;
  return Zeros(tail == 0 ? 0 : kBlock - tail);
}

base::Status TarGzWriter::Finish() {
  if (open_) TETHER_RETURN_IF_ERROR(EndFile());
  if (finished_) return base::Status::Ok();
  TETHER_RETURN_IF_ERROR(Zeros(2 * kBlock));
  finished_ = true;
  return Deflate(std::string_view(), Z_FINISH);
}

std::string TarGzWriter::TakeOutput() {
  std::string out;
  out.swap(out_);
  return out;
}

}  // namespace admin
}  // namespace endpoint
}  // namespace attach
