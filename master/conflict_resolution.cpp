#include "master/conflict_resolution.h"

#include "core/three_way_merge.h"
#include "ical/ical_codec.h"
#include "master/copy_form.h"

namespace calsync::master {
namespace {

CalendarObject one(const std::string& text, const std::string& what) {
  ical::ParsedCalendar parsed = ical::parse(text);
  if (!parsed.recognized || parsed.objects.size() != 1) {
    std::string why = parsed.warnings.empty() ? "" : " (" + parsed.warnings.front().message + ")";
    throw BadResolution(what + " must be one iCalendar event (a VCALENDAR with VEVENTs of one UID)" + why);
  }
  return std::move(parsed.objects.front());
}

}  // namespace

std::string resolvedVersion(const store::ConflictRecord& conflict, const std::string& resolution,
                            const std::string& merged_ical) {
  if (resolution == "merged") {
    if (merged_ical.empty()) throw BadResolution("a merged resolution needs \"ical\": the event as it should be");
    return toIcal(toSourceForm(one(merged_ical, "\"ical\""), conflict.uid));
  }
  MergeSide winner;
  if (resolution == "source_wins") {
    winner = MergeSide::Source;
  } else if (resolution == "destination_wins") {
    winner = MergeSide::Destination;
  } else {
    throw BadResolution("\"resolution\" must be source_wins, destination_wins or merged");
  }
  const CalendarObject base = one(conflict.base_ical, "the conflict's base version");
  const CalendarObject source = one(conflict.source_ical, "the conflict's source version");
  const CalendarObject destination = one(conflict.destination_ical, "the conflict's destination version");
  std::optional<CalendarObject> rendering;
  if (!conflict.base_rendering.empty()) rendering = one(conflict.base_rendering, "the destination's rendering");
  const MergeResult merge =
      threeWayMerge({base, rendering ? &*rendering : nullptr, nullptr, source, destination}, winner);
  return toIcal(merge.merged);
}

}  // namespace calsync::master
