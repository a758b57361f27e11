#include "core/three_way_merge.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "core/hash.h"

namespace calsync {
namespace {

// ---- How fields are compared ---------------------------------------------------------------

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Times compare by instant when both are resolved, so "09:00 Europe/Berlin" and "07:00Z" on
// the same summer day are the same start; an all-day date never equals a timed value.
std::string timeKey(const DateTime& t) {
  if (t.is_date) return "D" + t.toIcalValue();
  if (t.utc) return "U" + std::to_string(*t.utc);
  return "L" + t.toIcalValue() + "@" + t.tzid;
}

// How an overridden occurrence is named in field names and matched across versions.
std::string occurrenceKey(const Event& e) {
  if (!e.recurrence_id) return "";
  const DateTime& rid = *e.recurrence_id;
  if (rid.is_date) return rid.toIcalValue();
  if (rid.utc) return epochToUtc(*rid.utc).toIcalValue();
  return rid.toIcalValue();
}

std::string personKey(const Person& p) { return lower(p.email) + "\x1f" + p.name; }

std::string attendeesKey(const Event& e) {
  std::vector<std::string> all;
  for (const auto& a : e.attendees) {
    all.push_back(personKey(a.person) + "\x1f" + std::to_string(static_cast<int>(a.role)) + "\x1f" +
                  std::to_string(static_cast<int>(a.status)) + "\x1f" + (a.rsvp ? "1" : "0"));
  }
  std::sort(all.begin(), all.end());
  std::string key;
  for (const auto& a : all) key += a + "\x1e";
  return key;
}

std::string remindersKey(const Event& e) {
  std::vector<std::string> all;
  for (const auto& r : e.reminders) {
    all.push_back(std::to_string(r.offset_seconds) + (r.relative_to_end ? "E" : "S") + "\x1f" + r.action + "\x1f" +
                  normalizeText(r.description));
  }
  std::sort(all.begin(), all.end());
  std::string key;
  for (const auto& r : all) key += r + "\x1e";
  return key;
}

// A field with one value: compared by `key`, taken from one version by `copy`.
struct ScalarField {
  const char* name;
  std::function<std::string(const Event&)> key;
  std::function<void(Event&, const Event&)> copy;
  // Destinations commonly fill this in or drop it when they store a copy (a status, the
  // calendar's owner as organizer, alarms they do not keep).
  bool filled_by_servers = false;
};

const std::vector<ScalarField>& scalarFields() {
  static const std::vector<ScalarField> fields = {
      {"summary", [](const Event& e) { return normalizeText(e.summary); },
       [](Event& to, const Event& from) { to.summary = from.summary; }},
      {"location", [](const Event& e) { return normalizeText(e.location); },
       [](Event& to, const Event& from) { to.location = from.location; }},
      {"description", [](const Event& e) { return normalizeText(e.description); },
       [](Event& to, const Event& from) { to.description = from.description; }},
      {"start", [](const Event& e) { return timeKey(e.start); },
       [](Event& to, const Event& from) { to.start = from.start; }},
      {"end", [](const Event& e) { return timeKey(e.end); }, [](Event& to, const Event& from) { to.end = from.end; }},
      {"rrule", [](const Event& e) { return e.recurrence.rrule; },
       [](Event& to, const Event& from) { to.recurrence.rrule = from.recurrence.rrule; }},
      {"status", [](const Event& e) { return std::to_string(static_cast<int>(e.status)); },
       [](Event& to, const Event& from) { to.status = from.status; }, true},
      {"transparency", [](const Event& e) { return std::to_string(static_cast<int>(e.transparency)); },
       [](Event& to, const Event& from) { to.transparency = from.transparency; }, true},
      {"class", [](const Event& e) { return std::to_string(static_cast<int>(e.privacy)); },
       [](Event& to, const Event& from) { to.privacy = from.privacy; }, true},
      {"organizer", [](const Event& e) { return e.organizer ? personKey(*e.organizer) : std::string(); },
       [](Event& to, const Event& from) { to.organizer = from.organizer; }, true},
      {"attendees", attendeesKey, [](Event& to, const Event& from) { to.attendees = from.attendees; }, true},
      {"reminders", remindersKey, [](Event& to, const Event& from) { to.reminders = from.reminders; }, true},
      {"url", [](const Event& e) { return e.url; }, [](Event& to, const Event& from) { to.url = from.url; }, true},
  };
  return fields;
}

// A field that is a set (EXDATEs, RDATEs, categories): merged element by element, so an
// occurrence cancelled at the destination and another cancelled at the source both stay
// cancelled. Sets never conflict.
struct SetField {
  const char* name;
  bool filled_by_servers;
  std::function<std::vector<std::string>(const Event&)> keys;   // one per element, in order
  // Sets `to`'s elements to the chosen ones: (version, index into its elements).
  std::function<void(Event&, const std::vector<std::pair<const Event*, std::size_t>>&)> assign;
};

std::vector<std::string> timeKeys(const std::vector<DateTime>& times) {
  std::vector<std::string> keys;
  for (const auto& t : times) keys.push_back(timeKey(t));
  return keys;
}

const std::vector<SetField>& setFields() {
  static const std::vector<SetField> fields = {
      {"exdates", false, [](const Event& e) { return timeKeys(e.recurrence.exdates); },
       [](Event& to, const std::vector<std::pair<const Event*, std::size_t>>& chosen) {
         std::vector<DateTime> out;
         for (const auto& [from, i] : chosen) out.push_back(from->recurrence.exdates[i]);
         to.recurrence.exdates = std::move(out);
       }},
      {"rdates", false, [](const Event& e) { return timeKeys(e.recurrence.rdates); },
       [](Event& to, const std::vector<std::pair<const Event*, std::size_t>>& chosen) {
         std::vector<DateTime> out;
         for (const auto& [from, i] : chosen) out.push_back(from->recurrence.rdates[i]);
         to.recurrence.rdates = std::move(out);
       }},
      {"categories", true,
       [](const Event& e) {
         std::vector<std::string> keys;
         for (const auto& c : e.categories) keys.push_back(normalizeText(c));
         return keys;
       },
       [](Event& to, const std::vector<std::pair<const Event*, std::size_t>>& chosen) {
         std::vector<std::string> out;
         for (const auto& [from, i] : chosen) out.push_back(from->categories[i]);
         to.categories = std::move(out);
       }},
  };
  return fields;
}

// ---- The merge -----------------------------------------------------------------------------

std::string fieldName(const char* field, const std::string& occurrence) {
  return occurrence.empty() ? std::string(field) : std::string(field) + "@" + occurrence;
}

// One component in each version; null where that version lacks it (the caller substitutes
// stand-ins so that only `route_base` may stay null).
struct ComponentVersions {
  const Event* base;
  const Event* rendering;
  const Event* route_base;
  const Event* source;
  const Event* destination;
};

class Merger {
 public:
  Merger(const MergeInput& input, std::optional<MergeSide> winner) : in_(input), winner_(winner) {}

