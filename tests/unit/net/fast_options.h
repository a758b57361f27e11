// Client options with short timeouts, so tests of hanging servers finish quickly.
#pragma once

#include "net/http_client.h"

namespace calsync::net {

inline HttpOptions fastOptions() {
  HttpOptions options;
  options.connect_timeout_seconds = 2;
  options.timeout_seconds = 2;
  return options;
}

}  // namespace calsync::net
