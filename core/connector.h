// The one interface every calendar endpoint implements, as a source and as the destination.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/event.h"

namespace calsync {

struct Capabilities {
  bool read = true;
  bool write_events = false;
  bool write_metadata = false;
  bool incremental = false;   // pull() with a cursor returns only what changed
  bool push = false;          // the endpoint can notify us of changes
};

using CalendarId = std::string;
using Cursor = std::string;   // opaque to everyone but the connector that made it

// A problem with one item that was skipped; the rest of the read is still good.
struct ReadWarning {
  std::string where;          // "file.ics:42", an href, an item id
  std::string message;
};

struct ChangeSet {
  // Objects that are new or changed since the cursor (everything, for a full listing).
  // They may include objects outside the window; the engine filters by window.
  std::vector<CalendarObject> upserts;
  // native ids the endpoint positively reported as deleted.
  std::vector<std::string> removed;
  // native ids that exist but were left out of `upserts` because they do not touch the window.
  std::vector<std::string> out_of_window;
  // True only when upserts + out_of_window is everything the calendar holds. Only a
  // complete listing lets the engine infer deletions from absence. A read that failed
  // part-way throws instead of returning a partial set marked complete.
  bool complete = false;
  Cursor cursor;              // hand back to the next pull()
  std::vector<ReadWarning> warnings;
};

struct EventChange {
  enum class Kind { Create, Update, Delete };
  Kind kind = Kind::Create;
  CalendarId calendar;
  CalendarObject object;      // the new content (Create/Update); uid and native_id for Delete
  std::string if_match;       // the version last seen (Update/Delete); empty = unconditional
};

struct CalendarChange {
  CalendarId calendar;
  std::optional<std::string> name;
  std::optional<std::string> color;
  std::optional<std::string> description;
};

struct WriteResult {
  std::string native_id;      // where the object now lives
  std::string etag;           // its new version; empty when the server did not say
};

// Thrown errors are calsync::ConnectorError (core/errors.h). A Create whose target already
// exists throws Conflict; a conditional write that lost throws Conflict; a write to a
// missing object throws NotFound.
class Connector {
 public:
  virtual ~Connector() = default;
  virtual Capabilities capabilities() const = 0;
  virtual std::vector<Calendar> listCalendars() = 0;
  // Changes since `cursor` (empty cursor = full listing).
  virtual ChangeSet pull(const CalendarId& calendar, const Window& window, const Cursor& cursor) = 0;
  // The object with this UID as it is now, if any: lets a writer adopt a copy it made
  // before its own record of that copy was lost, instead of duplicating it.
  virtual std::optional<CalendarObject> findByUid(const CalendarId& calendar, const std::string& uid) = 0;
  virtual WriteResult apply(const EventChange& change) = 0;
  virtual void apply(const CalendarChange& change) = 0;
};

}  // namespace calsync