  MergeResult run() {
    const auto base = index(in_.base);
    const auto rendering = in_.base_rendering ? index(*in_.base_rendering) : base;
    const auto route_base = in_.route_base ? index(*in_.route_base) : std::map<std::string, const Event*>{};
    const auto source = index(in_.source);
    const auto destination = index(in_.destination);
    std::set<std::string> keys;
    for (const auto* m : {&base, &rendering, &route_base, &source, &destination}) {
      for (const auto& [k, e] : *m) keys.insert(k);
    }

    result_.merged = in_.source;
    result_.merged.components.clear();
    for (const std::string& key : keys) {
      const Event* b = find(base, key);
      const Event* r = find(rendering, key);
      const Event* rb = in_.route_base ? find(route_base, key) : nullptr;
      const Event* s = find(source, key);
      const Event* d = find(destination, key);
      mergeComponent(key, b, r, rb, s, d);
    }
    std::stable_sort(result_.merged.components.begin(), result_.merged.components.end(),
                     [](const Event& a, const Event& b) { return occurrenceKey(a) < occurrenceKey(b); });
    mergeTimezones();
    dedupe(result_.source_changed);
    dedupe(result_.destination_changed);
    dedupe(result_.conflicts);
    return std::move(result_);
  }

 private:
  static std::map<std::string, const Event*> index(const CalendarObject& object) {
    std::map<std::string, const Event*> out;
    for (const auto& c : object.components) out.emplace(occurrenceKey(c), &c);
    return out;
  }
  static const Event* find(const std::map<std::string, const Event*>& m, const std::string& key) {
    auto it = m.find(key);
    return it == m.end() ? nullptr : it->second;
  }
  static void dedupe(std::vector<std::string>& v) {
    std::vector<std::string> out;
    for (auto& x : v) {
      if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(std::move(x));
    }
    v = std::move(out);
  }

