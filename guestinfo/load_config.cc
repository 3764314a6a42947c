#include "guestinfo/load_config.h"

#include <memory>
#include <utility>

#include "base/wipe.h"
#include "guestinfo/config_codec.h"
#include "guestinfo/json_fields.h"
#include "guestinfo/limits.h"
#include "guestinfo/rpci_backdoor.h"
#include "guestinfo/rpci_source.h"
#include "guestinfo/source.h"

namespace guestinfo {

using base::Result;
using base::Status;

namespace {

constexpr std::string_view kParam = "tether.source=";
constexpr std::string_view kDrainParam = "tether.drain_timeout_s=";
// The kernel's own limit is 2 KiB (x86) to 4 KiB; this only bounds a read.
constexpr size_t kMaxCmdline = 64 * 1024;

// Splits like the kernel's next_arg(): whitespace separates, double
// quotes group and are dropped.
std::vector<std::string> SplitCmdline(std::string_view cmdline) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false, any = false;
  for (char c : cmdline) {
    if (c == '"') {
      quoted = !quoted;
      any = true;
    } else if (!quoted && (c == ' ' || c == '\t' || c == '\n')) {
      if (any) words.push_back(std::move(word));
      word.clear();
      any = false;
    } else {
      word += c;
      any = true;
    }
  }
  if (any) words.push_back(std::move(word));
  return words;
}

// The sources to try, in order, and whether the first was forced.
struct Plan {
  std::unique_ptr<RpciChannel> owned_rpci;  // Declared first: outlives all.
  std::vector<std::unique_ptr<ConfigSource>> sources;
  std::vector<SourceKind> kinds;
  std::vector<std::string> files;  // kFile: the path; else empty.
  bool forced = false;

  void Add(SourceKind kind, std::unique_ptr<ConfigSource> source,
           std::string file = "") {
    kinds.push_back(kind);
    sources.push_back(std::move(source));
    files.push_back(std::move(file));
  }
};

Result<std::string> ReadCmdline(base::Os& os, const LoadOptions& options) {
  if (options.cmdline) return *options.cmdline;
  Result<std::string> text =
      os.ReadFile(options.proc_root + "/cmdline", kMaxCmdline);
  // No /proc (tini-like use before mounts): no override.
  if (!text.ok() && text.status().code() == Status::Code::kNotFound) {
    return std::string();
  }
  return text;
}

Status AddVmware(const LoadOptions& options, const HypervisorId& hv,
                 Plan* plan) {
  RpciChannel* channel = options.rpci;
  if (channel == nullptr) {
    TETHER_ASSIGN_OR_RETURN(plan->owned_rpci, OpenVmwareRpci(hv));
    channel = plan->owned_rpci.get();
  }
  plan->Add(SourceKind::kVmware, NewRpciSource(*channel));
  return Status::Ok();
}

// `cmdline` is read only without a config file.
Result<Plan> MakePlan(base::Os& os, const LoadOptions& options,
                      std::string_view cmdline) {
  Plan plan;
  if (!options.config_file.empty()) {
    plan.forced = true;
    plan.Add(SourceKind::kFile, NewFileSource(os, options.config_file),
             options.config_file);
    return plan;
  }
  TETHER_ASSIGN_OR_RETURN(SourceChoice choice, ParseSourceOverride(cmdline));
  HypervisorId hv =
      options.hypervisor ? *options.hypervisor : ReadHypervisorId();
  plan.forced = choice.kind != SourceKind::kAuto;
  switch (choice.kind) {
    case SourceKind::kFile:
      plan.Add(SourceKind::kFile, NewFileSource(os, choice.path), choice.path);
      break;
    case SourceKind::kFwCfg:
      plan.Add(SourceKind::kFwCfg, NewFwCfgSource(os, options.sysfs_root));
      break;
    case SourceKind::kVmware:
      if (!IsVmware(hv)) {
        return Status::Unavailable("vmware: not a VMware guest (" +
                                   DescribeHypervisor(hv) +
                                   ") but tether.source=vmware");
      }
      TETHER_RETURN_IF_ERROR(AddVmware(options, hv, &plan));
      break;
    case SourceKind::kAuto:
      if (IsVmware(hv)) TETHER_RETURN_IF_ERROR(AddVmware(options, hv, &plan));
      plan.Add(SourceKind::kFwCfg, NewFwCfgSource(os, options.sysfs_root));
      break;
  }
  return plan;
}

}  // namespace

