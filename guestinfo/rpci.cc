#include "guestinfo/rpci.h"

#include "guestinfo/json_fields.h"

namespace guestinfo {

using base::Result;
using base::Status;

namespace {

Status CheckKey(std::string_view key) {
  // The host splits "info-set KEY VALUE" at the first space after KEY.
  if (key.empty() ||
      key.find_first_of(" \t\n\r", 0) != std::string_view::npos ||
      key.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("invalid guestinfo key " + Quote(key));
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> ParseRpciReply(std::string_view reply) {
  if (reply == "1") return std::string();
  if (reply.size() >= 2 && reply[1] == ' ') {
    std::string_view rest = reply.substr(2);
    if (reply[0] == '1') return std::string(rest);
    if (reply[0] == '0') {
      if (rest == "No value found") {
        return Status::NotFound("No value found");
      }
      return Status::Unavailable("host refused: " + Quote(rest));
    }
  }
  return Status::InvalidArgument("malformed RPCI reply " + Quote(reply));
}

Result<std::string> InfoGet(RpciChannel& channel, std::string_view key) {
  TETHER_RETURN_IF_ERROR(CheckKey(key));
  std::string context(key);
  Result<std::string> reply = channel.Send("info-get " + context);
  if (!reply.ok()) return reply.TakeStatus().Annotate(context);
  Result<std::string> value = ParseRpciReply(*reply);
  if (!value.ok()) return value.TakeStatus().Annotate(context);
  return value;
}

Status InfoSet(RpciChannel& channel, std::string_view key,
               std::string_view value) {
  TETHER_RETURN_IF_ERROR(CheckKey(key));
  std::string context(key);
  if (value.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument(context + ": value contains a NUL byte");
  }
  std::string request = "info-set " + context + " ";
  request.append(value);
  Result<std::string> reply = channel.Send(request);
  if (!reply.ok()) return reply.TakeStatus().Annotate(context);
  return StatusAt(ParseRpciReply(*reply), context);
}

}  // namespace guestinfo
