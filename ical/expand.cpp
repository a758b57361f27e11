#include <algorithm>
#include <limits>
#include <set>

#include "ical/ical_codec.h"
#include "ical/ical_time.h"
#include "ical/libical_ptr.h"
#include "ical/zone_resolver.h"

namespace calsync::ical {
namespace {

constexpr std::int64_t kForever = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kDawn = std::numeric_limits<std::int64_t>::min();
// Upper bound on rule iterations per expansion, so a pathological RRULE (FREQ=SECONDLY over
// decades, rules that never match) costs bounded time.
constexpr std::size_t kMaxRuleSteps = 2'000'000;
// Bounded series longer than this are treated as open-ended when computing their span.
constexpr std::size_t kMaxSpanOccurrences = 100'000;
// Zone offsets stay within a day of UTC, so this margin covers any wall-time/instant mix-up
// when jumping ahead in a series.
constexpr std::int64_t kDaySeconds = 86400;

bool touches(const Window& w, std::int64_t start, std::int64_t end) {
  if (start == end) return start >= w.start_utc && start < w.end_utc;
  return w.overlaps(start, end);
}

// libical steps a sub-daily rule one period at a time and tests every BY part at each step
// (through ICU), so a day-level filter on an HOURLY, MINUTELY or SECONDLY rule can cost
// millions of steps inside one call between two matches. No calendar client writes such
// rules; they are not expanded beyond DTSTART and the expansion counts as truncated.
bool costlySubDailyRule(const icalrecurrencetype& rule) {
  auto has = [](const short* values) { return values[0] != ICAL_RECURRENCE_ARRAY_MAX; };
  const bool day_filters = has(rule.by_day) || has(rule.by_month_day) || has(rule.by_year_day) ||
                           has(rule.by_week_no) || has(rule.by_month) || has(rule.by_set_pos);
  switch (rule.freq) {
    case ICAL_HOURLY_RECURRENCE: return day_filters;
    case ICAL_MINUTELY_RECURRENCE: return day_filters || has(rule.by_hour);
    case ICAL_SECONDLY_RECURRENCE: return day_filters || has(rule.by_hour) || has(rule.by_minute);
    default: return false;
  }
}

bool openEnded(const Event& master) {
  if (master.recurrence.rrule.empty()) return false;
  const icalrecurrencetype rule = icalrecurrencetype_from_string(master.recurrence.rrule.c_str());
  if (rule.freq == ICAL_NO_RECURRENCE) return false;
  return rule.count == 0 && icaltime_is_null_time(rule.until);
}

class Expander {
 public:
  Expander(const CalendarObject& object, const Window& window, std::size_t max)
      : object_(object), window_(window), max_(max), zones_(object.vtimezones) {}

  std::vector<Occurrence> run() {
    const Event* master = object_.master();
    for (const auto& e : object_.components) {
      if (e.recurrence_id) replaced_.insert(instant(*e.recurrence_id));
    }
    for (const auto& e : object_.components) {
      if (e.recurrence_id && e.status != EventStatus::Cancelled) addOverride(e);
    }
    if (master) expandMaster(*master);
    std::sort(out_.begin(), out_.end(), [](const Occurrence& a, const Occurrence& b) {
      return a.start_utc != b.start_utc ? a.start_utc < b.start_utc : a.end_utc < b.end_utc;
    });
    if (out_.size() > max_) out_.resize(max_);
    return std::move(out_);
  }

  // True when the last run stopped early (step or size limit), so its list may be partial.
  bool truncated() const { return truncated_; }

 private:
  // Unresolvable zones are read as UTC: wrong by hours at worst, never by days.
  std::int64_t instant(const DateTime& t) const { return zones_.toUtc(t).value_or(wallSeconds(t)); }

  void addOverride(const Event& e) {
    Occurrence o{object_.uid, e.recurrence_id, e.start, e.end, instant(e.start), instant(e.end), &e};
    if (o.end_utc < o.start_utc) o.end_utc = o.start_utc;
    if (touches(window_, o.start_utc, o.end_utc)) out_.push_back(std::move(o));
  }

  void expandMaster(const Event& master) {
    master_ = &master;
    duration_utc_ = std::max<std::int64_t>(0, instant(master.end) - instant(master.start));
    wall_duration_ = wallSeconds(master.end) - wallSeconds(master.start);
    for (const auto& x : master.recurrence.exdates) {
      excluded_.insert(instant(x));
      if (x.is_date) excluded_dates_.insert(wallSeconds(x));
    }
    // DTSTART is always the first occurrence, whether or not the rule matches it.
    addInstance(master.start, !master.isRecurring());
    for (const auto& r : master.recurrence.rdates) addInstance(r, false);
    if (!master.recurrence.rrule.empty()) expandRule(master);
  }

  void expandRule(const Event& master) {
    icalrecurrencetype rule = icalrecurrencetype_from_string(master.recurrence.rrule.c_str());
    if (rule.freq == ICAL_NO_RECURRENCE) return;
    if (costlySubDailyRule(rule)) {
      truncated_ = true;
      return;
    }
    localizeUntil(rule, master.start);
    const icaltimetype dtstart = toIcalTime(master.start);
    RecurIteratorPtr it(icalrecur_iterator_new(rule, dtstart));
    if (!it) return;
    jumpTowardsWindow(it.get(), rule, master.start);
    for (std::size_t steps = 0;; ++steps) {
      if (steps >= kMaxRuleSteps || out_.size() >= max_ + replaced_.size()) {
        truncated_ = true;
        return;
      }
      const icaltimetype next = icalrecur_iterator_next(it.get());
      if (icaltime_is_null_time(next)) return;
      DateTime start = fromIcalTime(next, master.start.tzid);
      start.is_date = master.start.is_date;
      if (instant(start) >= window_.end_utc) return;
      addInstance(start, false);
    }
  }

