#include "core/errors.h"

#include "core/key_spec.h"

namespace calsync {

const char* toString(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Auth: return "auth";
    case ErrorKind::Network: return "network";
    case ErrorKind::Throttled: return "throttled";
    case ErrorKind::Conflict: return "conflict";
    case ErrorKind::NotFound: return "not-found";
    case ErrorKind::Permission: return "permission";
    case ErrorKind::Protocol: return "protocol";
    case ErrorKind::BadData: return "bad-data";
    case ErrorKind::Config: return "config";
  }
  return "unknown";
}

const char* toString(KeyType type) {
  switch (type) {
    case KeyType::String: return "string";
    case KeyType::Int: return "integer";
    case KeyType::Bool: return "boolean";
    case KeyType::Duration: return "duration";
    case KeyType::Enum: return "enum";
    case KeyType::List: return "list";
    case KeyType::Secret: return "secret";
    case KeyType::Path: return "path";
    case KeyType::Url: return "url";
    case KeyType::HostPort: return "host:port";
  }
  return "unknown";
}

}  // namespace calsync
