// FakeRpci: an in-process VMware host for RPCI, as far as guestinfo goes.
//
// Answers "info-get KEY" and "info-set KEY VALUE" from a map the test owns,
// with the host's reply formats ("1 VALUE", "0 No value found"), records
// every request, and can refuse writes or fail the transport. Reply() is
// the host logic alone, so an emulated backdoor can reuse it.
#ifndef TETHER_TESTS_FAKES_FAKE_RPCI_H_
#define TETHER_TESTS_FAKES_FAKE_RPCI_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/status.h"
#include "guestinfo/rpci.h"

namespace fakes {

class FakeRpci : public guestinfo::RpciChannel {
 public:
  base::Result<std::string> Send(std::string_view request) override {
    requests.emplace_back(request);
    if (transport_error) return *transport_error;
    return Reply(request);
  }

  // The host's answer to one request.
  std::string Reply(std::string_view request) {
    constexpr std::string_view kGet = "info-get ";
    constexpr std::string_view kSet = "info-set ";
    if (request.substr(0, kGet.size()) == kGet) {
      auto it = values.find(std::string(request.substr(kGet.size())));
      return it == values.end() ? "0 No value found" : "1 " + it->second;
    }
    if (request.substr(0, kSet.size()) == kSet) {
      std::string_view rest = request.substr(kSet.size());
      size_t space = rest.find(' ');
      if (space == std::string_view::npos) return "0 Two arguments required";
      std::string key(rest.substr(0, space));
      if (read_only.count(key)) return "0 Permission denied";
      values[key] = std::string(rest.substr(space + 1));
      return "1 ";
    }
    return "0 Unknown command";
  }

  std::map<std::string, std::string> values;  // guestinfo variables.
  std::set<std::string> read_only;            // info-set on these fails.
  std::optional<base::Status> transport_error;
  std::vector<std::string> requests;
};

}  // namespace fakes

#endif  // TETHER_TESTS_FAKES_FAKE_RPCI_H_
