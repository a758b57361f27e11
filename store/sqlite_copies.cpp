#include "store/sqlite_copies.h"

namespace calsync::store::sqlite {

using namespace Poco::Data::Keywords;

std::vector<DestinationCopy> fetchCopies(Poco::Data::Statement& statement) {
  std::vector<std::string> agent_ids, sources, calendar_ids, native_ids, copy_uids, dest_calendars, dest_native_ids,
      dest_etags, written_hashes, bases, renderings, dest_icals, route_bases;
  std::vector<std::int64_t> routed, deleted;
  statement, into(agent_ids), into(sources), into(calendar_ids), into(native_ids), into(copy_uids),
      into(dest_calendars), into(dest_native_ids), into(dest_etags), into(written_hashes), into(bases),
      into(renderings), into(dest_icals), into(route_bases), into(routed), into(deleted);
  statement.execute();
  std::vector<DestinationCopy> result;
  result.reserve(agent_ids.size());
  for (std::size_t i = 0; i < agent_ids.size(); ++i) {
    DestinationCopy c;
    c.key = {std::move(agent_ids[i]), std::move(sources[i]), std::move(calendar_ids[i]), std::move(native_ids[i])};
    c.copy_uid = std::move(copy_uids[i]);
    c.dest_calendar = std::move(dest_calendars[i]);
    c.dest_native_id = std::move(dest_native_ids[i]);
    c.dest_etag = std::move(dest_etags[i]);
    c.written_hash = std::move(written_hashes[i]);
    c.base_ical = std::move(bases[i]);
    c.base_rendering = std::move(renderings[i]);
    c.dest_ical = std::move(dest_icals[i]);
    c.route_base = std::move(route_bases[i]);
    c.routed_update_id = routed[i];
    c.dest_deleted = deleted[i] != 0;
    result.push_back(std::move(c));
  }
  return result;
}

void writeCopyRow(Poco::Data::Session& session, const DestinationCopy& copy) {
  const ObjectKey& k = copy.key;
  const int deleted = copy.dest_deleted ? 1 : 0;
  session << "INSERT INTO destination_copies (" + std::string(kCopyColumns) +
                 ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (agent_id, source, calendar_id, native_id) DO UPDATE SET copy_uid = excluded.copy_uid, "
                 "dest_calendar = excluded.dest_calendar, dest_native_id = excluded.dest_native_id, "
                 "dest_etag = excluded.dest_etag, written_hash = excluded.written_hash, base_ical = excluded.base_ical, "
                 "base_rendering = excluded.base_rendering, dest_ical = excluded.dest_ical, "
                 "route_base = excluded.route_base, routed_update_id = excluded.routed_update_id, "
                 "dest_deleted = excluded.dest_deleted",
      useRef(k.agent_id), useRef(k.source), useRef(k.calendar_id), useRef(k.native_id), useRef(copy.copy_uid),
      useRef(copy.dest_calendar), useRef(copy.dest_native_id), useRef(copy.dest_etag), useRef(copy.written_hash),
      useRef(copy.base_ical), useRef(copy.base_rendering), useRef(copy.dest_ical), useRef(copy.route_base),
      useRef(copy.routed_update_id), bind(deleted), now;
}

}  // namespace calsync::store::sqlite
