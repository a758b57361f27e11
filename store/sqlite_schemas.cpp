#include "store/sqlite_schemas.h"

#include <iomanip>
#include <random>
#include <sstream>
#include <string>

namespace calsync::store::sqlite {

using namespace Poco::Data::Keywords;

namespace {

void execute(Poco::Data::Session& session, std::initializer_list<const char*> statements) {
  for (const char* sql : statements) session << sql, now;
}

void createMasterStore(Poco::Data::Session& session) {
  execute(session, {
    R"(CREATE TABLE agents (
         id            TEXT PRIMARY KEY,
         name          TEXT NOT NULL DEFAULT '',
         epoch         TEXT NOT NULL DEFAULT '',
         last_sequence INTEGER NOT NULL DEFAULT 0,
         last_seen     INTEGER NOT NULL DEFAULT 0))",
    R"(CREATE TABLE calendars (
         agent_id    TEXT NOT NULL REFERENCES agents(id),
         source      TEXT NOT NULL,
         calendar_id TEXT NOT NULL,
         name        TEXT NOT NULL DEFAULT '',
         color       TEXT NOT NULL DEFAULT '',
         description TEXT NOT NULL DEFAULT '',
         writable    INTEGER NOT NULL DEFAULT 0,
         PRIMARY KEY (agent_id, source, calendar_id)))",
    // state: 'active' | 'out_of_window' | 'deleted' (readable when inspecting the file by hand).
    R"(CREATE TABLE objects (
         agent_id    TEXT NOT NULL REFERENCES agents(id),
         source      TEXT NOT NULL,
         calendar_id TEXT NOT NULL,
         native_id   TEXT NOT NULL,
         uid         TEXT NOT NULL DEFAULT '',
         hash        TEXT NOT NULL DEFAULT '',
         ical        TEXT NOT NULL DEFAULT '',
         span_start  INTEGER NOT NULL DEFAULT 0,
         span_end    INTEGER NOT NULL DEFAULT 0,
         state       TEXT NOT NULL CHECK (state IN ('active', 'out_of_window', 'deleted')),
         updated_at  INTEGER NOT NULL DEFAULT 0,
         PRIMARY KEY (agent_id, source, calendar_id, native_id)))",
    "CREATE INDEX objects_by_state_and_span ON objects (state, span_start, span_end)",
    // A copy always belongs to a stored object: objects are tombstoned, never removed.
    R"(CREATE TABLE destination_copies (
         agent_id       TEXT NOT NULL,
         source         TEXT NOT NULL,
         calendar_id    TEXT NOT NULL,
         native_id      TEXT NOT NULL,
         copy_uid       TEXT NOT NULL DEFAULT '',
         dest_calendar  TEXT NOT NULL DEFAULT '',
         dest_native_id TEXT NOT NULL DEFAULT '',
         dest_etag      TEXT NOT NULL DEFAULT '',
         written_hash   TEXT NOT NULL DEFAULT '',
         PRIMARY KEY (agent_id, source, calendar_id, native_id),
         FOREIGN KEY (agent_id, source, calendar_id, native_id)
           REFERENCES objects (agent_id, source, calendar_id, native_id)))",
    // No foreign keys: the audit trail outlives whatever it talks about.
    R"(CREATE TABLE journal (
         id          INTEGER PRIMARY KEY AUTOINCREMENT,
         at          INTEGER NOT NULL,
         actor       TEXT NOT NULL DEFAULT '',
         action      TEXT NOT NULL,
         agent_id    TEXT NOT NULL DEFAULT '',
         source      TEXT NOT NULL DEFAULT '',
         calendar_id TEXT NOT NULL DEFAULT '',
         native_id   TEXT NOT NULL DEFAULT '',
         before_hash TEXT NOT NULL DEFAULT '',
         after_hash  TEXT NOT NULL DEFAULT '',
         detail      TEXT NOT NULL DEFAULT ''))",
  });
}

