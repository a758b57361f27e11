// Makes type "olk15" (alias "outlook-mac") known to the ConnectorRegistry when this library
// is linked whole.
#include "core/registry.h"
#include "olk15/olk15_connector.h"

CALSYNC_REGISTER_CONNECTOR(olk15, ::calsync::olk15::olk15ConnectorInfo());
