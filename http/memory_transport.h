// Test and fuzz support: a Transport in memory (bytes written are counted
// and dropped; writes complete when Drain() says so, as the kernel would)
// and a LinkOwner that holds connections, so a Connection can be driven
// without a socket, deterministically.
#ifndef TETHER_HTTP_MEMORY_TRANSPORT_H_
#define TETHER_HTTP_MEMORY_TRANSPORT_H_

#include <map>
#include <memory>
#include <string>

#include "http/connection.h"
#include "http/link.h"
#include "http/transport.h"

namespace http {

class MemoryTransport : public Transport {
 public:
  void Start(Delegate* d) override { delegate_ = d; }
  void SetDelegate(Delegate* d) override { delegate_ = d; }
  void Write(std::string data) override {
    if (!closed_ && !shutdown_) {
      queued_ += data.size();
      if (keep_) written_ += data;
    }
  }
  size_t queued() const override { return queued_; }
  void PauseReading() override { paused_ = true; }
  void ResumeReading() override { paused_ = false; }
  void Shutdown() override { shutdown_ = true; }
  void Close() override {
    closed_ = true;
    delegate_ = nullptr;
  }
  void EnableKeepAlive(unsigned) override {}
  const Peer& peer() const override { return peer_; }

  // Keep what is written (written()), for tests that read answers.
  void KeepWritten() { keep_ = true; }
  const std::string& written() const { return written_; }
  bool usable() const { return delegate_ != nullptr && !closed_; }
  bool paused() const { return paused_; }
  void Drain() {
    if (!usable() || queued_ == 0) return;
    queued_ = 0;
    delegate_->OnTransportWritten();
  }
  // A Shutdown() ends the way TcpTransport's does, with OK.
  void FinishShutdown() {
    if (!usable() || !shutdown_) return;
    Delegate* d = delegate_;
    Close();
    d->OnTransportClosed(base::Status::Ok());
  }
  Delegate* delegate() { return delegate_; }

 private:
  Delegate* delegate_ = nullptr;
  Peer peer_{"192.0.2.1:1234", ""};
  size_t queued_ = 0;
  std::string written_;
  bool keep_ = false;
  bool paused_ = false;
  bool shutdown_ = false;
  bool closed_ = false;
};

// Holds the connections (and what they become) as the Server would.
class MemoryOwner : public LinkOwner {
 public:
  void Replace(Link* old, std::shared_ptr<Link> now) override {
    links.erase(old);
    links.emplace(now.get(), std::move(now));
  }
  void Remove(Link* link) override { links.erase(link); }
  // Aborts whatever is still open, as Server::Close() does.
  void AbortAll() {
    std::map<Link*, std::shared_ptr<Link>> all;
    all.swap(links);
    for (auto& entry : all) entry.second->Abort();
  }
  std::map<Link*, std::shared_ptr<Link>> links;
};

// A started Connection over a new MemoryTransport, held by `owner`.
inline std::shared_ptr<MemoryTransport> StartMemoryConnection(
    uv_loop_t* loop, const ServerOptions& options, Handler handler,
    MemoryOwner* owner) {
  auto transport = std::make_shared<MemoryTransport>();
  auto conn = std::make_shared<Connection>(loop, options, std::move(handler),
                                           owner, transport);
  owner->links.emplace(conn.get(), conn);
  conn->Start();
  return transport;
}

}  // namespace http

#endif  // TETHER_HTTP_MEMORY_TRANSPORT_H_