  // libical compares UNTIL with the zoneless wall times it generates; a UTC UNTIL must first
  // become the wall time of the series' zone or the last occurrence may be lost or gained.
  void localizeUntil(icalrecurrencetype& rule, const DateTime& start) const {
    if (icaltime_is_null_time(rule.until) || !icaltime_is_utc(rule.until)) return;
    const DateTime until_utc = fromIcalTime(rule.until, "UTC");
    if (start.is_date) {
      rule.until = toIcalTime(DateTime{until_utc.year, until_utc.month, until_utc.day, 0, 0, 0, true, "", {}});
      return;
    }
    if (start.isUtc()) return;
    if (auto local = zones_.fromUtc(wallSeconds(until_utc), start.tzid)) {
      local->tzid.clear();
      rule.until = toIcalTime(*local);
    }
  }

  // A long-running series need not be walked from its first year: without COUNT, libical can
  // start the iteration close to the window.
  void jumpTowardsWindow(icalrecur_iterator* it, const icalrecurrencetype& rule, const DateTime& start) const {
    if (rule.count != 0 || window_.start_utc == kDawn) return;
    const std::int64_t target = window_.start_utc - duration_utc_ - 2 * kDaySeconds;
    if (target <= wallSeconds(start)) return;
    DateTime jump = epochToUtc(target);
    jump.tzid = start.tzid;
    jump.is_date = start.is_date;
    if (jump.is_date) jump.hour = jump.minute = jump.second = 0;
    if (!start.isUtc()) jump.tzid.clear();  // the iterator runs on zoneless wall times
    // On failure the iterator simply starts at DTSTART, which is slower but still right.
    icalrecur_iterator_set_start(it, toIcalTime(jump));
  }

  void addInstance(const DateTime& start, bool single) {
    const std::int64_t at = instant(start);
    if (!seen_.insert(at).second) return;
    if (replaced_.count(at) || excluded_.count(at)) return;
    // A date EXDATE on a date-time series removes that day's occurrence.
    if (!start.is_date && excluded_dates_.count(civilToEpoch(start.year, start.month, start.day, 0, 0, 0))) return;
    Occurrence o;
    o.uid = object_.uid;
    if (!single) o.recurrence_id = start;
    o.start = start;
    o.start_utc = at;
    o.end_utc = at + duration_utc_;
    if (start.tzid == master_->end.tzid && start.is_date == master_->end.is_date) {
      o.end = addWallSeconds(start, wall_duration_);
    } else {
      o.end = epochToUtc(o.end_utc);
      o.end.utc.reset();
    }
    o.event = master_;
    if (touches(window_, o.start_utc, o.end_utc)) out_.push_back(std::move(o));
  }

  const CalendarObject& object_;
  const Window window_;
  const std::size_t max_;
  const ZoneResolver zones_;
  const Event* master_ = nullptr;
  std::int64_t duration_utc_ = 0;
  std::int64_t wall_duration_ = 0;
  std::set<std::int64_t> replaced_;
  std::set<std::int64_t> excluded_;
  std::set<std::int64_t> excluded_dates_;
  std::set<std::int64_t> seen_;
  std::vector<Occurrence> out_;
  bool truncated_ = false;
};

void resolve(DateTime& value, const ZoneResolver& zones) { value.utc = zones.toUtc(value); }

}  // namespace

std::vector<Occurrence> expand(const CalendarObject& object, const Window& window, std::size_t max_occurrences) {
  return Expander(object, window, max_occurrences).run();
}

void computeSpan(CalendarObject& object) {
  const ZoneResolver zones(object.vtimezones);
  for (auto& e : object.components) {
    resolve(e.start, zones);
    resolve(e.end, zones);
    if (e.recurrence_id) resolve(*e.recurrence_id, zones);
    for (auto& t : e.recurrence.exdates) resolve(t, zones);
    for (auto& t : e.recurrence.rdates) resolve(t, zones);
    if (e.created) resolve(*e.created, zones);
    if (e.last_modified) resolve(*e.last_modified, zones);
  }
  auto instant = [](const DateTime& t) { return t.utc.value_or(wallSeconds(t)); };

  std::int64_t first = kForever;
  std::int64_t last = kDawn;
  for (const auto& e : object.components) {
    first = std::min(first, instant(e.start));
    last = std::max(last, instant(e.end));
  }
  const Event* master = object.master();
  if (master && openEnded(*master)) {
    object.span_start_utc = first;
    object.span_end_utc = kForever;
    return;
  }
  if (master && master->isRecurring()) {
    Expander expander(object, Window{kDawn, kForever}, kMaxSpanOccurrences);
    const std::vector<Occurrence> all = expander.run();
    if (expander.truncated() || all.size() >= kMaxSpanOccurrences) {
      object.span_start_utc = first;
      object.span_end_utc = kForever;
      return;
    }
    for (const auto& o : all) last = std::max(last, o.end_utc);
  }
  object.span_start_utc = first == kForever ? 0 : first;
  object.span_end_utc = last == kDawn ? object.span_start_utc : std::max(last, object.span_start_utc);
}

}  // namespace calsync::ical
