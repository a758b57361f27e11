// Runs `action` and returns the kind of the ConnectorError it throws; a test fails when it
// throws none.
#pragma once

#include <gtest/gtest.h>

#include <functional>

#include "core/errors.h"

namespace calsync::testing {

inline ErrorKind errorKindOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const ConnectorError& error) {
    return error.kind();
  }
  ADD_FAILURE() << "no ConnectorError thrown";
  return ErrorKind::Config;
}

}  // namespace calsync::testing
