#include "attach/endpoint/containers/pprof_calls.h"

#include <utility>

namespace attach {
namespace endpoint {
namespace pb = ::tether::attach;

PprofCalls::~PprofCalls() { FailAll("the container was removed"); }

uint64_t PprofCalls::Add(Piece piece, Failed failed) {
  uint64_t id = next_id_++;
  calls_.emplace(id, Call{std::move(piece), std::move(failed)});
  return id;
}

void PprofCalls::Cancel(uint64_t id) { calls_.erase(id); }

void PprofCalls::OnResponse(const pb::PprofResponse& piece) {
  auto it = calls_.find(piece.id());
  if (it == calls_.end()) return;
  Piece deliver = it->second.piece;  // The call may end inside.
  deliver(piece);
}

void PprofCalls::FailAll(const std::string& why) {
  std::map<uint64_t, Call> calls;
  calls.swap(calls_);
  for (auto& entry : calls) entry.second.failed(why);
}

}  // namespace endpoint
}  // namespace attach
