#include "master/copy_form.h"

#include "core/errors.h"
#include "ical/ical_codec.h"
#include "master/copy_identity.h"

namespace calsync::master {

CalendarObject toCopyForm(CalendarObject object, const store::ObjectKey& key, const std::string& source_uid) {
  object.uid = copyUid(key, source_uid);
  object.origin = originMarker(key, source_uid);
  for (auto& component : object.components) component.uid = object.uid;
  return object;
}

CalendarObject toSourceForm(CalendarObject object, const std::string& source_uid) {
  object.uid = source_uid;
  object.origin.clear();
  for (auto& component : object.components) component.uid = source_uid;
  return object;
}

CalendarObject parseOne(const std::string& ical_text, const std::string& what) {
  ical::ParsedCalendar parsed = ical::parse(ical_text);
  if (parsed.objects.size() != 1) {
    throw ConnectorError(ErrorKind::BadData, what + " does not parse into one calendar object");
  }
  return std::move(parsed.objects.front());
}

std::string toIcal(const CalendarObject& object) {
  // Scheduling suppressed: whoever writes this text somewhere must not invite anyone.
  return ical::serialize(object, {.suppress_scheduling = true});
}

}  // namespace calsync::master
