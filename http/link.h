// Internal: how connections and hijacked streams (the server's "links")
// are tracked by whoever owns them: the Server, or the fuzz target.
#ifndef TETHER_HTTP_LINK_H_
#define TETHER_HTTP_LINK_H_

#include <memory>

namespace http {

class Link {
 public:
  virtual ~Link() = default;
  // The owner is closing: close now. Reports to handlers but not to the
  // owner.
  virtual void Abort() = 0;
};

class LinkOwner {
 public:
  virtual ~LinkOwner() = default;
  // `old` became `now` (a connection that was hijacked).
  virtual void Replace(Link* old, std::shared_ptr<Link> now) = 0;
  // `link` is closed; the owner drops its reference.
  virtual void Remove(Link* link) = 0;
};

}  // namespace http

#endif  // TETHER_HTTP_LINK_H_
