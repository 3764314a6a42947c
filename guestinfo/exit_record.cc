#include "guestinfo/exit_record.h"

#include <nlohmann/json.hpp>

#include "guestinfo/field_syntax.h"
#include "guestinfo/json_dom.h"
#include "guestinfo/json_fields.h"

namespace guestinfo {
namespace {

constexpr char kDoc[] = "exit record";
constexpr int kMaxSignal = 64;  // SIGRTMAX on Linux.

// Every key is required: a record that leaves one out is not a record.
base::Status RequireInt(const ObjectReader& r, std::string_view key, int lo,
                        int hi, int* out) {
  if (r.Find(key) == nullptr) return FieldError(r.Path(key), "required");
  return r.Int(key, lo, hi, out);
}

}  // namespace

std::string EncodeExitRecord(const ExitRecord& r) {
  nlohmann::ordered_json j;
  j["session"] = r.session;
  j["exit_code"] = r.exit_code;
  j["signal"] = r.signal;
  // Session ids are ASCII (CheckSessionId), so dump() cannot throw.
  return std::string(kExitRecordPrefix) + j.dump() + "\n";
}

base::Result<ExitRecord> DecodeExitRecord(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > kMaxExitRecordLine) {
    return FieldError(kDoc, "line longer than " +
                                std::to_string(kMaxExitRecordLine) + " bytes");
  }
  if (line.substr(0, kExitRecordPrefix.size()) != kExitRecordPrefix) {
    return FieldError(kDoc, "not a \"tether: exit \" line");
  }
  std::string_view text = line.substr(kExitRecordPrefix.size());
  // Exactly one object, as the tether writes it: JSON would also take
  // whitespace around it.
  if (text.empty() || text.front() != '{' || text.back() != '}') {
    return FieldError(kDoc, "expected one JSON object after the prefix");
  }
  TETHER_ASSIGN_OR_RETURN(nlohmann::json doc, ParseJsonDocument(text, kDoc));
  TETHER_ASSIGN_OR_RETURN(
      ObjectReader r,
      ObjectReader::Open(doc, kDoc, {"session", "exit_code", "signal"}));
  ExitRecord rec;
  TETHER_RETURN_IF_ERROR(r.RequiredString("session", &rec.session));
  TETHER_RETURN_IF_ERROR(
      CheckSessionId(rec.session).Annotate(r.Path("session")));
  TETHER_RETURN_IF_ERROR(RequireInt(r, "exit_code", 0, 255, &rec.exit_code));
  TETHER_RETURN_IF_ERROR(RequireInt(r, "signal", 0, kMaxSignal, &rec.signal));
  // A signal death is reported as 128+signal (docs/protocol.md §5).
  if (rec.signal != 0 && rec.exit_code != 128 + rec.signal) {
    return FieldError(r.Path("exit_code"),
                      "is not 128+signal for signal " +
                          std::to_string(rec.signal));
  }
  return rec;
}

}  // namespace guestinfo
