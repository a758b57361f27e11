// Makes type "ics" known to the ConnectorRegistry when this library is linked whole.
#include "core/registry.h"
#include "ics/ics_connector.h"

CALSYNC_REGISTER_CONNECTOR(ics, ::calsync::ics::icsConnectorInfo());
