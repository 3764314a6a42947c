#include "pprof/elf_symbols.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "base/unique_fd.h"

namespace pprof {
namespace {

// Symbol tables of real binaries are a few MiB at most; anything larger
// is a broken header, not a reason to allocate.
constexpr uint64_t kMaxTableBytes = 256ull << 20;

class ElfFile {
 public:
  ElfFile(base::UniqueFd fd, uint64_t size) : fd_(std::move(fd)), size_(size) {}

  // Reads [offset, offset+len) whole, or fails.
  base::Result<std::string> Read(uint64_t offset, uint64_t len,
                                 const char* what) const {
    if (offset > size_ || len > size_ - offset || len > kMaxTableBytes) {
      return base::Status::InvalidArgument(std::string(what) +
                                           " lies outside the file");
    }
    std::string buf(len, '\0');
    size_t done = 0;
    while (done < len) {
      ssize_t n = ::pread(fd_.get(), buf.data() + done, len - done,
                          static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return base::Status::Io(std::string("read ") + what, errno);
      done += static_cast<size_t>(n);
    }
    return buf;
  }

 private:
  base::UniqueFd fd_;
  uint64_t size_;
};

// Lower is better when two symbols share an address.
int Rank(const Elf64_Sym& sym, const char* name) {
  int rank = 0;
  if (ELF64_ST_BIND(sym.st_info) == STB_LOCAL) rank += 2;
  if (name[0] == '_' && name[1] == '_') rank += 1;
  return rank;
}

void ParseBuildId(const std::string& notes, std::string* out) {
  size_t pos = 0;
  while (pos + sizeof(Elf64_Nhdr) <= notes.size()) {
    Elf64_Nhdr nh;
    std::memcpy(&nh, notes.data() + pos, sizeof(nh));
    pos += sizeof(nh);
    uint64_t name_len = (uint64_t{nh.n_namesz} + 3) & ~uint64_t{3};
    uint64_t desc_len = (uint64_t{nh.n_descsz} + 3) & ~uint64_t{3};
    if (name_len > notes.size() - pos ||
        desc_len > notes.size() - pos - name_len) {
      return;
    }
    if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
        std::memcmp(notes.data() + pos, "GNU", 4) == 0) {
      static const char kHex[] = "0123456789abcdef";
      const auto* d =
          reinterpret_cast<const unsigned char*>(notes.data() + pos + name_len);
      out->clear();
      for (uint32_t i = 0; i < nh.n_descsz; ++i) {
        *out += kHex[d[i] >> 4];
        *out += kHex[d[i] & 15];
      }
      return;
    }
    pos += name_len + desc_len;
  }
}

base::Status ReadTable(const ElfFile& f, const std::vector<Elf64_Shdr>& shdrs,
                       const Elf64_Shdr& table, ElfSymbols* out) {
  if (table.sh_link >= shdrs.size() || table.sh_entsize != sizeof(Elf64_Sym)) {
    return base::Status::InvalidArgument("bad symbol table header");
  }
  const Elf64_Shdr& strhdr = shdrs[table.sh_link];
  TETHER_ASSIGN_OR_RETURN(std::string syms,
                          f.Read(table.sh_offset, table.sh_size, "symbols"));
  TETHER_ASSIGN_OR_RETURN(
      std::string strs, f.Read(strhdr.sh_offset, strhdr.sh_size, "strings"));
  std::vector<std::pair<ElfSymbol, int>> found;
  for (size_t off = 0; off + sizeof(Elf64_Sym) <= syms.size();
       off += sizeof(Elf64_Sym)) {
    Elf64_Sym s;
    std::memcpy(&s, syms.data() + off, sizeof(s));
    int type = ELF64_ST_TYPE(s.st_info);
    if ((type != STT_FUNC && type != STT_GNU_IFUNC) || s.st_value == 0 ||
        s.st_shndx == SHN_UNDEF || s.st_name >= strs.size()) {
      continue;
    }
    const char* name = strs.data() + s.st_name;
    size_t len = strnlen(name, strs.size() - s.st_name);
    if (len == 0 || len == strs.size() - s.st_name) continue;
    found.push_back({ElfSymbol{s.st_value, s.st_size, std::string(name, len)},
                     Rank(s, name)});
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    if (a.first.value != b.first.value) return a.first.value < b.first.value;
    return a.second < b.second;
  });
  for (auto& entry : found) {
    if (!out->functions.empty() &&
        out->functions.back().value == entry.first.value) {
      continue;  // An alias; the better-ranked name came first.
    }
    out->functions.push_back(std::move(entry.first));
  }
  return base::Status::Ok();
}

}  // namespace

base::Result<ElfSymbols> ReadElfSymbols(const std::string& path) {
  base::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return base::Status::Io("open " + path, errno);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return base::Status::Io("stat " + path, errno);
  ElfFile f(std::move(fd), static_cast<uint64_t>(st.st_size));

  TETHER_ASSIGN_OR_RETURN(std::string eh, f.Read(0, sizeof(Elf64_Ehdr), "header"));
  Elf64_Ehdr hdr;
  std::memcpy(&hdr, eh.data(), sizeof(hdr));
  if (std::memcmp(hdr.e_ident, ELFMAG, SELFMAG) != 0 ||
      hdr.e_ident[EI_CLASS] != ELFCLASS64 ||
      hdr.e_ident[EI_DATA] != ELFDATA2LSB) {
    return base::Status::InvalidArgument(path + ": not a 64-bit ELF file");
  }
  if (hdr.e_shentsize != sizeof(Elf64_Shdr) || hdr.e_shnum == 0) {
    return ElfSymbols();  // No section table: nothing to name.
  }
  TETHER_ASSIGN_OR_RETURN(
      std::string sh, f.Read(hdr.e_shoff, uint64_t{hdr.e_shnum} * sizeof(Elf64_Shdr),
                             "section headers"));
  std::vector<Elf64_Shdr> shdrs(hdr.e_shnum);
  std::memcpy(shdrs.data(), sh.data(), sh.size());

  ElfSymbols out;
  out.position_independent = hdr.e_type == ET_DYN;
  const Elf64_Shdr* symtab = nullptr;
  const Elf64_Shdr* dynsym = nullptr;
  for (const Elf64_Shdr& s : shdrs) {
    if (s.sh_type == SHT_SYMTAB) symtab = &s;
    if (s.sh_type == SHT_DYNSYM) dynsym = &s;
    if (s.sh_type == SHT_NOTE && out.build_id.empty()) {
      base::Result<std::string> notes = f.Read(s.sh_offset, s.sh_size, "notes");
      if (notes.ok()) ParseBuildId(*notes, &out.build_id);
    }
  }
  const Elf64_Shdr* table = symtab ? symtab : dynsym;
  out.from_symtab = symtab != nullptr;
  if (table != nullptr) {
    base::Status s = ReadTable(f, shdrs, *table, &out);
    if (!s.ok()) return s.Annotate(path);
  }
  return out;
}

const ElfSymbol* FindFunction(const std::vector<ElfSymbol>& functions,
                              uint64_t addr) {
  auto it = std::upper_bound(
      functions.begin(), functions.end(), addr,
      [](uint64_t a, const ElfSymbol& s) { return a < s.value; });
  if (it == functions.begin()) return nullptr;
  const ElfSymbol& s = *(it - 1);
  // Sized symbols must contain the address; unsized ones (assembly) get
  // the benefit of the doubt up to the next symbol.
  if (s.size != 0 && addr >= s.value + s.size) return nullptr;
  return &s;
}

}  // namespace pprof
