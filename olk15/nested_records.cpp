#include "olk15/nested_records.h"

#include <limits>

#include "olk15/byte_reader.h"
#include "olk15/format_error.h"
#include "olk15/property_collection.h"

namespace calsync::olk15 {
namespace {

namespace vt = value_type;

std::optional<std::int64_t> optionalInt(const PropertyCollection& c, std::uint16_t type, std::uint16_t index) {
  const Property* p = c.find(type, index);
  if (!p) return std::nullopt;
  return intValue(*p);
}

int smallInt(const PropertyCollection& c, std::uint16_t type, std::uint16_t index, int fallback = 0) {
  const auto v = optionalInt(c, type, index);
  if (!v) return fallback;
  if (*v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max()) {
    throw FormatError("integer property out of range");
  }
  return static_cast<int>(*v);
}

std::string text(const PropertyCollection& c, std::uint16_t type, std::uint16_t index) {
  const Property* p = c.find(type, index);
  return p ? textValue(*p) : std::string();
}

std::vector<std::int32_t> packedMinutes(std::string_view bytes) {
  if (bytes.size() % 4 != 0) throw FormatError("date list of " + std::to_string(bytes.size()) + " bytes");
  ByteReader in(bytes, "date list");
  std::vector<std::int32_t> out;
  out.reserve(bytes.size() / 4);
  while (in.remaining() > 0) out.push_back(in.i32());
  return out;
}

std::vector<OlkZoneRule> rules(const PropertyCollection& zone, std::uint16_t index, std::string_view prefix) {
  const Property* list = zone.find(vt::kNested, index);
  if (!list) return {};
  std::vector<OlkZoneRule> out;
  for (const auto& c : parseCollectionList(list->value)) {
    OlkZoneRule rule;
    const std::string p(prefix);
    if (const Property* st = c.find(PropertyKey::fourCC(p + "St"))) {
      const std::int64_t v = intValue(*st);
      if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max()) {
        throw FormatError("time-zone rule start out of range");
      }
      rule.start_minutes = static_cast<std::int32_t>(v);
    }
    if (const Property* fr = c.find(PropertyKey::fourCC(p + "Fr"))) rule.offset_from = utf8Value(fr->value);
    if (const Property* to = c.find(PropertyKey::fourCC(p + "To"))) rule.offset_to = utf8Value(to->value);
    if (const Property* rl = c.find(PropertyKey::fourCC(p + "Rl"))) rule.rrule = utf8Value(rl->value);
    out.push_back(std::move(rule));
  }
  return out;
}

}  // namespace

std::vector<OlkAttendee> decodeAttendees(std::string_view bytes) {
  std::vector<OlkAttendee> out;
  for (const auto& c : parseCollectionList(bytes)) {
    OlkAttendee a;
    a.person.name = text(c, vt::kUtf16, 0x01);
    a.person.email = text(c, vt::kAnsi, 0x01);
    a.recipient_type = smallInt(c, vt::kInt32, 0x01);
    a.attendee_type = smallInt(c, vt::kInt32, 0x02);
    if (const auto r = optionalInt(c, vt::kInt32, 0x0C)) a.response = static_cast<int>(*r);
    out.push_back(std::move(a));
  }
  return out;
}

OlkPerson decodeUserRecord(std::string_view bytes) {
  ByteReader in(bytes, "user record");
  in.take(28);
  OlkPerson person;
  const std::uint32_t address_size = in.u32();
  person.email = utf8Value(in.take(address_size));
  const std::uint32_t name_size = in.u32();
  person.name = utf16Value(in.take(name_size));
  return person;
}

OlkTimeZone decodeTimeZone(std::string_view bytes) {
  const PropertyCollection c = PropertyCollection::parse(bytes, false);
  OlkTimeZone zone;
  if (const Property* p = c.find(PropertyKey::fourCC("CFtz"))) zone.tzid = utf8Value(p->value);
  if (const Property* p = c.find(PropertyKey::fourCC("TZID"))) zone.windows_id = static_cast<std::int32_t>(intValue(*p));
  if (const Property* p = c.find(PropertyKey::fourCC("Name"))) zone.name = utf8Value(p->value);
  zone.standard = rules(c, 0x013F, "St");
  zone.daylight = rules(c, 0x0140, "DL");
  return zone;
}

OlkRecurrence decodeRecurrence(std::string_view bytes) {
  const PropertyCollection c = PropertyCollection::parse(bytes, false);
  OlkRecurrence r;
  r.pattern = smallInt(c, vt::kInt32, 0x01, -1);
  r.interval = smallInt(c, vt::kInt32, 0x02);
  r.end_type = smallInt(c, vt::kInt32, 0x03);
  r.count = smallInt(c, vt::kInt32, 0x04);
  r.weekday_mask = smallInt(c, vt::kInt32, 0x07);
  r.day_of_month = smallInt(c, vt::kInt32, 0x08);
  r.nth_weekday_mask = smallInt(c, vt::kInt32, 0x09);
  r.nth = smallInt(c, vt::kInt32, 0x0A);
  if (c.find(vt::kInt32, 0x0F)) r.series_start = smallInt(c, vt::kInt32, 0x0F);
  if (c.find(vt::kInt32, 0x10)) r.until = smallInt(c, vt::kInt32, 0x10);
  if (const Property* p = c.find(vt::kNested, 0x02)) r.exception_dates = packedMinutes(p->value);
  if (const Property* p = c.find(vt::kNested, 0x01)) r.extra_dates = packedMinutes(p->value);
  return r;
}

}  // namespace calsync::olk15
