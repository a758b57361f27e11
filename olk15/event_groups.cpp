#include "olk15/event_groups.h"

#include <algorithm>
#include <map>

namespace calsync::olk15 {

std::string standInUid(std::int64_t record_id) { return "outlook-mac-record-" + std::to_string(record_id) + "@calsync"; }

std::vector<EventGroup> groupRows(const std::vector<const EventRow*>& input) {
  std::vector<const EventRow*> rows = input;
  std::sort(rows.begin(), rows.end(), [](const EventRow* a, const EventRow* b) { return a->record_id < b->record_id; });
  std::map<std::int64_t, const EventRow*> by_id;
  std::map<std::string, std::int64_t> recurring_by_uid;
  for (const EventRow* r : rows) {
    by_id.emplace(r->record_id, r);
    if (r->is_recurring && !r->uid.empty()) recurring_by_uid.emplace(r->uid, r->record_id);
  }
  auto groupOf = [&](const EventRow* r) -> std::int64_t {
    if (r->recurrence_id == 0) return r->record_id;
    if (r->master_id != 0 && r->master_id != r->record_id) {
      auto it = by_id.find(r->master_id);
      // A master that is itself an occurrence cannot own one: keep the row on its own.
      if (it != by_id.end() && it->second->recurrence_id == 0) return r->master_id;
      return r->record_id;
    }
    if (r->master_id == 0 && !r->uid.empty()) {
      auto it = recurring_by_uid.find(r->uid);
      if (it != recurring_by_uid.end() && it->second != r->record_id) return it->second;
    }
    return r->record_id;
  };

  std::map<std::int64_t, EventGroup> groups;
  for (const EventRow* r : rows) {
    EventGroup& g = groups[groupOf(r)];
    g.rows.push_back(r);
  }
  std::vector<EventGroup> out;
  std::map<std::string, int> uid_uses;
  for (auto& [group_id, g] : groups) {
    const std::int64_t id = group_id;  // clang 14 cannot capture structured bindings
    g.id = id;
    // The head row first: rows are already in record-id order, so move it to the front.
    auto head = std::find_if(g.rows.begin(), g.rows.end(), [&](const EventRow* r) { return r->record_id == id; });
    if (head != g.rows.end()) std::rotate(g.rows.begin(), head, head + 1);
    const EventRow* first = g.rows.front();
    g.uid = first->uid.empty() ? standInUid(id) : first->uid;
    g.recurring = std::any_of(g.rows.begin(), g.rows.end(), [](const EventRow* r) { return r->is_recurring; }) ||
                  g.rows.size() > 1 || first->recurrence_id != 0;
    g.native_id = uid_uses[g.uid]++ == 0 ? g.uid : g.uid + "#" + std::to_string(id);
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace calsync::olk15
