#include "attach/endpoint/containers/registry.h"

#include <openssl/rand.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "attach/endpoint/containers/clock.h"
#include "attach/endpoint/containers/state_files.h"
#include "attach/endpoint/containers/tether_reports.h"
#include "base/log.h"
#include "guestinfo/field_syntax.h"
#include "guestinfo/net_address.h"

namespace attach {
namespace endpoint {
namespace {

constexpr char kIdentityKey[] = "identity_key";

}  // namespace

base::Result<std::string> RandomBytes(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&raw[0]),
                 static_cast<int>(bytes)) != 1) {
    return base::Status::Internal("no randomness");
  }
  return raw;
}

base::Result<std::string> RandomHex(size_t bytes) {
  TETHER_ASSIGN_OR_RETURN(std::string raw, RandomBytes(bytes));
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : raw) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

base::Status ValidateRecord(const ContainerRecord& r) {
  if (r.args.empty() || r.args[0].empty()) {
    return base::Status::InvalidArgument("No command specified");
  }
  if (!r.name.empty()) {
    TETHER_RETURN_IF_ERROR(guestinfo::CheckName(r.name).Annotate(
        "Invalid container name (" + r.name + ")"));
  }
  for (const std::string& e : r.env) {
    base::Result<std::string> name = guestinfo::EnvName(e);
    if (!name.ok()) return name.TakeStatus().Annotate("env");
  }
  TETHER_RETURN_IF_ERROR(guestinfo::CheckUserSpec(r.user).Annotate("user"));
  if (!r.workdir.empty()) {
    TETHER_RETURN_IF_ERROR(
        guestinfo::CheckAbsolutePath(r.workdir).Annotate("workdir"));
  }
  base::Result<guestinfo::EndpointAddress> ep =
      guestinfo::ParseEndpointAddress(r.endpoint);
  if (!ep.ok()) return ep.TakeStatus().Annotate("endpoint");
  if (r.memory_mb != 0 &&
      (r.memory_mb < kMinVmMemoryMb || r.memory_mb > kMaxVmMemoryMb)) {
    return base::Status::InvalidArgument(
        "Memory for a container VM must be between " +
        std::to_string(kMinVmMemoryMb) + " and " +
        std::to_string(kMaxVmMemoryMb) + " MiB, not " +
        std::to_string(r.memory_mb));
  }
  return base::Status::Ok();
}

Registry::Registry(std::string state_dir, ContainerHost* host)
    : state_dir_(std::move(state_dir)), host_(host) {}

Registry::~Registry() = default;

std::string Registry::DirOf(const std::string& id) const {
  return state_dir_ + "/containers/" + id;
}

base::Status Registry::Load() {
  std::string root = state_dir_ + "/containers";
  TETHER_RETURN_IF_ERROR(EnsureDir(root, 0700));
  TETHER_ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(root));
  for (const std::string& id : names) {
    if (!guestinfo::CheckContainerId(id).ok()) continue;
    base::Status s = LoadOne(id);
    if (!s.ok()) {
      LOG_WARN("skipping container %s: %s", id.c_str(), s.ToString().c_str());
    }
  }
  return base::Status::Ok();
}

base::Status Registry::LoadOne(const std::string& id) {
  std::string dir = DirOf(id);
  TETHER_ASSIGN_OR_RETURN(std::string text, ReadFile(dir + "/config"));
  TETHER_ASSIGN_OR_RETURN(ContainerRecord record, DecodeRecord(text));
  if (record.id != id) {
    return base::Status::InvalidArgument("config names another id");
  }
  TETHER_ASSIGN_OR_RETURN(std::string pub,
                          ReadFile(dir + "/" + kIdentityKey + ".pub"));
  TETHER_ASSIGN_OR_RETURN(SshKey key, ParsePublicKeyLine(pub));
  by_id_[id] = std::make_unique<Container>(std::move(record), std::move(key),
                                           std::move(dir), host_);
  return base::Status::Ok();
}

