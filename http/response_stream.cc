#include "http/response_stream.h"

#include "http/connection.h"

namespace http {

void ResponseStream::Write(std::string data) {
  if (std::shared_ptr<Connection> c = exchange_->conn_.lock()) {
    c->WriteBody(exchange_.get(), std::move(data));
  }
}

void ResponseStream::End() {
  if (std::shared_ptr<Connection> c = exchange_->conn_.lock()) {
    c->EndBody(exchange_.get());
  }
}

size_t ResponseStream::queued() const {
  std::shared_ptr<Connection> c = exchange_->conn_.lock();
  return c && exchange_->open() ? c->queued() : 0;
}

void ResponseStream::OnDrain(size_t low_mark, std::function<void()> on_drain) {
  exchange_->low_mark_ = low_mark;
  exchange_->on_drain_ = std::move(on_drain);
  exchange_->above_mark_ = queued() > low_mark;
}

}  // namespace http
