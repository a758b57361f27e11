#include "olk15/event_record.h"

#include <limits>

#include "olk15/format_error.h"
#include "olk15/property_collection.h"
#include "olk15/record_file.h"

namespace calsync::olk15 {
namespace {

namespace vt = value_type;

class Reader {
 public:
  explicit Reader(const PropertyCollection& c) : c_(c) {}

  std::string text(std::uint16_t type, std::uint16_t index) const {
    const Property* p = c_.find(type, index);
    return p ? textValue(*p) : std::string();
  }
  std::optional<std::int64_t> integer(std::uint16_t type, std::uint16_t index) const {
    const Property* p = c_.find(type, index);
    if (!p) return std::nullopt;
    return intValue(*p);
  }
  std::optional<std::int32_t> int32(std::uint16_t index, const char* what) const {
    const auto v = integer(vt::kInt32, index);
    if (!v) return std::nullopt;
    if (*v < std::numeric_limits<std::int32_t>::min() || *v > std::numeric_limits<std::int32_t>::max()) {
      throw FormatError(std::string(what) + " out of range");
    }
    return static_cast<std::int32_t>(*v);
  }
  std::optional<int> small(std::uint16_t type, std::uint16_t index) const {
    const auto v = integer(type, index);
    if (!v) return std::nullopt;
    if (*v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max()) {
      throw FormatError("enumeration property out of range");
    }
    return static_cast<int>(*v);
  }
  std::optional<bool> flag(std::uint16_t index) const {
    const Property* p = c_.find(vt::kBool, index);
    if (!p) return std::nullopt;
    return boolValue(*p);
  }
  std::optional<double> time(std::uint16_t index) const {
    const Property* p = c_.find(vt::kCfTime, index);
    if (!p) return std::nullopt;
    return doubleValue(*p);
  }
  const Property* nested(std::uint16_t index) const { return c_.find(vt::kNested, index); }

 private:
  const PropertyCollection& c_;
};

}  // namespace

OlkEvent decodeEventFile(std::string_view bytes) {
  const EntityFile file = parseEntityFile(bytes, kClassEvent, kEventTag);
  const Reader r(file.properties);
  OlkEvent e;
  e.record_id = file.record_id;
  e.subject = r.text(vt::kUtf16, 0x02);
  e.location = r.text(vt::kUtf16, 0x04);
  e.html_body = r.text(vt::kUtf16, 0x01);
  e.uid = r.text(vt::kAnsi, 0x04);
  e.organizer_address = r.text(vt::kAnsi, 0x01);
  e.online_meeting_url = r.text(vt::kUtf16, 0x0A);
  if (const Property* p = r.nested(0x0D)) {
    if (!p->value.empty()) e.organizer = decodeUserRecord(p->value);
  }
  if (const Property* p = r.nested(0x0B)) {
    if (!p->value.empty()) e.attendees = decodeAttendees(p->value);
  }
  e.all_day = r.flag(0x07).value_or(false);
  e.is_recurring = r.flag(0x03).value_or(false);
  e.cancelled = r.flag(0x14).value_or(false);
  e.start_utc = r.int32(0x13, "start");
  e.end_utc = r.int32(0x14, "end");
  e.start_local = r.int32(0x17, "local start");
  e.end_local = r.int32(0x18, "local end");
  const Property* zone = r.nested(0x09);
  if (!zone || zone->value.empty()) zone = r.nested(0x0F);
  if (zone && !zone->value.empty()) e.zone = decodeTimeZone(zone->value);
  e.reminder_minutes = r.int32(0x06, "reminder lead time");
  e.has_reminder = r.flag(0x09);
  e.busy_status = r.small(vt::kInt32, 0x1D);
  e.sensitivity = r.small(vt::kInt16, 0x80);
  e.priority = r.small(vt::kInt16, 0x81);
  if (const Property* p = r.nested(0x02)) {
    if (!p->value.empty()) e.recurrence = decodeRecurrence(p->value);
  }
  e.master_record_id = r.integer(vt::kInt32, 0x1A).value_or(0);
  e.recurrence_id = r.integer(vt::kInt32, 0x1E).value_or(0);
  e.folder_id = r.integer(vt::kInt32, 0x0152);
  e.account_uid = r.integer(vt::kInt64, 0x0130);
  e.modified_cf = r.time(0x04);
  e.created_cf = r.time(0x12);
  return e;
}

}  // namespace calsync::olk15
