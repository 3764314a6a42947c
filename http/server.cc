#include "http/server.h"

#include <unistd.h>

#include "base/log.h"
#include "http/connection.h"
#include "http/tcp_transport.h"

namespace http {

Server::Server(uv_loop_t* loop, Handler handler, ServerOptions options)
    : loop_(loop),
      handler_(std::move(handler)),
      options_(std::move(options)),
      listener_(loop, options_.accept_pause_ms,
                [this](int fd) { Accept(fd); }) {}

Server::~Server() { Close(); }

base::Status Server::Listen(std::string_view address) {
  TETHER_ASSIGN_OR_RETURN(ListenAddress addr, ParseListenAddress(address));
  return listener_.Listen(addr, options_.backlog);
}

void Server::Close() {
  listener_.Close();
  // Aborting calls back into Remove(); work on a copy.
  std::map<Link*, std::shared_ptr<Link>> links;
  links.swap(links_);
  for (auto& entry : links) entry.second->Abort();
}

void Server::Accept(int fd) {
  if (options_.admit && !options_.admit(fd)) {
    ::close(fd);
    return;
  }
  base::Result<std::shared_ptr<TcpTransport>> tcp =
      TcpTransport::Adopt(loop_, fd, options_.timeouts.linger_ms);
  if (!tcp.ok()) {
    LOG_WARN("%s", tcp.status().ToString().c_str());
    return;
  }
  std::shared_ptr<Transport> transport = std::move(*tcp);
  if (options_.wrap_transport) {
    transport =
        options_.wrap_transport(std::move(transport), options_.tls_failure);
  }
  bool full = links_.size() >= options_.max_connections;
  LinkOwner* owner = this;
  auto conn = std::make_shared<Connection>(loop_, options_, handler_, owner,
                                           std::move(transport));
  links_.emplace(conn.get(), conn);
  if (full) {
    LOG_DEBUG("http: %zu connections open: answering 503", links_.size() - 1);
  }
  conn->Start(full ? 503 : 0);
}

void Server::Replace(Link* old, std::shared_ptr<Link> now) {
  auto it = links_.find(old);
  if (it == links_.end()) return;  // Closing: Close() holds the old one.
  std::shared_ptr<Link> keep = std::move(it->second);
  links_.erase(it);
  links_.emplace(now.get(), std::move(now));
}

void Server::Remove(Link* link) { links_.erase(link); }

}  // namespace http