// Trust, the queues back to agents and the audit trail (issue: agents on many machines).
void addAgentLinks(Poco::Data::Session& session) {
  execute(session, {
    // Only hashes of tokens and secrets are kept; the values are shown once, when made.
    R"(CREATE TABLE enrollment_tokens (
         id          TEXT PRIMARY KEY,
         token_hash  TEXT NOT NULL UNIQUE,
         label       TEXT NOT NULL DEFAULT '',
         created_at  INTEGER NOT NULL,
         created_by  TEXT NOT NULL DEFAULT '',
         expires_at  INTEGER NOT NULL,
         used_at     INTEGER NOT NULL DEFAULT 0,
         used_by     TEXT NOT NULL DEFAULT '',
         revoked_at  INTEGER NOT NULL DEFAULT 0))",
    R"(CREATE TABLE agent_credentials (
         agent_id    TEXT PRIMARY KEY,
         secret_hash TEXT NOT NULL,
         token_id    TEXT NOT NULL DEFAULT '',
         created_at  INTEGER NOT NULL,
         revoked_at  INTEGER NOT NULL DEFAULT 0))",
    // status: 'pending' | 'delivered' | 'processed' | 'failed'.
    R"(CREATE TABLE agent_updates (
         id              INTEGER PRIMARY KEY AUTOINCREMENT,
         agent_id        TEXT NOT NULL,
         kind            TEXT NOT NULL,
         source          TEXT NOT NULL DEFAULT '',
         calendar_id     TEXT NOT NULL DEFAULT '',
         payload         TEXT NOT NULL,
         status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'processed', 'failed')),
         attempts        INTEGER NOT NULL DEFAULT 0,
         last_error      TEXT NOT NULL DEFAULT '',
         result          TEXT NOT NULL DEFAULT '',
         created_by      TEXT NOT NULL DEFAULT '',
         created_at      INTEGER NOT NULL,
         updated_at      INTEGER NOT NULL,
         next_attempt_at INTEGER NOT NULL DEFAULT 0))",
    "CREATE INDEX agent_updates_by_agent ON agent_updates (agent_id, status, id)",
    R"(CREATE TABLE audit (
         id      INTEGER PRIMARY KEY AUTOINCREMENT,
         at      INTEGER NOT NULL,
         actor   TEXT NOT NULL,
         action  TEXT NOT NULL,
         target  TEXT NOT NULL DEFAULT '',
         before  TEXT NOT NULL DEFAULT '',
         after   TEXT NOT NULL DEFAULT ''))",
  });
}

// What the admin API decides about the sync and what agents report (issue 3, Master API):
// settings pushed to agents, calendars taken out of or added to the sync, agent reports,
// and events created through the API.
void addSyncControl(Poco::Data::Session& session) {
  execute(session, {
    // settings: JSON object of SyncConfig settings without the calendar lists.
    R"(CREATE TABLE agent_sync_settings (
         agent_id   TEXT PRIMARY KEY,
         settings   TEXT NOT NULL,
         updated_by TEXT NOT NULL DEFAULT '',
         updated_at INTEGER NOT NULL))",
    R"(CREATE TABLE calendar_rules (
         agent_id    TEXT NOT NULL,
         source      TEXT NOT NULL,
         calendar_id TEXT NOT NULL,
         excluded    INTEGER NOT NULL,
         at          INTEGER NOT NULL,
         by          TEXT NOT NULL DEFAULT '',
         PRIMARY KEY (agent_id, source, calendar_id)))",
    // report: the agent's last AgentReport as protocol JSON.
    R"(CREATE TABLE agent_reports (
         agent_id    TEXT PRIMARY KEY,
         report      TEXT NOT NULL,
         reported_at INTEGER NOT NULL))",
    R"(CREATE TABLE event_requests (
         id          TEXT PRIMARY KEY,
         update_id   INTEGER NOT NULL,
         agent_id    TEXT NOT NULL,
         source      TEXT NOT NULL,
         calendar_id TEXT NOT NULL,
         uid         TEXT NOT NULL,
         status      TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'failed')),
         error       TEXT NOT NULL DEFAULT '',
         native_id   TEXT NOT NULL DEFAULT '',
         created_by  TEXT NOT NULL DEFAULT '',
         created_at  INTEGER NOT NULL,
         updated_at  INTEGER NOT NULL))",
    "CREATE INDEX event_requests_by_status ON event_requests (status, created_at)",
    "CREATE INDEX journal_by_action ON journal (action, id)",
  });
}