base::Status Registry::CheckName(const std::string& name) const {
  for (const auto& [id, c] : by_id_) {
    if (c->record().name == name) {
      return base::Status::Conflict(
          "Conflict. The container name \"/" + name +
          "\" is already in use by container \"" + id +
          "\". You have to remove (or rename) that container to be able to "
          "reuse that name.");
    }
  }
  return base::Status::Ok();
}

base::Result<Container*> Registry::Create(ContainerRecord record) {
  TETHER_RETURN_IF_ERROR(ValidateRecord(record));
  TETHER_ASSIGN_OR_RETURN(record.id, RandomHex(32));
  while (by_id_.count(record.id) != 0) {
    TETHER_ASSIGN_OR_RETURN(record.id, RandomHex(32));
  }
  if (record.name.empty()) record.name = record.id.substr(0, 12);
  TETHER_RETURN_IF_ERROR(CheckName(record.name));
  record.created_at = NowSeconds();

  std::string dir = DirOf(record.id);
  TETHER_RETURN_IF_ERROR(EnsureDir(dir, 0700));
  TETHER_ASSIGN_OR_RETURN(SshKey key,
                          LoadOrCreateKey(dir + "/" + kIdentityKey,
                                          "tether-" + record.id.substr(0, 12)));
  // The public half alone is what authentication needs in memory.
  TETHER_ASSIGN_OR_RETURN(std::string pub, PublicKeyLine(key, ""));
  TETHER_ASSIGN_OR_RETURN(SshKey public_key, ParsePublicKeyLine(pub));
  base::Status s = WriteFileAtomic(dir + "/config", EncodeRecord(record), 0600);
  if (!s.ok()) {
    (void)RemoveTree(dir);
    return s;
  }
  std::string id = record.id;
  auto c = std::make_unique<Container>(std::move(record), std::move(public_key),
                                       std::move(dir), host_);
  Container* out = c.get();
  by_id_[id] = std::move(c);
  return out;
}

base::Result<Container*> Registry::Find(const std::string& ref) const {
  if (!ref.empty()) {
    if (Container* c = FindById(ref)) return c;
    for (const auto& [id, c] : by_id_) {
      if (c->record().name == ref) return c.get();
    }
    // by_id_ is sorted, so ids with this prefix are adjacent.
    auto it = by_id_.lower_bound(ref);
    if (it != by_id_.end() && it->first.compare(0, ref.size(), ref) == 0) {
      auto next = std::next(it);
      if (next != by_id_.end() &&
          next->first.compare(0, ref.size(), ref) == 0) {
        return base::Status::InvalidArgument(
            "multiple IDs found with provided prefix: " + ref);
      }
      return it->second.get();
    }
  }
  // The ref is the client's and could be a frame long (review F1).
  return base::Status::NotFound("No such container: " + KeptText(ref, 256));
}

Container* Registry::FindById(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second.get();
}

base::Status Registry::Remove(Container* container) {
  std::string id = container->id();
  // The config goes first: should the rest fail, a directory without it
  // is an unfinished entry that Load skips, not a container coming back.
  std::string dir = DirOf(id);
  if (host_ != nullptr) host_->Forget(container);
  base::Status s;
  if (::unlink((dir + "/config").c_str()) != 0 && errno != ENOENT) {
    s = base::Status::Io("remove " + dir + "/config", errno);
  } else {
    s = RemoveTree(dir);
  }
  by_id_.erase(id);
  return s;
}

std::vector<Container*> Registry::All() const {
  std::vector<Container*> out;
  for (const auto& [id, c] : by_id_) out.push_back(c.get());
  std::stable_sort(out.begin(), out.end(), [](Container* a, Container* b) {
    return a->record().created_at > b->record().created_at;
  });
  return out;
}

bool Registry::Authorize(const std::string& user, ssh_key key) const {
  Container* c = FindById(user);
  return c != nullptr && SamePublicKey(c->public_key(), key);
}

base::Result<std::string> Registry::IdentityKey(
    const Container& container) const {
  return ReadFile(container.dir() + "/" + kIdentityKey, 64 * 1024);
}

}  // namespace endpoint
}  // namespace attach