Result<SourceChoice> ParseSourceOverride(std::string_view cmdline) {
  SourceChoice choice;
  for (const std::string& word : SplitCmdline(cmdline)) {
    if (word.rfind(kParam, 0) != 0) continue;
    std::string_view value = std::string_view(word).substr(kParam.size());
    if (value == "vmware") {
      choice = {SourceKind::kVmware, ""};
    } else if (value == "fwcfg") {
      choice = {SourceKind::kFwCfg, ""};
    } else if (value.rfind("file:", 0) == 0) {
      std::string_view path = value.substr(5);
      if (path.empty() || path.front() != '/') {
        return FieldError("tether.source",
                          "file path " + Quote(path) + " is not absolute");
      }
      choice = {SourceKind::kFile, std::string(path)};
    } else {
      return FieldError(
          "tether.source",
          "expected vmware, fwcfg or file:PATH, got " + Quote(value));
    }
  }
  return choice;
}

Result<std::optional<int>> ParseDrainTimeoutOverride(
    std::string_view cmdline) {
  std::optional<int> seconds;
  for (const std::string& word : SplitCmdline(cmdline)) {
    if (word.rfind(kDrainParam, 0) != 0) continue;
    std::string_view value = std::string_view(word).substr(kDrainParam.size());
    // At most 5 digits: 86400 fits, and the sum cannot overflow.
    int v = 0;
    bool ok = !value.empty() && value.size() <= 5;
    for (size_t i = 0; ok && i < value.size(); ++i) {
      ok = value[i] >= '0' && value[i] <= '9';
      v = v * 10 + (value[i] - '0');
    }
    if (!ok || v > kMaxDrainTimeoutS) {
      return FieldError("tether.drain_timeout_s",
                        "expected 0.." + std::to_string(kMaxDrainTimeoutS) +
                            " seconds, got " + Quote(value));
    }
    seconds = v;
  }
  return seconds;
}

Result<LoadedConfig> LoadConfig(base::Os& os, const LoadOptions& options) {
  std::string cmdline;
  if (options.config_file.empty()) {
    TETHER_ASSIGN_OR_RETURN(cmdline, ReadCmdline(os, options));
  }
  TETHER_ASSIGN_OR_RETURN(Plan plan, MakePlan(os, options, cmdline));
  std::string absent;  // Why each source so far had nothing.
  for (size_t i = 0; i < plan.sources.size(); ++i) {
    ConfigSource& source = *plan.sources[i];
    Result<std::string> text = source.Read();
    if (!text.ok()) {
      Status s = text.TakeStatus();
      if (plan.forced || s.code() != Status::Code::kNotFound) return s;
      if (!absent.empty()) absent += "; ";
      absent += s.message();
      continue;
    }
    Result<Config> config = DecodeConfig(*text);
    base::Wipe(&*text);  // The identity key and the seed live on in Config.
    if (!config.ok()) return config.TakeStatus().Annotate(source.Name());
    LoadedConfig loaded;
    loaded.config = std::move(config).value();
    if (!plan.files[i].empty()) {
      loaded.config.config_file = AbsolutePath(plan.files[i]);
    }
    loaded.kind = plan.kinds[i];
    loaded.origin = source.Name();
    Result<std::optional<int>> drain = ParseDrainTimeoutOverride(cmdline);
    if (drain.ok()) {
      loaded.cmdline_drain_timeout_s = *drain;
    } else {
      loaded.warnings.push_back(drain.status().ToString() +
                                " (ignored: the default applies)");
    }
    if (options.hide) {
      Status hidden = source.Hide();
      if (!hidden.ok()) loaded.warnings.push_back(hidden.ToString());
    }
    return loaded;
  }
  return Status::NotFound("no config found: " + absent);
}

}  // namespace guestinfo