  // Whether a component (as a whole) is present in the merge, then its fields.
  void mergeComponent(const std::string& key, const Event* b, const Event* r, const Event* rb, const Event* s,
                      const Event* d) {
    const bool in_b = b, in_r = r, in_s = s, in_d = d;
    const bool src = in_s != in_b && (!in_.route_base || in_s != static_cast<bool>(rb));
    const bool dst = in_d != in_r;
    const std::string occurrence_field = "occurrence@" + key;
    Event empty;
    empty.uid = in_.source.uid;

    if (!src && !dst) {
      if (!in_b) return;  // nobody has it (or a routed removal on its way)
      const Event* rendered = r ? r : b;
      mergeFields(key, {b, rendered, rb, s ? s : b, d ? d : rendered}, nullptr);
      return;
    }
    if (src && !dst) {
      result_.source_changed.push_back(occurrence_field);
      if (in_s) {
        const Event* base = in_b ? b : &empty;
        mergeFields(key, {base, in_r ? r : base, rb, s, in_d ? d : (in_r ? r : base)}, s);
        result_.write_destination = true;
        return;
      }
      // Removed at the source; a destination that edited it meanwhile conflicts.
      if (in_d && in_r && componentChanged(*r, *d)) {
        if (decide(occurrence_field) == MergeSide::Destination) {
          keepFrom(*d, /*from_destination=*/true);
          return;
        }
      }
      if (in_d) result_.write_destination = true;
      return;
    }
    if (!src && dst) {
      result_.destination_changed.push_back(occurrence_field);
      if (in_d) {
        const Event* base = in_b ? b : &empty;
        mergeFields(key, {base, in_r ? r : base, rb, in_s ? s : base, d}, d);
        if (!in_s) result_.update_source = true;
        return;
      }
      // Removed at the destination; a source that edited it meanwhile conflicts.
      if (in_s && in_b && componentChanged(*b, *s)) {
        if (decide(occurrence_field) != MergeSide::Destination) {
          keepFrom(*s, /*from_destination=*/false);
          result_.write_destination = true;
          return;
        }
      }
      if (in_s) result_.update_source = true;
      return;
    }
    // Both sides changed whether it exists.
    result_.source_changed.push_back(occurrence_field);
    result_.destination_changed.push_back(occurrence_field);
    if (in_s && in_d) {
      const Event* base = in_b ? b : &empty;
      mergeFields(key, {base, in_r ? r : base, rb, s, d}, s);
    } else if (in_s) {
      keepFrom(*s, false);  // the destination never rendered it: keep the source's
      result_.write_destination = true;
    }
  }

  // Adds a component as one side has it, whole.
  void keepFrom(const Event& e, bool from_destination) {
    Event kept = e;
    kept.uid = in_.source.uid;
    result_.merged.components.push_back(std::move(kept));
    if (from_destination) result_.update_source = true;
  }

  bool componentChanged(const Event& from, const Event& to) const {
    for (const auto& f : scalarFields()) {
      if (f.key(from) != f.key(to)) return true;
    }
    for (const auto& f : setFields()) {
      auto a = f.keys(from), b = f.keys(to);
      if (std::set<std::string>(a.begin(), a.end()) != std::set<std::string>(b.begin(), b.end())) return true;
    }
    return false;
  }

  std::optional<MergeSide> decide(const std::string& field) {
    result_.conflicts.push_back(field);
    return winner_;
  }

