#include "core/master_link.h"

namespace calsync {
namespace {

struct KindName {
  AgentUpdate::Kind kind;
  const char* name;
};

constexpr KindName kKindNames[] = {
    {AgentUpdate::Kind::CalendarMetadata, "calendar_metadata"}, {AgentUpdate::Kind::EventCreate, "event_create"},
    {AgentUpdate::Kind::EventUpdate, "event_update"},           {AgentUpdate::Kind::EventDelete, "event_delete"},
    {AgentUpdate::Kind::SyncConfig, "sync_config"},
};

}  // namespace

const char* toString(AgentUpdate::Kind kind) {
  for (const auto& k : kKindNames)
    if (k.kind == kind) return k.name;
  return "unknown";
}

std::optional<AgentUpdate::Kind> agentUpdateKindFromString(const std::string& text) {
  for (const auto& k : kKindNames)
    if (text == k.name) return k.kind;
  return std::nullopt;
}

}  // namespace calsync
