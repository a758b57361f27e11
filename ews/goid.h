// The Exchange GlobalObjectId of a meeting (MS-OXOCAL 2.2.1.27), which Exchange derives from
// an iCalendar UID. Its "clean" form (instance date zeroed) is the same for a whole series and
// is the only UID-derived property EWS can search on.
#pragma once

#include <string>

namespace calsync::ews {

// The PidLidCleanGlobalObjectId bytes for `uid`: the UID's own bytes when it is the hex form
// Outlook uses ("040000008200E000..."), otherwise the "vCal-Uid" wrapping Exchange builds.
std::string cleanGlobalObjectId(const std::string& uid);

std::string base64Encode(const std::string& bytes);

}  // namespace calsync::ews
