#include "attach/endpoint/commands/watches.h"

#include <utility>

#include "attach/endpoint/vms/qemu_command.h"

namespace attach {
namespace endpoint {

StartWatch::StartWatch(uv_loop_t* loop, Container* c, Session* primary,
                       uint64_t timeout_ms, Done done)
    : primary_(primary),
      console_(VmConsolePath(c->dir())),
      done_(std::move(done)) {
  primary_->AddObserver(this);
  uv_timer_init(loop, timer_.get());
  timer_.MarkInitialized();
  timer_->data = this;
  uv_timer_start(timer_.get(), &StartWatch::OnTimeout, timeout_ms, 0);
}

StartWatch::~StartWatch() {
  timer_.Close();
  if (primary_ != nullptr) primary_->RemoveObserver(this);
}

void StartWatch::OnTetherHello() { Finish({}); }

void StartWatch::OnSessionEnd(int exit_code, const std::string& error) {
  StartOutcome outcome;
  if (!error.empty()) {
    outcome.status = base::Status::Unavailable(error);
  }
  outcome.ended = true;
  outcome.exit_code = exit_code;
  Finish(std::move(outcome));
}

void StartWatch::OnContainerGone(const std::string& why) {
  StartOutcome outcome;
  outcome.status = base::Status::Unavailable(why);
  Finish(std::move(outcome));
}

void StartWatch::OnTimeout(uv_timer_t* h) noexcept {
  auto* self = static_cast<StartWatch*>(h->data);
  StartOutcome outcome;
  outcome.status = base::Status::Unavailable(
      "the VM is running but its tether has not connected yet; see " +
      self->console_);
  self->Finish(std::move(outcome));
}

void StartWatch::Finish(StartOutcome outcome) {
  if (primary_ == nullptr) return;
  timer_.Close();
  primary_->RemoveObserver(this);
  primary_ = nullptr;
  Done done = std::move(done_);
  done(outcome);  // May destroy this.
}

base::Result<WaitCondition> ParseWaitCondition(const std::string& text) {
  if (text.empty() || text == "not-running") return WaitCondition::kNotRunning;
  if (text == "next-exit") return WaitCondition::kNextExit;
  if (text == "removed") return WaitCondition::kRemoved;
  return base::Status::InvalidArgument("invalid condition: \"" + text + "\"");
}

ExitWatch::ExitWatch(Container* c, Session* primary, WaitCondition condition,
                     Done done)
    : container_(c),
      primary_(primary),
      condition_(condition),
      done_(std::move(done)) {
  primary_->AddObserver(this);
  // Waiting for the removal of a container that has already ended: its
  // exit code is known now.
  if (condition_ == WaitCondition::kRemoved && !c->running()) {
    exited_ = true;
    exit_code_ = LastExitCode(*c);
  }
}

ExitWatch::~ExitWatch() {
  if (primary_ != nullptr) primary_->RemoveObserver(this);
}

bool ExitWatch::Immediate(const Container& c, WaitCondition condition) {
  return condition == WaitCondition::kNotRunning && !c.running();
}

int ExitWatch::LastExitCode(const Container& c) {
  const SessionRecord* primary = c.status().Find(kPrimarySession);
  return primary != nullptr && primary->exited ? primary->exit_code : 0;
}

void ExitWatch::OnSessionEnd(int exit_code, const std::string&) {
  if (condition_ != WaitCondition::kRemoved) return Finish(exit_code, "");
  exited_ = true;
  exit_code_ = exit_code;
}

void ExitWatch::OnContainerGone(const std::string& why) {
  if (condition_ == WaitCondition::kRemoved) {
    // Removed while still running (rm --force): killed, as docker says.
    int code = exited_                 ? exit_code_
               : container_->running() ? 137
                                       : LastExitCode(*container_);
    return Finish(code, "");
  }
  Finish(LastExitCode(*container_), why);
}

void ExitWatch::Finish(int exit_code, const std::string& error) {
  if (primary_ == nullptr) return;
  primary_->RemoveObserver(this);
  primary_ = nullptr;
  Done done = std::move(done_);
  done(exit_code, error);  // May destroy this.
}

}  // namespace endpoint
}  // namespace attach
