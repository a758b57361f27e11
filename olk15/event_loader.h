// Reads and decodes one event file. Outlook may rewrite a file while it is read (P2 §6):
// when decoding fails and the file changed under the read, it is read once more.
#pragma once

#include <optional>
#include <string>

#include "olk15/data_files.h"
#include "olk15/event_record.h"

namespace calsync::olk15 {

struct LoadedEvent {
  OlkEvent event;
  FileStamp stamp;
};

// The decoded file, or nullopt with `error` saying why it was skipped.
std::optional<LoadedEvent> loadEvent(DataFiles& files, const std::string& relative, std::string& error);

}  // namespace calsync::olk15
