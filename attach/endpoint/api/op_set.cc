#include "attach/endpoint/api/op_set.h"

#include <vector>

namespace attach {
namespace endpoint {
namespace api {

void Op::Done() {
  if (set_ == nullptr) return;
  OpSet* set = set_;
  set_ = nullptr;
  set->Retire(this);
}

void OpSet::CancelAll() {
  std::vector<Op*> all;
  for (auto& [raw, op] : ops_) all.push_back(raw);
  for (Op* op : all) {
    if (ops_.count(op) != 0) op->Cancel();
  }
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
