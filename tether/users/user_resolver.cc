#include "tether/users/user_resolver.h"

#include <algorithm>
#include <optional>

#include "base/log.h"
#include "tether/users/group.h"
#include "tether/users/passwd.h"

namespace tether {
namespace {

constexpr char kPasswdPath[] = "/etc/passwd";
constexpr char kGroupPath[] = "/etc/group";

// One half of "user:group": a decimal id or a name.
struct SpecPart {
  std::string text;
  std::optional<uint32_t> id;  // Set when `text` is all digits.
};

struct UserSpec {
  SpecPart user;
  std::optional<SpecPart> group;
};

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
}

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

base::Result<SpecPart> ParsePart(std::string_view spec, std::string_view text,
                                 const char* what) {
  SpecPart part{std::string(text), std::nullopt};
  if (!AllDigits(text)) return part;
  part.id = ParseId(text);
  if (!part.id) {
    return base::Status::InvalidArgument("invalid user " + Quote(spec) + ": " +
                                         what + " out of range");
  }
  return part;
}

base::Result<UserSpec> ParseSpec(std::string_view spec) {
  if (spec.empty()) return UserSpec{SpecPart{"0", 0u}, std::nullopt};
  size_t colon = spec.find(':');
  std::string_view user = spec.substr(0, colon);
  std::optional<std::string_view> group;
  if (colon != std::string_view::npos) group = spec.substr(colon + 1);
  if (user.empty() || (group && (group->empty() ||
                                 group->find(':') != std::string_view::npos))) {
    return base::Status::InvalidArgument("invalid user " + Quote(spec) +
                                         ": want name|uid[:group|gid]");
  }
  UserSpec parsed;
  TETHER_ASSIGN_OR_RETURN(parsed.user, ParsePart(spec, user, "uid"));
  if (group) {
    TETHER_ASSIGN_OR_RETURN(parsed.group, ParsePart(spec, *group, "gid"));
  }
  return parsed;
}

// Reads a user database. A missing file is nullopt unless `required`; every
// other failure is an error annotated with `context`.
base::Result<std::optional<std::string>> ReadDatabase(
    base::Os& os, const char* path, bool required, const std::string& context) {
  base::Result<std::string> content = os.ReadFile(path, kMaxUserDatabaseBytes);
  if (content.ok()) return std::optional<std::string>(std::move(*content));
  if (!required && content.status().code() == base::Status::Code::kNotFound) {
    return std::optional<std::string>();
  }
  return content.TakeStatus().Annotate(context);
}

void LogMalformed(const char* path, const ParseStats& stats) {
  if (stats.malformed == 0) return;
  LOG_DEBUG("%s: skipped %zu malformed lines (first at line %zu)", path,
            stats.malformed, stats.first_malformed_line);
}

// Fills uid, gid, home and name from the user half of the spec.
base::Status ResolveUserPart(base::Os& os, const SpecPart& user,
                             ResolvedUser* out) {
  std::string context =
      user.id ? "look up uid " + user.text : "look up user " + Quote(user.text);
  TETHER_ASSIGN_OR_RETURN(std::optional<std::string> content,
                          ReadDatabase(os, kPasswdPath, !user.id, context));
  PasswdFile passwd = ParsePasswd(content.value_or(""));
  LogMalformed(kPasswdPath, passwd.stats);
  for (const PasswdEntry& e : passwd.entries) {
    if (user.id ? e.uid == *user.id : e.name == user.text) {
      out->uid = e.uid;
      out->gid = e.gid;
      out->home = e.home;
      out->name = e.name;
      return base::Status::Ok();
    }
  }
  if (!user.id) {
    return base::Status::NotFound("no user " + Quote(user.text) + " in " +
                                  kPasswdPath);
  }
  // runc accepts any uid: it runs with gid 0 and HOME=/.
  out->uid = *user.id;
  out->gid = 0;
  return base::Status::Ok();
}

// Overrides the primary gid with an explicit group.
base::Status ResolveGroupPart(base::Os& os, const SpecPart& group,
                              ResolvedUser* out) {
  if (group.id) {
    out->gid = *group.id;
    return base::Status::Ok();
  }
  TETHER_ASSIGN_OR_RETURN(
      std::optional<std::string> content,
      ReadDatabase(os, kGroupPath, true, "look up group " + Quote(group.text)));
  GroupFile groups = ParseGroup(*content);
  LogMalformed(kGroupPath, groups.stats);
  for (const GroupEntry& e : groups.entries) {
    if (e.name == group.text) {
      out->gid = e.gid;
      return base::Status::Ok();
    }
  }
  return base::Status::NotFound("no group " + Quote(group.text) + " in " +
                                kGroupPath);
}

// Appends the gid of every group listing out->name as a member.
base::Status AddMemberships(base::Os& os, ResolvedUser* out) {
  TETHER_ASSIGN_OR_RETURN(
      std::optional<std::string> content,
      ReadDatabase(os, kGroupPath, false,
                   "look up groups of " + Quote(out->name)));
  if (!content) return base::Status::Ok();
  GroupFile groups = ParseGroup(*content);
  LogMalformed(kGroupPath, groups.stats);
  for (const GroupEntry& e : groups.entries) {
    bool member = std::find(e.members.begin(), e.members.end(), out->name) !=
                  e.members.end();
    bool known = std::find(out->groups.begin(), out->groups.end(), e.gid) !=
                 out->groups.end();
    if (member && !known) out->groups.push_back(e.gid);
  }
  return base::Status::Ok();
}

}  // namespace

base::Result<ResolvedUser> ResolveUser(base::Os& os, std::string_view spec) {
  TETHER_ASSIGN_OR_RETURN(UserSpec parsed, ParseSpec(spec));
  ResolvedUser user;
  TETHER_RETURN_IF_ERROR(ResolveUserPart(os, parsed.user, &user));
  if (parsed.group) {
    TETHER_RETURN_IF_ERROR(ResolveGroupPart(os, *parsed.group, &user));
  }
  user.groups.push_back(user.gid);
  if (!parsed.group && !user.name.empty()) {
    TETHER_RETURN_IF_ERROR(AddMemberships(os, &user));
  }
  if (user.home.empty()) user.home = "/";
  return user;
}

std::vector<std::string> WithDefaultHome(std::vector<std::string> env,
                                         const std::string& home) {
  for (const std::string& entry : env) {
    if (entry.compare(0, 5, "HOME=") == 0) return env;
  }
  env.push_back("HOME=" + (home.empty() ? std::string("/") : home));
  return env;
}

}  // namespace tether
