#include "guestinfo/rpci_source.h"

#include "base/wipe.h"

#include "guestinfo/encoding.h"
#include "guestinfo/field_syntax.h"

namespace guestinfo {

using base::Result;
using base::Status;

namespace {

class RpciSource : public ConfigSource {
 public:
  explicit RpciSource(RpciChannel& channel) : channel_(channel) {}

  std::string Name() const override {
    return std::string("vmware ") + kConfigKey;
  }

  Result<std::string> Read() override {
    Result<std::string> raw = InfoGet(channel_, kConfigKey);
    if (!raw.ok()) {
      if (raw.status().code() == Status::Code::kNotFound) {
        return Status::NotFound(std::string("vmware: no ") + kConfigKey);
      }
      return raw.TakeStatus().Annotate("vmware");
    }
    if (TrimSpace(*raw).empty()) {
      return Status::NotFound(std::string("vmware: ") + kConfigKey +
                              " was cleared after an earlier read");
    }
    Result<std::string> encoding = InfoGet(channel_, kConfigEncodingKey);
    if (!encoding.ok()) {
      // Unset means plain, as in cloud-init.
      if (encoding.status().code() != Status::Code::kNotFound) {
        return encoding.TakeStatus().Annotate("vmware");
      }
      encoding = std::string();
    }
    Result<std::string> text = DecodePayload(*raw, *encoding);
    base::Wipe(&*raw);  // The encoded config: key and seed included.
    if (!text.ok()) return text.TakeStatus().Annotate(Name());
    return text;
  }

  Status Hide() override {
    return InfoSet(channel_, kConfigKey, " ").Annotate("vmware: hide config");
  }

 private:
  RpciChannel& channel_;
};

}  // namespace

std::unique_ptr<ConfigSource> NewRpciSource(RpciChannel& channel) {
  return std::make_unique<RpciSource>(channel);
}

Status RpciStateSink::Write(const GuestState& state) {
  return InfoSet(channel_, kStateKey, EncodeState(state));
}

}  // namespace guestinfo