  // Field by field. `shell` is the version whose non-merged parts (RECURRENCE-ID, SEQUENCE,
  // extra properties) the merged component keeps; null = the source's, else the base's.
  void mergeFields(const std::string& key, const ComponentVersions& v, const Event* shell) {
    Event out = shell ? *shell : *v.source;
    out.uid = in_.source.uid;
    for (const auto& f : scalarFields()) {
      const std::string kb = f.key(*v.base), kr = f.key(*v.rendering), ks = f.key(*v.source),
                        kd = f.key(*v.destination);
      const bool src = ks != kb && (!v.route_base || ks != f.key(*v.route_base));
      const bool dst = kd != kr;
      // The base holds a destination edit of this field that the source has not applied yet:
      // a source that changed the field meanwhile conflicts with it.
      const bool in_flight = v.route_base && !dst && kb != f.key(*v.route_base);
      const std::string name = fieldName(f.name, key);
      if (src) result_.source_changed.push_back(name);
      if (dst) result_.destination_changed.push_back(name);
      // The destination's value, and what it changed since the version both last agreed on.
      const std::string& kd_eff = in_flight ? kb : kd;
      const bool dst_eff = dst || in_flight;
      enum class From { Source, Destination, Base } from;
      if (src && dst_eff) {
        if (ks == kd_eff) {
          from = From::Source;
        } else {
          const bool destination = decide(name) == MergeSide::Destination;
          from = !destination ? From::Source : in_flight ? From::Base : From::Destination;
          if (from == From::Source) result_.write_destination = true;
          if (from == From::Base) result_.update_source = true;  // the source kept its own value
        }
      } else if (src) {
        from = From::Source;
        result_.write_destination = true;
      } else if (dst) {
        from = From::Destination;
      } else {
        // Unchanged on both sides. A source still at the route base has an edit on its way:
        // the base (which holds the edit) is the value.
        from = ks == kb ? From::Source : From::Base;
      }
      if (from == From::Destination && kd != ks) result_.update_source = true;
      const Event* take = from == From::Source ? v.source : from == From::Destination ? v.destination : v.base;
      f.copy(out, *take);
    }
    for (const auto& f : setFields()) mergeSet(f, key, v, out);
    result_.merged.components.push_back(std::move(out));
  }

  void mergeSet(const SetField& f, const std::string& key, const ComponentVersions& v, Event& out) {
    const auto kb = f.keys(*v.base), kr = f.keys(*v.rendering), ks = f.keys(*v.source), kd = f.keys(*v.destination);
    const auto krb = v.route_base ? f.keys(*v.route_base) : std::vector<std::string>{};
    auto position = [](const std::vector<std::string>& keys, const std::string& k) -> std::optional<std::size_t> {
      auto it = std::find(keys.begin(), keys.end(), k);
      if (it == keys.end()) return std::nullopt;
      return static_cast<std::size_t>(it - keys.begin());
    };
    std::vector<std::string> all;
    for (const auto* keys : {&kb, &kr, &krb, &ks, &kd}) {
      for (const auto& k : *keys) {
        if (std::find(all.begin(), all.end(), k) == all.end()) all.push_back(k);
      }
    }
    std::vector<std::pair<const Event*, std::size_t>> chosen;
    const std::string name = fieldName(f.name, key);
    for (const auto& k : all) {
      const auto pb = position(kb, k), pr = position(kr, k), ps = position(ks, k), pd = position(kd, k);
      const bool in_b = pb.has_value(), in_s = ps.has_value(), in_d = pd.has_value();
      const bool src = in_s != in_b && (!v.route_base || in_s != position(krb, k).has_value());
      const bool dst = in_d != pr.has_value();
      if (src) result_.source_changed.push_back(name);
      if (dst) result_.destination_changed.push_back(name);
      bool present;
      if (src) {
        present = in_s;
        if (in_s != in_d) result_.write_destination = true;
      } else if (dst) {
        present = in_d;
        if (in_d != in_s) result_.update_source = true;
      } else {
        present = in_b;
      }
      if (!present) continue;
      if (in_s) chosen.emplace_back(v.source, *ps);
      else if (in_d) chosen.emplace_back(v.destination, *pd);
      else chosen.emplace_back(v.base, *pb);
    }
    f.assign(out, chosen);
  }

