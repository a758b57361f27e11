// The one error type the stores throw: the database could not be opened, migrated or
// written. Callers treat it as "nothing was recorded".
#pragma once

#include <stdexcept>

namespace calsync::store {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace calsync::store
