// SyncControl on SQLite, over the master store's connection.
#include <Poco/Data/Statement.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "protocol/heartbeat.h"
#include "store/sqlite_objects.h"
#include "store/sqlite_side_stores.h"
#include "store/sync_control.h"

namespace calsync::store::sqlite {

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

std::set<std::pair<std::string, std::string>> excludedCalendars(Session& session, const std::string& agent_id) {
  std::vector<std::string> sources, calendar_ids;
  session << "SELECT source, calendar_id FROM calendar_rules WHERE agent_id = ? AND excluded = 1", useRef(agent_id),
      into(sources), into(calendar_ids), now;
  std::set<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < sources.size(); ++i) out.emplace(sources[i], calendar_ids[i]);
  return out;
}

namespace {

std::string settingsJson(const std::map<std::string, std::string>& settings) {
  Poco::JSON::Object o;
  for (const auto& [k, v] : settings) o.set(k, v);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

std::map<std::string, std::string> settingsFrom(const std::string& text) {
  Poco::JSON::Parser parser;
  const auto object = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
  std::map<std::string, std::string> settings;
  for (const auto& [k, v] : *object) settings[k] = v.toString();
  return settings;
}

class SqliteSyncControl final : public SyncControl {
 public:
  explicit SqliteSyncControl(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  std::map<std::string, std::string> pushedSettings(const std::string& agent_id) override {
    return db_->run("read pushed sync settings", [&](Session& session) {
      std::vector<std::string> found;
      session << "SELECT settings FROM agent_sync_settings WHERE agent_id = ?", useRef(agent_id), into(found), now;
      return found.empty() ? std::map<std::string, std::string>{} : settingsFrom(found.front());
    });
  }

  void setPushedSettings(const std::string& agent_id, const std::map<std::string, std::string>& settings,
                         const std::string& by, std::int64_t at) override {
    db_->run("save pushed sync settings", [&](Session& session) {
      if (settings.empty()) {
        session << "DELETE FROM agent_sync_settings WHERE agent_id = ?", useRef(agent_id), now;
        return;
      }
      const std::string text = settingsJson(settings);
      session << "INSERT INTO agent_sync_settings (agent_id, settings, updated_by, updated_at) VALUES (?, ?, ?, ?) "
                 "ON CONFLICT (agent_id) DO UPDATE SET settings = excluded.settings, "
                 "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
          useRef(agent_id), useRef(text), useRef(by), useRef(at), now;
    });
  }

  std::size_t supersedeSyncConfigs(const std::string& agent_id, std::int64_t newest_id) override {
    return db_->run("supersede sync settings", [&](Session& session) {
      const std::string reason = "superseded by update " + std::to_string(newest_id);
      const std::int64_t at = nowEpochSeconds();
      session << "UPDATE agent_updates SET status = 'processed', result = ?, updated_at = ? "
                 "WHERE agent_id = ? AND kind = 'sync_config' AND status IN ('pending', 'delivered') AND id < ?",
          useRef(reason), useRef(at), useRef(agent_id), useRef(newest_id), now;
      int changed = 0;
      session << "SELECT changes()", into(changed), now;
      return static_cast<std::size_t>(changed);
    });
  }

  std::vector<CalendarRule> calendarRules(const std::string& agent_id) override {
    return db_->run("read calendar rules", [&](Session& session) {
      std::vector<std::string> agents, sources, calendar_ids, bys;
      std::vector<int> excluded;
      std::vector<std::int64_t> ats;
      Statement select(session);
      select << "SELECT agent_id, source, calendar_id, excluded, at, by FROM calendar_rules" +
                    std::string(agent_id.empty() ? "" : " WHERE agent_id = ?") +
                    " ORDER BY agent_id, source, calendar_id",
          into(agents), into(sources), into(calendar_ids), into(excluded), into(ats), into(bys);
      if (!agent_id.empty()) select, useRef(agent_id);
      select.execute();
      std::vector<CalendarRule> rules;
      for (std::size_t i = 0; i < agents.size(); ++i) {
        rules.push_back({agents[i], sources[i], calendar_ids[i], excluded[i] != 0, ats[i], bys[i]});
      }
      return rules;
    });
  }

  std::size_t excludeCalendar(const CalendarRule& rule) override {
    return db_->run("exclude calendar", [&](Session& session) {
      Transaction transaction(session);
      writeRule(session, rule, true);
      std::vector<std::string> native_ids;
      session << "SELECT native_id FROM objects WHERE agent_id = ? AND source = ? AND calendar_id = ? "
                 "AND state <> 'deleted'",
          useRef(rule.agent_id), useRef(rule.source), useRef(rule.calendar_id), into(native_ids), now;
      ObjectIngest objects(session, rule.by, rule.at);
      for (const auto& native_id : native_ids) objects.remove({rule.agent_id, rule.source, rule.calendar_id, native_id});
      transaction.commit();
      return native_ids.size();
    });
  }

  void includeCalendar(const CalendarRule& rule) override {
    db_->run("include calendar", [&](Session& session) { writeRule(session, rule, false); });
  }

  void saveReport(const std::string& agent_id, const AgentReport& report, std::int64_t at) override {
    const std::string text = protocol::encodeAgentReport(report);
    db_->run("save agent report", [&](Session& session) {
      session << "INSERT INTO agent_reports (agent_id, report, reported_at) VALUES (?, ?, ?) "
                 "ON CONFLICT (agent_id) DO UPDATE SET report = excluded.report, reported_at = excluded.reported_at",
          useRef(agent_id), useRef(text), useRef(at), now;
    });
  }

  std::optional<StoredAgentReport> report(const std::string& agent_id) override {
    auto found = readReports(agent_id);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }

  std::vector<StoredAgentReport> reports() override { return readReports(""); }

  void addEventRequest(const EventRequest& r) override {
    db_->run("add event request", [&](Session& session) {
      session << "INSERT INTO event_requests (id, update_id, agent_id, source, calendar_id, uid, status, error, "
                 "native_id, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          useRef(r.id), useRef(r.update_id), useRef(r.agent_id), useRef(r.source), useRef(r.calendar_id),
          useRef(r.uid), useRef(r.status), useRef(r.error), useRef(r.native_id), useRef(r.created_by),
          useRef(r.created_at), useRef(r.updated_at), now;
    });
  }

  std::optional<EventRequest> eventRequest(const std::string& id) override {
    auto found = readEventRequests(" WHERE id = ?", id, 1);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }

  void settleEventRequest(const EventRequest& r) override {
    db_->run("settle event request", [&](Session& session) {
      session << "UPDATE event_requests SET status = ?, error = ?, native_id = ?, updated_at = ? WHERE id = ?",
          useRef(r.status), useRef(r.error), useRef(r.native_id), useRef(r.updated_at), useRef(r.id), now;
    });
  }

  std::vector<EventRequest> pendingEventRequests(std::size_t limit) override {
    return readEventRequests(" WHERE status = ?", "pending", limit);
  }

  std::int64_t pendingWriteCount() override {
    return db_->run("count pending writes", [](Session& session) {
      std::int64_t count = 0;
      session << "SELECT COUNT(*) FROM objects o LEFT JOIN destination_copies c ON c.agent_id = o.agent_id AND "
                 "c.source = o.source AND c.calendar_id = o.calendar_id AND c.native_id = o.native_id "
                 "WHERE (o.state = 'active' AND (c.native_id IS NULL OR c.written_hash <> o.hash)) "
                 "OR (o.state = 'deleted' AND c.native_id IS NOT NULL)",
          into(count), now;
      return count;
    });
  }

  std::int64_t lastJournalAt(const std::vector<std::string>& actions) override {
    return db_->run("read journal times", [&](Session& session) {
      std::int64_t latest = 0;
      for (const auto& action : actions) {
        std::vector<std::int64_t> at;
        session << "SELECT at FROM journal WHERE action = ? ORDER BY id DESC LIMIT 1", useRef(action), into(at), now;
        if (!at.empty()) latest = std::max(latest, at.front());
      }
      return latest;
    });
  }

  std::map<std::string, std::int64_t> conflictCounts() override {
    return db_->run("count conflicts", [](Session& session) {
      std::map<std::string, std::int64_t> counts{{"open", 0}, {"resolved", 0}};
      std::vector<std::string> statuses;
      std::vector<std::int64_t> per_status;
      session << "SELECT status, COUNT(*) FROM conflicts GROUP BY status", into(statuses), into(per_status), now;
      for (std::size_t i = 0; i < statuses.size(); ++i) counts[statuses[i]] = per_status[i];
      return counts;
    });
  }

 private:
  static void writeRule(Session& session, const CalendarRule& rule, bool excluded) {
    const int flag = excluded ? 1 : 0;
    session << "INSERT INTO calendar_rules (agent_id, source, calendar_id, excluded, at, by) VALUES (?, ?, ?, ?, ?, ?) "
               "ON CONFLICT (agent_id, source, calendar_id) DO UPDATE SET excluded = excluded.excluded, "
               "at = excluded.at, by = excluded.by",
        useRef(rule.agent_id), useRef(rule.source), useRef(rule.calendar_id), bind(flag), useRef(rule.at),
        useRef(rule.by), now;
  }

  std::vector<StoredAgentReport> readReports(const std::string& agent_id) {
    std::vector<std::string> agents, texts;
    std::vector<std::int64_t> ats;
    db_->run("read agent reports", [&](Session& session) {
      Statement select(session);
      select << "SELECT agent_id, report, reported_at FROM agent_reports" +
                    std::string(agent_id.empty() ? "" : " WHERE agent_id = ?") + " ORDER BY agent_id",
          into(agents), into(texts), into(ats);
      if (!agent_id.empty()) select, useRef(agent_id);
      select.execute();
    });
    std::vector<StoredAgentReport> reports;
    for (std::size_t i = 0; i < agents.size(); ++i) {
      reports.push_back({agents[i], protocol::decodeAgentReport(texts[i]), ats[i]});
    }
    return reports;
  }

  std::vector<EventRequest> readEventRequests(const std::string& where, const std::string& value, std::size_t limit) {
    return db_->run("read event requests", [&](Session& session) {
      std::vector<std::string> ids, agents, sources, calendar_ids, uids, statuses, errors, native_ids, creators;
      std::vector<std::int64_t> update_ids, created, updated;
      session << "SELECT id, update_id, agent_id, source, calendar_id, uid, status, error, native_id, created_by, "
                 "created_at, updated_at FROM event_requests" + where + " ORDER BY created_at, id LIMIT ?",
          useRef(value), bind(static_cast<std::int64_t>(limit)), into(ids), into(update_ids), into(agents),
          into(sources), into(calendar_ids), into(uids), into(statuses), into(errors), into(native_ids),
          into(creators), into(created), into(updated), now;
      std::vector<EventRequest> out;
      for (std::size_t i = 0; i < ids.size(); ++i) {
        out.push_back({ids[i], update_ids[i], agents[i], sources[i], calendar_ids[i], uids[i], statuses[i], errors[i],
                       native_ids[i], creators[i], created[i], updated[i]});
      }
      return out;
    });
  }

  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<SyncControl> makeSyncControl(std::shared_ptr<Database> db) {
  return std::make_unique<SqliteSyncControl>(std::move(db));
}

}  // namespace calsync::store::sqlite
