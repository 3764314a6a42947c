#include "pprof/profile_symbolizer.h"

#include <dirent.h>

#include <algorithm>
#include <memory>
#include <unordered_map>
#include <vector>

#include "pprof/elf_symbols.h"
#include "pprof/profile_builder.h"
#include "pprof/symbolizer.h"
#include "profile.pb.h"

namespace pprof {
namespace {

namespace pb = perftools::profiles;

// The entries of `dir`, sorted so that the choice is reproducible; empty
// when it cannot be read.
std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), &::closedir);
  if (!d) return names;
  while (const dirent* e = ::readdir(d.get())) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(dir + "/" + name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The symbols of the first file under <dir>/<build_id>/ along
// `search_path` whose own build id is `build_id` and that has a symbol
// table, or nullptr.
std::unique_ptr<ElfSymbols> FindSymbols(const std::string& search_path,
                                        const std::string& build_id) {
  size_t pos = 0;
  while (pos <= search_path.size()) {
    size_t colon = search_path.find(':', pos);
    if (colon == std::string::npos) colon = search_path.size();
    std::string dir = search_path.substr(pos, colon - pos);
    pos = colon + 1;
    if (dir.empty()) continue;
    for (const std::string& file : ListDir(dir + "/" + build_id)) {
      base::Result<ElfSymbols> s = ReadElfSymbols(file);
      if (s.ok() && s->build_id == build_id && !s->functions.empty()) {
        return std::make_unique<ElfSymbols>(std::move(*s));
      }
    }
  }
  return nullptr;
}

// Adds functions to one profile: interns strings and functions by name.
class FunctionTable {
 public:
  explicit FunctionTable(pb::Profile* p) : p_(p) {
    for (int i = 0; i < p_->string_table_size(); ++i) {
      strings_.emplace(p_->string_table(i), i);
    }
    for (const pb::Function& f : p_->function()) {
      next_id_ = std::max(next_id_, f.id() + 1);
    }
  }

  uint64_t For(const ElfSymbol& sym) {
    auto it = functions_.find(&sym);
    if (it != functions_.end()) return it->second;
    pb::Function* f = p_->add_function();
    f->set_id(next_id_++);
    f->set_name(Str(Demangle(sym.name)));
    f->set_system_name(Str(sym.name));
    functions_.emplace(&sym, f->id());
    return f->id();
  }

 private:
  int64_t Str(const std::string& s) {
    auto it = strings_.find(s);
    if (it != strings_.end()) return it->second;
    int64_t index = p_->string_table_size();
    p_->add_string_table(s);
    strings_.emplace(s, index);
    return index;
  }

  pb::Profile* p_;
  std::unordered_map<std::string, int64_t> strings_;
  std::unordered_map<const ElfSymbol*, uint64_t> functions_;
  uint64_t next_id_ = 1;
};

}  // namespace

base::Result<std::string> SymbolizeProfile(std::string_view gzipped,
                                           const std::string& search_path,
                                           SymbolizeStats* stats) {
  SymbolizeStats local;
  if (stats == nullptr) stats = &local;
  std::string raw = Gunzip(gzipped);
  pb::Profile p;
  if (raw.empty() || !p.ParseFromString(raw)) {
    return base::Status::InvalidArgument("not a gzipped profile.proto");
  }
  // The symbols of each mapping to be named, by mapping id.
  std::vector<std::unique_ptr<ElfSymbols>> files;
  std::unordered_map<uint64_t, std::pair<const pb::Mapping*, ElfSymbols*>>
      named;
  for (const pb::Mapping& m : p.mapping()) {
    if (m.has_functions() || m.build_id() <= 0 ||
        m.build_id() >= p.string_table_size()) {
      continue;
    }
    std::unique_ptr<ElfSymbols> s =
        FindSymbols(search_path, p.string_table(m.build_id()));
    if (!s) continue;
    named.emplace(m.id(), std::make_pair(&m, s.get()));
    files.push_back(std::move(s));
  }
  if (named.empty()) return std::string(gzipped);

  FunctionTable functions(&p);
  for (pb::Location& loc : *p.mutable_location()) {
    auto it = named.find(loc.mapping_id());
    if (it == named.end() || loc.line_size() > 0) continue;
    const pb::Mapping& m = *it->second.first;
    const ElfSymbols& syms = *it->second.second;
    // An ET_EXEC file runs at its link addresses; a PIE's executable
    // segment is linked at its file offset (p_vaddr == p_offset, as GNU
    // ld lays it out), so the offset into the file is the address.
    uint64_t addr = loc.address();
    if (syms.position_independent) {
      addr = addr - m.memory_start() + m.file_offset();
    }
    // Return addresses point after the call: look up the call itself.
    const ElfSymbol* sym = FindFunction(syms.functions, addr);
    if (sym == nullptr && addr > 0)
      sym = FindFunction(syms.functions, addr - 1);
    if (sym == nullptr) continue;
    loc.add_line()->set_function_id(functions.For(*sym));
    ++stats->locations;
  }
  for (pb::Mapping& m : *p.mutable_mapping()) {
    if (named.count(m.id()) != 0) {
      m.set_has_functions(true);
      ++stats->mappings;
    }
  }
  return Gzip(p.SerializeAsString());
}

}  // namespace pprof
