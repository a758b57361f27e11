// UpdateQueue on SQLite. The update itself is kept as its protocol JSON; the columns beside
// it are what the queue sorts and filters on.
#include <Poco/Data/Statement.h>

#include "protocol/heartbeat.h"
#include "store/sqlite_side_stores.h"

namespace calsync::store {

const char* toString(UpdateStatus status) {
  switch (status) {
    case UpdateStatus::Pending: return "pending";
    case UpdateStatus::Delivered: return "delivered";
    case UpdateStatus::Processed: return "processed";
    case UpdateStatus::Failed: return "failed";
  }
  return "pending";
}

namespace sqlite {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

UpdateStatus statusFrom(const std::string& text) {
  if (text == "delivered") return UpdateStatus::Delivered;
  if (text == "processed") return UpdateStatus::Processed;
  if (text == "failed") return UpdateStatus::Failed;
  return UpdateStatus::Pending;
}

// Due: pending and its retry time has come, or delivered so long ago that the agent must
// have lost it.
constexpr const char* kDue =
    "agent_id = ? AND ((status = 'pending' AND next_attempt_at <= ?) OR (status = 'delivered' AND updated_at <= ?))";

class SqliteUpdateQueue final : public UpdateQueue {
 public:
  explicit SqliteUpdateQueue(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  std::int64_t enqueue(const std::string& agent_id, const AgentUpdate& update, const std::string& actor,
                       std::int64_t at) override {
    return db_->run("queue update for " + agent_id, [&](Session& session) {
      Transaction transaction(session);
      const std::string kind = toString(update.kind);
      std::string placeholder = "{}";
      session << "INSERT INTO agent_updates (agent_id, kind, source, calendar_id, payload, status, created_by, "
                 "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
          useRef(agent_id), useRef(kind), useRef(update.source), useRef(update.calendar_id), useRef(placeholder),
          useRef(actor), useRef(at), useRef(at), now;
      AgentUpdate stored = update;
      stored.id = lastInsertRowId(session);
      stored.attempt = 0;
      const std::string payload = protocol::encodeUpdate(stored);
      session << "UPDATE agent_updates SET payload = ? WHERE id = ?", useRef(payload), useRef(stored.id), now;
      transaction.commit();
      return stored.id;
    });
  }

  std::vector<AgentUpdate> takeDue(const std::string& agent_id, std::int64_t at, std::int64_t redeliver_after,
                                   std::size_t limit) override {
    return db_->run("deliver updates to " + agent_id, [&](Session& session) {
      Transaction transaction(session);
      const std::int64_t stale = at - redeliver_after;
      std::vector<std::int64_t> ids, attempts;
      std::vector<std::string> payloads;
      session << std::string("SELECT id, attempts, payload FROM agent_updates WHERE ") + kDue + " ORDER BY id LIMIT ?",
          useRef(agent_id), useRef(at), bind(stale), bind(static_cast<std::int64_t>(limit)), into(ids),
          into(attempts), into(payloads), now;
      std::vector<AgentUpdate> due;
      for (std::size_t i = 0; i < ids.size(); ++i) {
        AgentUpdate update = protocol::decodeUpdate(payloads[i]);
        update.id = ids[i];
        update.attempt = static_cast<int>(attempts[i]) + 1;
        session << "UPDATE agent_updates SET status = 'delivered', attempts = attempts + 1, updated_at = ? "
                   "WHERE id = ?",
            useRef(at), useRef(ids[i]), now;
        due.push_back(std::move(update));
      }
      transaction.commit();
      return due;
    });
  }

  bool hasDue(const std::string& agent_id, std::int64_t at, std::int64_t redeliver_after) override {
    return db_->run("check updates for " + agent_id, [&](Session& session) {
      const std::int64_t stale = at - redeliver_after;
      int n = 0;
      session << std::string("SELECT COUNT(*) FROM agent_updates WHERE ") + kDue, useRef(agent_id), useRef(at),
          bind(stale), into(n), now;
      return n > 0;
    });
  }

  bool complete(const std::string& agent_id, const UpdateOutcome& outcome, std::int64_t at, int max_attempts,
                std::int64_t retry_delay) override {
    return db_->run("settle update", [&](Session& session) {
      Transaction transaction(session);
      std::string owner, status;
      std::int64_t attempts = 0;
      Statement select(session);
      select << "SELECT agent_id, status, attempts FROM agent_updates WHERE id = ?", bind(outcome.id), into(owner),
          into(status), into(attempts);
      if (select.execute() == 0 || owner != agent_id) return false;
      if (status == "processed" || status == "failed") return false;
      if (outcome.ok) {
        session << "UPDATE agent_updates SET status = 'processed', last_error = '', result = ?, updated_at = ? "
                   "WHERE id = ?",
            useRef(outcome.native_id), useRef(at), bind(outcome.id), now;
      } else if (!outcome.retryable || attempts >= max_attempts) {
        session << "UPDATE agent_updates SET status = 'failed', last_error = ?, updated_at = ? WHERE id = ?",
            useRef(outcome.error), useRef(at), bind(outcome.id), now;
      } else {
        const std::int64_t next = at + retry_delay * (std::int64_t{1} << std::min<std::int64_t>(attempts - 1, 10));
        session << "UPDATE agent_updates SET status = 'pending', last_error = ?, updated_at = ?, "
                   "next_attempt_at = ? WHERE id = ?",
            useRef(outcome.error), useRef(at), bind(next), bind(outcome.id), now;
      }
      transaction.commit();
      return true;
    });
  }

  std::optional<QueuedUpdate> find(std::int64_t id) override {
    auto found = select(" WHERE id = ?", [&](Statement& s) { s, bind(id); });
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }

  std::vector<QueuedUpdate> list(const UpdateFilter& filter) override {
    std::string where = " WHERE 1 = 1";
    if (!filter.agent_id.empty()) where += " AND agent_id = ?";
    if (filter.status) where += " AND status = ?";
    where += " ORDER BY id DESC LIMIT ?";
    const std::string status = filter.status ? toString(*filter.status) : "";
    const auto limit = static_cast<std::int64_t>(filter.limit);
    return select(where, [&](Statement& s) {
      if (!filter.agent_id.empty()) s, useRef(filter.agent_id);
      if (filter.status) s, useRef(status);
      s, useRef(limit);
    });
  }

  std::map<std::string, std::map<std::string, std::int64_t>> stats() override {
    return db_->run("count updates", [](Session& session) {
      std::vector<std::string> agents, statuses;
      std::vector<std::int64_t> counts;
      session << "SELECT agent_id, status, COUNT(*) FROM agent_updates GROUP BY agent_id, status", into(agents),
          into(statuses), into(counts), now;
      std::map<std::string, std::map<std::string, std::int64_t>> result;
      for (std::size_t i = 0; i < agents.size(); ++i) result[agents[i]][statuses[i]] = counts[i];
      return result;
    });
  }

  std::size_t cleanup(std::int64_t before) override {
    return db_->run("clean up updates", [&](Session& session) {
      session << "DELETE FROM agent_updates WHERE status IN ('processed', 'failed') AND updated_at < ?",
          useRef(before), now;
      int n = 0;
      session << "SELECT changes()", into(n), now;
      return static_cast<std::size_t>(n);
    });
  }

 private:
  template <class Bind>
  std::vector<QueuedUpdate> select(const std::string& where, Bind&& bind_parameters) {
    return db_->run("read updates", [&](Session& session) {
      std::vector<std::int64_t> ids, attempts, created, updated, next;
      std::vector<std::string> agents, payloads, statuses, errors, results, creators;
      Statement s(session);
      s << "SELECT id, agent_id, payload, status, attempts, last_error, result, created_by, created_at, updated_at, "
           "next_attempt_at FROM agent_updates" + where,
          into(ids), into(agents), into(payloads), into(statuses), into(attempts), into(errors), into(results),
          into(creators), into(created), into(updated), into(next);
      bind_parameters(s);
      s.execute();
      std::vector<QueuedUpdate> out;
      for (std::size_t i = 0; i < ids.size(); ++i) {
        QueuedUpdate q;
        q.agent_id = agents[i];
        q.update = protocol::decodeUpdate(payloads[i]);
        q.update.id = ids[i];
        q.update.attempt = static_cast<int>(attempts[i]);
        q.status = statusFrom(statuses[i]);
        q.last_error = errors[i];
        q.result = results[i];
        q.created_by = creators[i];
        q.created_at = created[i];
        q.updated_at = updated[i];
        q.next_attempt_at = next[i];
        out.push_back(std::move(q));
      }
      return out;
    });
  }

  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<UpdateQueue> makeUpdateQueue(std::shared_ptr<Database> db) {
  return std::make_unique<SqliteUpdateQueue>(std::move(db));
}

}  // namespace sqlite
}  // namespace calsync::store
