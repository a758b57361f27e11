// The key that encrypts OAuth tokens at rest: 32 random bytes in a file only the service's
// own user may read. Reading refuses a key that others could read, since anyone holding it can
// decrypt the tokens. POSIX permissions in key_file_posix.cpp; CMake picks the platform file.
#pragma once

#include <filesystem>
#include <string>

namespace calsync::oauth {

inline constexpr std::size_t kKeyBytes = 32;

// Reads the key at `path`, creating it (mode 0600, parent directory 0700 when created) when it
// does not exist. Throws ConnectorError(Config) when the file is readable or writable by group
// or others, belongs to another user, is not a regular file, or does not hold exactly 32 bytes.
std::string loadOrCreateKey(const std::filesystem::path& path);

// Reads an existing key with the same checks; never creates one.
std::string loadKey(const std::filesystem::path& path);

// Writes `bytes` to `path` atomically (temporary file, fsync, rename) with mode 0600.
void writePrivateFile(const std::filesystem::path& path, const std::string& bytes);

}  // namespace calsync::oauth
