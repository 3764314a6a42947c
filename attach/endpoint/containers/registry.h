// The containers attachd knows, in <state-dir>/containers/<id>/:
//   config              ContainerRecord JSON (written last by Create: a
//                       directory without it is an unfinished create)
//   identity_key(.pub)  the container's ed25519 pair; the tether logs in
//                       with the private half, attachd accepts only the
//                       public half for user <id>
//   status              StatusRecord JSON (container.h)
//   guest_state.json    the tether's last State document
//   logs/<session>.log  session logs (session_log.h)
//
// Lookups follow docker: a full id, then an exact name, then a unique id
// prefix. Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_REGISTRY_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "attach/endpoint/containers/container.h"
#include "attach/endpoint/containers/container_record.h"
#include "base/result.h"

namespace attach {
namespace endpoint {

class Registry {
 public:
  // `state_dir` must exist. `host` (may be null) is every container's
  // (container_host.h) and must outlive the registry's containers.
  explicit Registry(std::string state_dir, ContainerHost* host = nullptr);
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Creates containers/ when missing and reads every container in it.
  // Unreadable entries are skipped with a warning; kIoError only when the
  // directory itself cannot be made or listed.
  base::Status Load();

  // Registers a container from `record` (id, created_at and, when empty,
  // name are filled in), makes its key pair and writes its config. Errors
  // are for the user: kInvalidArgument for a bad field or a name in use
  // (docker's texts), kIoError for the disk.
  base::Result<Container*> Create(ContainerRecord record);

  // kNotFound "No such container: REF", or kInvalidArgument "multiple IDs
  // found with provided prefix: REF".
  base::Result<Container*> Find(const std::string& ref) const;
  Container* FindById(const std::string& id) const;
  // Deletes the container's directory and the Container. The caller has
  // told its observers and dropped its tether first.
  base::Status Remove(Container* container);
  // Newest first.
  std::vector<Container*> All() const;
  // Each container, in no particular order; `fn` must not add or remove.
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (const auto& [id, c] : by_id_) fn(c.get());
  }
  void set_host(ContainerHost* host) { host_ = host; }
  ContainerHost* host() const { return host_; }

  // Whether a tether may log in as `user` with `key`: the user is a
  // registered id and the key is that container's public key.
  bool Authorize(const std::string& user, ssh_key key) const;
  // The container's OpenSSH private key (for its tether config). Secret.
  base::Result<std::string> IdentityKey(const Container& container) const;

  const std::string& state_dir() const { return state_dir_; }

 private:
  std::string DirOf(const std::string& id) const;
  base::Status LoadOne(const std::string& id);
  base::Status CheckName(const std::string& name) const;

  std::string state_dir_;
  ContainerHost* host_;
  std::map<std::string, std::unique_ptr<Container>> by_id_;
};

// `bytes` random bytes: a VM's random_seed. kInternal when the system has
// no randomness.
base::Result<std::string> RandomBytes(size_t bytes);

// `bytes` random bytes as lower-case hex: container ids (32 bytes) and
// exec session ids. kInternal when the system has no randomness.
base::Result<std::string> RandomHex(size_t bytes);

// Checks the fields of a create request the way the tether config
// decoder will (guestinfo/field_syntax.h), with docker's wording where
// docker has one ("No command specified").
base::Status ValidateRecord(const ContainerRecord& record);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_REGISTRY_H_
