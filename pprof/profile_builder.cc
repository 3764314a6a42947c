#include "pprof/profile_builder.h"

#include <zlib.h>

#include <cstdio>

namespace pprof {
namespace {

namespace pb = perftools::profiles;

std::string Basename(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A name for an address no symbol covers: "libc.so.6+0x1234" (module and
// offset, what `addr2line -e` needs) or the bare address.
std::string Unnamed(uintptr_t pc, const Module* m) {
  char buf[64];
  if (m == nullptr) {
    std::snprintf(buf, sizeof(buf), "0x%zx", static_cast<size_t>(pc));
    return buf;
  }
  std::snprintf(buf, sizeof(buf), "+0x%zx",
                static_cast<size_t>(pc - m->start + m->file_offset));
  return Basename(m->path) + buf;
}

// Whether this profile names the module's functions: it does when the
// module's file has a symbol table, or is the vDSO (which has no file, and
// whose few addresses get Unnamed's names).
bool Symbolized(const Module& m) {
  return (m.symbols && !m.symbols->functions.empty()) || m.path == "[vdso]";
}

}  // namespace

ProfileBuilder::ProfileBuilder() { Str(""); }  // Index 0 is "" by rule.

int64_t ProfileBuilder::Str(std::string_view s) {
  auto it = strings_.find(std::string(s));
  if (it != strings_.end()) return it->second;
  int64_t id = p_.string_table_size();
  p_.add_string_table(std::string(s));
  strings_.emplace(std::string(s), id);
  return id;
}

void ProfileBuilder::AddSampleType(std::string_view type,
                                   std::string_view unit) {
  pb::ValueType* vt = p_.add_sample_type();
  vt->set_type(Str(type));
  vt->set_unit(Str(unit));
}

void ProfileBuilder::SetPeriod(std::string_view type, std::string_view unit,
                               int64_t period) {
  p_.mutable_period_type()->set_type(Str(type));
  p_.mutable_period_type()->set_unit(Str(unit));
  p_.set_period(period);
}

void ProfileBuilder::SetTime(int64_t time_nanos, int64_t duration_nanos) {
  p_.set_time_nanos(time_nanos);
  p_.set_duration_nanos(duration_nanos);
}

void ProfileBuilder::SetDefaultSampleType(std::string_view type) {
  p_.set_default_sample_type(Str(type));
}

void ProfileBuilder::AddComment(std::string_view comment) {
  p_.add_comment(Str(comment));
}

void ProfileBuilder::SetDropFrames(std::string_view regex) {
  p_.set_drop_frames(Str(regex));
}

uint64_t ProfileBuilder::LocationFor(uintptr_t pc) {
  auto it = locations_.find(pc);
  if (it != locations_.end()) return it->second;
  uint64_t id = static_cast<uint64_t>(p_.location_size()) + 1;
  pb::Location* loc = p_.add_location();
  loc->set_id(id);
  loc->set_address(pc);
  locations_.emplace(pc, id);
  return id;
}

uint64_t ProfileBuilder::NamedLocation(std::string_view name) {
  uint64_t id = static_cast<uint64_t>(p_.location_size()) + 1;
  p_.add_location()->set_id(id);
  named_.emplace_back(id, std::string(name));
  return id;
}

void ProfileBuilder::AddSample(const std::vector<uint64_t>& locations,
                               const std::vector<int64_t>& values,
                               const std::vector<Label>& labels) {
  pb::Sample* s = p_.add_sample();
  for (uint64_t id : locations) s->add_location_id(id);
  for (int64_t v : values) s->add_value(v);
  for (const Label& l : labels) {
    pb::Label* pl = s->add_label();
    pl->set_key(Str(l.key));
    if (!l.str.empty()) {
      pl->set_str(Str(l.str));
    } else {
      pl->set_num(l.num);
      if (!l.unit.empty()) pl->set_num_unit(Str(l.unit));
    }
  }
}

void ProfileBuilder::AddStack(const uintptr_t* pcs, size_t depth,
                              const std::vector<int64_t>& values,
                              const std::vector<Label>& labels) {
  std::vector<uint64_t> ids;
  ids.reserve(depth);
  for (size_t i = 0; i < depth; ++i) ids.push_back(LocationFor(pcs[i]));
  AddSample(ids, values, labels);
}

uint64_t ProfileBuilder::FunctionFor(const std::string& name) {
  auto it = functions_.find(name);
  if (it != functions_.end()) return it->second;
  uint64_t id = static_cast<uint64_t>(p_.function_size()) + 1;
  pb::Function* f = p_.add_function();
  f->set_id(id);
  f->set_name(Str(name));
  f->set_system_name(f->name());
  functions_.emplace(name, id);
  return id;
}

pb::Profile ProfileBuilder::Build(const Symbolizer& symbols) {
  // Mapping ids follow the symbolizer's module order.
  std::unordered_map<const Module*, uint64_t> mapping_ids;
  for (const Module& m : symbols.modules()) {
    uint64_t id = static_cast<uint64_t>(p_.mapping_size()) + 1;
    pb::Mapping* pm = p_.add_mapping();
    pm->set_id(id);
    pm->set_memory_start(m.start);
    pm->set_memory_limit(m.limit);
    pm->set_file_offset(m.file_offset);
    pm->set_filename(Str(m.path));
    pm->set_build_id(Str(m.build_id));
    pm->set_has_functions(Symbolized(m));
    mapping_ids.emplace(&m, id);
  }
  std::unordered_map<uint64_t, std::string> synthetic(named_.begin(),
                                                      named_.end());
  for (pb::Location& loc : *p_.mutable_location()) {
    std::string name;
    auto named = synthetic.find(loc.id());
    if (named != synthetic.end()) {
      name = named->second;
    } else {
      const Module* m = symbols.FindModule(loc.address());
      if (m != nullptr) loc.set_mapping_id(mapping_ids[m]);
      // A module without symbols (the stripped tether of a VM) is left
      // for pprof to symbolize from the file its build id names.
      if (m != nullptr && !Symbolized(*m)) continue;
      name = symbols.FunctionName(loc.address());
      if (name.empty()) name = Unnamed(loc.address(), m);
    }
    loc.add_line()->set_function_id(FunctionFor(name));
  }
  return std::move(p_);
}

std::string ProfileBuilder::Finish(const Symbolizer& symbols) {
  return Gzip(Build(symbols).SerializeAsString());
}

std::string Gzip(std::string_view data) {
  z_stream z{};
  // 15 window bits + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return "";
  }
  std::string out(deflateBound(&z, data.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(rc == Z_STREAM_END ? z.total_out : 0);
  deflateEnd(&z);
  return out;
}

std::string Gunzip(std::string_view data) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return "";
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof(buf);
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof(buf) - z.avail_out);
  }
  inflateEnd(&z);
  return rc == Z_STREAM_END ? out : "";
}

}  // namespace pprof
