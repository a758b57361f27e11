// AuthStore on SQLite: enrolment tokens and agent secrets, hashes only.
#include <Poco/Data/Statement.h>

#include "store/sqlite_side_stores.h"

namespace calsync::store::sqlite {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

class SqliteAuthStore final : public AuthStore {
 public:
  explicit SqliteAuthStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  void addEnrollmentToken(const EnrollmentToken& t, const std::string& token_hash) override {
    db_->run("add enrolment token", [&](Session& session) {
      session << "INSERT INTO enrollment_tokens (id, token_hash, label, created_at, created_by, expires_at) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
          useRef(t.id), useRef(token_hash), useRef(t.label), useRef(t.created_at), useRef(t.created_by),
          useRef(t.expires_at), now;
    });
  }

  std::vector<EnrollmentToken> enrollmentTokens() override {
    return db_->run("read enrolment tokens", [](Session& session) {
      std::vector<std::string> ids, labels, creators, users;
      std::vector<std::int64_t> created, expires, used, revoked;
      session << "SELECT id, label, created_at, created_by, expires_at, used_at, used_by, revoked_at "
                 "FROM enrollment_tokens ORDER BY created_at, id",
          into(ids), into(labels), into(created), into(creators), into(expires), into(used), into(users),
          into(revoked), now;
      std::vector<EnrollmentToken> tokens;
      for (std::size_t i = 0; i < ids.size(); ++i) {
        tokens.push_back({ids[i], labels[i], created[i], creators[i], expires[i], used[i], users[i], revoked[i]});
      }
      return tokens;
    });
  }

  bool revokeEnrollmentToken(const std::string& id, std::int64_t at) override {
    return db_->run("revoke enrolment token", [&](Session& session) {
      session << "UPDATE enrollment_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = 0", useRef(at), useRef(id),
          now;
      return changes(session) > 0;
    });
  }

  EnrollOutcome enroll(const std::string& token_hash, const std::string& agent_id, const std::string& secret_hash,
                       std::int64_t at) override {
    return db_->run("enroll agent " + agent_id, [&](Session& session) {
      Transaction transaction(session);
      std::string id;
      std::int64_t expires_at = 0, used_at = 0, revoked_at = 0;
      Statement select(session);
      select << "SELECT id, expires_at, used_at, revoked_at FROM enrollment_tokens WHERE token_hash = ?",
          useRef(token_hash), into(id), into(expires_at), into(used_at), into(revoked_at);
      if (select.execute() == 0) return EnrollOutcome::UnknownToken;
      if (revoked_at != 0) return EnrollOutcome::TokenRevoked;
      if (used_at != 0) return EnrollOutcome::TokenUsed;
      if (expires_at != 0 && expires_at <= at) return EnrollOutcome::TokenExpired;
      session << "UPDATE enrollment_tokens SET used_at = ?, used_by = ? WHERE id = ?", useRef(at), useRef(agent_id),
          useRef(id), now;
      session << "INSERT INTO agent_credentials (agent_id, secret_hash, token_id, created_at, revoked_at) "
                 "VALUES (?, ?, ?, ?, 0) ON CONFLICT (agent_id) DO UPDATE SET secret_hash = excluded.secret_hash, "
                 "token_id = excluded.token_id, created_at = excluded.created_at, revoked_at = 0",
          useRef(agent_id), useRef(secret_hash), useRef(id), useRef(at), now;
      transaction.commit();
      return EnrollOutcome::Enrolled;
    });
  }

  std::optional<std::string> agentSecretHash(const std::string& agent_id) override {
    return db_->run("read agent credentials", [&](Session& session) -> std::optional<std::string> {
      std::string hash;
      Statement select(session);
      select << "SELECT secret_hash FROM agent_credentials WHERE agent_id = ? AND revoked_at = 0", useRef(agent_id),
          into(hash);
      if (select.execute() == 0) return std::nullopt;
      return hash;
    });
  }

  bool revokeAgent(const std::string& agent_id, std::int64_t at) override {
    return db_->run("revoke agent " + agent_id, [&](Session& session) {
      session << "UPDATE agent_credentials SET revoked_at = ? WHERE agent_id = ? AND revoked_at = 0", useRef(at),
          useRef(agent_id), now;
      return changes(session) > 0;
    });
  }

 private:
  static int changes(Session& session) {
    int n = 0;
    session << "SELECT changes()", into(n), now;
    return n;
  }

  std::shared_ptr<Database> db_;
};

class SqliteAuditLog final : public AuditLog {
 public:
  explicit SqliteAuditLog(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  void append(const AuditEntry& e) override {
    db_->run("append audit", [&](Session& session) {
      const std::int64_t at = e.at != 0 ? e.at : nowEpochSeconds();
      session << "INSERT INTO audit (at, actor, action, target, before, after) VALUES (?, ?, ?, ?, ?, ?)", bind(at),
          useRef(e.actor), useRef(e.action), useRef(e.target), useRef(e.before), useRef(e.after), now;
    });
  }

  std::vector<AuditEntry> recent(std::size_t limit) override {
    return db_->run("read audit", [&](Session& session) {
      std::vector<std::int64_t> ids, ats;
      std::vector<std::string> actors, actions, targets, befores, afters;
      session << "SELECT id, at, actor, action, target, before, after FROM audit ORDER BY id DESC LIMIT ?",
          bind(static_cast<std::int64_t>(limit)), into(ids), into(ats), into(actors), into(actions), into(targets),
          into(befores), into(afters), now;
      std::vector<AuditEntry> entries;
      for (std::size_t i = 0; i < ids.size(); ++i) {
        entries.push_back({ids[i], ats[i], actors[i], actions[i], targets[i], befores[i], afters[i]});
      }
      return entries;
    });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<AuthStore> makeAuthStore(std::shared_ptr<Database> db) {
  return std::make_unique<SqliteAuthStore>(std::move(db));
}

std::unique_ptr<AuditLog> makeAuditLog(std::shared_ptr<Database> db) {
  return std::make_unique<SqliteAuditLog>(std::move(db));
}

}  // namespace calsync::store::sqlite
