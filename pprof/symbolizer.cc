#include "pprof/symbolizer.h"

#include <cxxabi.h>
#include <link.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace pprof {
namespace {

struct Loaded {
  std::string name;  // "" for the main program.
  uintptr_t bias;
  std::vector<ElfW(Phdr)> exec_segments;
};

int CollectModule(dl_phdr_info* info, size_t, void* data) noexcept {
  auto* out = static_cast<std::vector<Loaded>*>(data);
  Loaded m;
  m.name = info->dlpi_name != nullptr ? info->dlpi_name : "";
  m.bias = info->dlpi_addr;
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X) != 0) {
      m.exec_segments.push_back(ph);
    }
  }
  if (!m.exec_segments.empty()) out->push_back(std::move(m));
  return 0;
}

std::string SelfPath() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return "/proc/self/exe";
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace

std::string Demangle(const std::string& name) {
  if (name.size() < 2 || name[0] != '_' || name[1] != 'Z') return name;
  int status = 0;
  char* d = abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status);
  if (d == nullptr || status != 0) {
    std::free(d);
    return name;
  }
  std::string out(d);
  std::free(d);
  return out;
}

std::unique_ptr<Symbolizer> Symbolizer::ForThisProcess() {
  std::vector<Loaded> loaded;
  dl_iterate_phdr(&CollectModule, &loaded);
  std::vector<Module> modules;
  for (const Loaded& l : loaded) {
    bool main_program = l.name.empty();
    // The vDSO has no file; its few functions are left unnamed.
    bool vdso = l.name.find("linux-vdso") != std::string::npos;
    std::string path = main_program ? SelfPath() : l.name;
    auto symbols = std::make_shared<ElfSymbols>();
    if (!vdso) {
      base::Result<ElfSymbols> read =
          ReadElfSymbols(main_program ? "/proc/self/exe" : path);
      if (read.ok()) *symbols = std::move(*read);
    }
    for (const ElfW(Phdr)& ph : l.exec_segments) {
      Module m;
      m.start = l.bias + ph.p_vaddr;
      m.limit = m.start + ph.p_memsz;
      m.file_offset = ph.p_offset;
      m.bias = l.bias;
      m.path = vdso ? "[vdso]" : path;
      m.build_id = symbols->build_id;
      m.symbols = symbols;
      modules.push_back(std::move(m));
    }
  }
  return std::make_unique<Symbolizer>(std::move(modules));
}

Symbolizer::Symbolizer(std::vector<Module> modules)
    : modules_(std::move(modules)) {
  std::sort(modules_.begin(), modules_.end(),
            [](const Module& a, const Module& b) { return a.start < b.start; });
}

const Module* Symbolizer::FindModule(uintptr_t pc) const {
  auto it = std::upper_bound(
      modules_.begin(), modules_.end(), pc,
      [](uintptr_t p, const Module& m) { return p < m.start; });
  if (it == modules_.begin()) return nullptr;
  const Module& m = *(it - 1);
  return pc < m.limit ? &m : nullptr;
}

const ElfSymbol* Symbolizer::Find(uintptr_t pc, const Module** module) const {
  const Module* m = FindModule(pc);
  if (module != nullptr) *module = m;
  if (m == nullptr || !m->symbols) return nullptr;
  return FindFunction(m->symbols->functions, pc - m->bias);
}

std::string Symbolizer::FunctionName(uintptr_t pc) const {
  const ElfSymbol* s = Find(pc, nullptr);
  if (s == nullptr) return "";
  auto it = demangled_.find(s);
  if (it == demangled_.end()) it = demangled_.emplace(s, Demangle(s->name)).first;
  return it->second;
}

uintptr_t Symbolizer::FunctionStart(uintptr_t pc) const {
  const Module* m = nullptr;
  const ElfSymbol* s = Find(pc, &m);
  return s == nullptr ? 0 : s->value + m->bias;
}

}  // namespace pprof
