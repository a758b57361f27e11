// Where a Secret key's value comes from: written inline, "env:NAME", or KEY_file = path.
// Reasons and warnings name the variable or file, never the value.
#pragma once

#include <string>

namespace calsync::config {

struct ResolvedSecret {
  bool ok = false;
  std::string value;
  std::string reason;    // why it could not be resolved, when !ok
  std::string warning;   // accepted but unsafe (a secret file others can read)
};

// `written` is the value as written; `from_file` when the key was written as KEY_file, in which
// case a relative path is taken relative to `base_dir` (the directory of the file that set it).
ResolvedSecret resolveSecret(const std::string& written, bool from_file, const std::string& base_dir);

}  // namespace calsync::config
