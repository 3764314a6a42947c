#include "attach/endpoint/api/exec_store.h"

#include <utility>

#include "attach/endpoint/containers/registry.h"

namespace attach {
namespace endpoint {
namespace api {

base::Result<ExecEntry*> ExecStore::Add(const std::string& container_id,
                                        ExecSpec spec) {
  TETHER_ASSIGN_OR_RETURN(std::string id, RandomHex(32));
  // order_ holds exactly the ids in by_id_, oldest first.
  while (by_id_.size() >= kMaxExecs && !order_.empty()) {
    by_id_.erase(order_.front());
    order_.pop_front();
  }
  ExecEntry& e = by_id_[id];
  e.id = id;
  e.container_id = container_id;
  e.spec = std::move(spec);
  order_.push_back(id);
  return &e;
}

base::Result<ExecEntry*> ExecStore::Find(const std::string& id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) {
    return base::Status::NotFound("No such exec instance: " + id);
  }
  return &it->second;
}

void ExecStore::ForgetContainer(const std::string& container_id) {
  for (auto it = by_id_.begin(); it != by_id_.end();) {
    it = it->second.container_id == container_id ? by_id_.erase(it) : ++it;
  }
  std::deque<std::string> kept;
  for (std::string& id : order_) {
    if (by_id_.count(id) != 0) kept.push_back(std::move(id));
  }
  order_.swap(kept);
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
