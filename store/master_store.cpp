#include "store/master_store.h"

#include <tuple>

namespace calsync::store {

bool ObjectKey::operator<(const ObjectKey& o) const {
  return std::tie(agent_id, source, calendar_id, native_id) <
         std::tie(o.agent_id, o.source, o.calendar_id, o.native_id);
}

}  // namespace calsync::store