// The destination round trip (issue: agents on many machines, items 3 and 4): what each
// copy was last agreed to be (the base of three-way merges), how the destination rendered
// it, edits in flight to sources, conflicts waiting for a person, the destination's cursor
// and each source's conflict strategy.
void addDestinationRoundTrip(Poco::Data::Session& session) {
  execute(session, {
    // base_ical: the version both sides last agreed on, in the source's form (empty: unknown).
    // base_rendering: the destination's own rendering of it, as last read back.
    // dest_ical: the destination's version when it was edited there and not merged yet.
    // route_base: the source version an edit sent to the source was based on, while it is in
    // flight (routed_update_id); dest_deleted: the copy was deleted at the destination and
    // the deletion was sent to the source.
    "ALTER TABLE destination_copies ADD COLUMN base_ical TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE destination_copies ADD COLUMN base_rendering TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE destination_copies ADD COLUMN dest_ical TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE destination_copies ADD COLUMN route_base TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE destination_copies ADD COLUMN routed_update_id INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE destination_copies ADD COLUMN dest_deleted INTEGER NOT NULL DEFAULT 0",
    // Copies written before this migration: their base is the stored version they were written from.
    R"(UPDATE destination_copies SET base_ical = COALESCE((SELECT o.ical FROM objects o
         WHERE o.agent_id = destination_copies.agent_id AND o.source = destination_copies.source
           AND o.calendar_id = destination_copies.calendar_id AND o.native_id = destination_copies.native_id
           AND o.hash = destination_copies.written_hash), ''))",
    "CREATE INDEX destination_copies_by_uid ON destination_copies (dest_calendar, copy_uid)",
    "CREATE INDEX destination_copies_by_location ON destination_copies (dest_calendar, dest_native_id)",
    "CREATE INDEX destination_copies_by_update ON destination_copies (routed_update_id)",
    R"(CREATE TABLE destination_cursors (
         calendar_id TEXT PRIMARY KEY,
         cursor      TEXT NOT NULL DEFAULT '',
         updated_at  INTEGER NOT NULL DEFAULT 0))",
    // status: 'open' | 'resolved'; fields: comma-separated field names; versions as iCalendar
    // in the source's form. A resolved conflict is applied by the next destination pass.
    R"(CREATE TABLE conflicts (
         id               TEXT PRIMARY KEY,
         agent_id         TEXT NOT NULL,
         source           TEXT NOT NULL,
         calendar_id      TEXT NOT NULL,
         native_id        TEXT NOT NULL,
         uid              TEXT NOT NULL DEFAULT '',
         status           TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
         detected_at      INTEGER NOT NULL,
         resolved_at      INTEGER NOT NULL DEFAULT 0,
         resolved_by      TEXT NOT NULL DEFAULT '',
         fields           TEXT NOT NULL DEFAULT '',
         resolution       TEXT NOT NULL DEFAULT '',
         base_ical        TEXT NOT NULL DEFAULT '',
         base_rendering   TEXT NOT NULL DEFAULT '',
         source_ical      TEXT NOT NULL DEFAULT '',
         destination_ical TEXT NOT NULL DEFAULT '',
         destination_etag TEXT NOT NULL DEFAULT '',
         resolved_ical    TEXT NOT NULL DEFAULT '',
         applied          INTEGER NOT NULL DEFAULT 0))",
    "CREATE INDEX conflicts_by_object ON conflicts (agent_id, source, calendar_id, native_id, status)",
    "CREATE INDEX conflicts_by_status ON conflicts (status, applied, detected_at)",
    // conflict_resolution: a strategy name, or 'inherit' (the master's).
    R"(CREATE TABLE source_policies (
         agent_id            TEXT NOT NULL,
         source              TEXT NOT NULL,
         conflict_resolution TEXT NOT NULL DEFAULT 'inherit',
         PRIMARY KEY (agent_id, source)))",
  });
}

std::string randomEpoch() {
  std::random_device random;
  std::ostringstream hex;
  hex << std::hex << std::setfill('0');
  for (int i = 0; i < 4; ++i) hex << std::setw(8) << static_cast<std::uint32_t>(random());
  return hex.str();
}

void createAgentState(Poco::Data::Session& session) {
  execute(session, {
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    R"(CREATE TABLE cursors (
         source      TEXT NOT NULL,
         calendar_id TEXT NOT NULL,
         cursor      TEXT NOT NULL DEFAULT '',
         PRIMARY KEY (source, calendar_id)))",
    R"(CREATE TABLE known (
         source      TEXT NOT NULL,
         calendar_id TEXT NOT NULL,
         native_id   TEXT NOT NULL,
         uid         TEXT NOT NULL DEFAULT '',
         hash        TEXT NOT NULL DEFAULT '',
         in_window   INTEGER NOT NULL DEFAULT 1,
         PRIMARY KEY (source, calendar_id, native_id)))",
    // AUTOINCREMENT: a sequence is never handed out twice, even after acknowledge() emptied
    // the table, so the master can never mistake a new batch for a replay.
    R"(CREATE TABLE outbox (
         sequence   INTEGER PRIMARY KEY AUTOINCREMENT,
         payload    TEXT NOT NULL,
         created_at INTEGER NOT NULL))",
    // "values" is an SQL keyword, hence the longer name.
    "CREATE TABLE named_values (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
  });
  // The epoch is born with the schema, in the same transaction: a database either has both
  // or neither.
  std::string epoch = randomEpoch();
  session << "INSERT INTO meta (name, value) VALUES ('epoch', ?)", use(epoch), now;
}

}  // namespace

const std::vector<Migration>& masterStoreMigrations() {
  static const std::vector<Migration> migrations = {createMasterStore, addAgentLinks, addSyncControl,
                                                     addDestinationRoundTrip};
  return migrations;
}

const std::vector<Migration>& agentStateMigrations() {
  static const std::vector<Migration> migrations = {createAgentState};
  return migrations;
}

}  // namespace calsync::store::sqlite