  // Zones the merged components name: the source's VTIMEZONEs, plus the destination's for
  // zones only it uses.
  void mergeTimezones() {
    auto tzidOf = [](const std::string& block) {
      const std::size_t at = block.find("TZID:");
      if (at == std::string::npos) return std::string();
      const std::size_t end = block.find_first_of("\r\n", at);
      return block.substr(at + 5, end == std::string::npos ? std::string::npos : end - at - 5);
    };
    std::set<std::string> have;
    for (const auto& block : result_.merged.vtimezones) have.insert(tzidOf(block));
    for (const auto& block : in_.destination.vtimezones) {
      if (have.insert(tzidOf(block)).second) result_.merged.vtimezones.push_back(block);
    }
  }

  const MergeInput& in_;
  std::optional<MergeSide> winner_;
  MergeResult result_;
};

std::optional<std::int64_t> lastModified(const CalendarObject& object) {
  const Event* master = object.master();
  if (!master && !object.components.empty()) master = &object.components.front();
  if (!master || !master->last_modified) return std::nullopt;
  const DateTime& t = *master->last_modified;
  if (t.utc) return t.utc;
  return civilToEpoch(t.year, t.month, t.day, t.hour, t.minute, t.second);
}

}  // namespace

const char* toString(ConflictStrategy strategy) {
  switch (strategy) {
    case ConflictStrategy::SourceWins: return "source_wins";
    case ConflictStrategy::DestinationWins: return "destination_wins";
    case ConflictStrategy::LatestWins: return "latest_wins";
    case ConflictStrategy::Manual: return "manual";
  }
  return "manual";
}

std::optional<ConflictStrategy> conflictStrategyFromString(std::string_view text) {
  for (auto s : {ConflictStrategy::SourceWins, ConflictStrategy::DestinationWins, ConflictStrategy::LatestWins,
                 ConflictStrategy::Manual}) {
    if (text == toString(s)) return s;
  }
  return std::nullopt;
}

MergeResult threeWayMerge(const MergeInput& input, std::optional<MergeSide> winner) {
  return Merger(input, winner).run();
}

std::vector<std::string> changedFields(const CalendarObject& from, const CalendarObject& to) {
  return threeWayMerge({from, nullptr, nullptr, from, to}, MergeSide::Destination).destination_changed;
}

CalendarObject assumedRendering(const CalendarObject& base, const CalendarObject& destination) {
  CalendarObject rendering = base;
  const Event unset;
  for (Event& component : rendering.components) {
    const std::string key = occurrenceKey(component);
    const Event* seen = nullptr;
    for (const auto& d : destination.components) {
      if (occurrenceKey(d) == key) seen = &d;
    }
    if (!seen) continue;
    for (const auto& f : scalarFields()) {
      if (!f.filled_by_servers) continue;
      const bool base_unset = f.key(component) == f.key(unset);
      const bool seen_unset = f.key(*seen) == f.key(unset);
      if (base_unset || seen_unset) f.copy(component, *seen);
    }
    for (const auto& f : setFields()) {
      if (!f.filled_by_servers) continue;
      if (f.keys(component).empty() || f.keys(*seen).empty()) {
        std::vector<std::pair<const Event*, std::size_t>> all;
        for (std::size_t i = 0; i < f.keys(*seen).size(); ++i) all.emplace_back(seen, i);
        f.assign(component, all);
      }
    }
  }
  return rendering;
}

MergeSide latestSide(const CalendarObject& base, const CalendarObject* base_rendering, const CalendarObject& source,
                     const CalendarObject& destination) {
  // A time that equals the base's (or the rendering's) did not move: it says nothing.
  const auto moved = [](const std::optional<std::int64_t>& t, const std::optional<std::int64_t>& a,
                        const std::optional<std::int64_t>& b) -> std::int64_t {
    if (!t || t == a || t == b) return 0;
    return *t;
  };
  const auto base_time = lastModified(base);
  const auto rendering_time = base_rendering ? lastModified(*base_rendering) : base_time;
  const std::int64_t source_time = moved(lastModified(source), base_time, base_time);
  const std::int64_t destination_time = moved(lastModified(destination), rendering_time, base_time);
  return destination_time > source_time ? MergeSide::Destination : MergeSide::Source;
}

}  // namespace calsync
