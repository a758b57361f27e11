#include "daemon/config/secrets.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace calsync::config {
namespace {

ResolvedSecret fromEnvironment(const std::string& name) {
  if (name.empty()) return {false, "", "env: needs a variable name (env:NAME)", ""};
  const char* value = std::getenv(name.c_str());
  if (!value) return {false, "", "environment variable '" + name + "' is not set", ""};
  return {true, value, "", ""};
}

ResolvedSecret fromFile(const std::string& written, const std::string& base_dir) {
  if (written.empty()) return {false, "", "the secret file path is empty", ""};
  std::filesystem::path path(written);
  if (path.is_relative()) path = std::filesystem::path(base_dir) / path;
  std::ifstream in(path, std::ios::binary);
  if (!in) return {false, "", "cannot read secret file '" + path.string() + "': " + std::strerror(errno), ""};
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return {false, "", "cannot read secret file '" + path.string() + "'", ""};
  std::string value = content.str();
  // Editors and `echo` end files with a newline that is not part of the secret.
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();

  std::string warning;
  std::error_code error;
  const auto perms = std::filesystem::status(path, error).permissions();
  if (!error && (perms & std::filesystem::perms::others_read) != std::filesystem::perms::none) {
    warning = "secret file '" + path.string() + "' is readable by every user; restrict it (chmod 600)";
  }
  return {true, std::move(value), "", std::move(warning)};
}

}  // namespace

ResolvedSecret resolveSecret(const std::string& written, bool from_file, const std::string& base_dir) {
  if (from_file) return fromFile(written, base_dir);
  if (written.starts_with("env:")) return fromEnvironment(written.substr(4));
  return {true, written, "", ""};
}

}  // namespace calsync::config
