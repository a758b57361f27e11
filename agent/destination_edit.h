// Applies, at a source, an edit or deletion that was made to the event's copy in the
// destination (the master routes those with the source version they were made against).
// Only what the edit changed is written, onto the event as the source has it now, so a
// change made at the source meanwhile survives. When the source changed a field the edit
// changes too, nothing is written and the outcome says `conflict`: the master merges again
// with its strategy. A deletion is refused when the source changed the event since,
// because a change is never lost to a deletion.
#pragma once

#include "core/connector.h"
#include "core/master_link.h"

namespace calsync::agent {

// `update` is an EventUpdate or EventDelete with base_ical set. Throws ConnectorError from
// the connector (the caller turns it into a retryable outcome where that can help).
UpdateOutcome applyDestinationEdit(Connector& connector, const AgentUpdate& update);

}  // namespace calsync::agent
