#include "master/copy_identity.h"

#include "core/hash.h"

namespace calsync::master {
namespace {

std::string percentEncode(const std::string& in) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '@' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace

std::string copyUid(const store::ObjectKey& key, const std::string& uid) {
  return "calsync-" + sha256Hex(key.agent_id + '\x1f' + key.source + '\x1f' + key.calendar_id + '\x1f' + uid).substr(0, 32);
}

std::string originMarker(const store::ObjectKey& key, const std::string& uid) {
  return "calsync:" + percentEncode(key.agent_id) + "/" + percentEncode(key.source) + "/" +
         percentEncode(key.calendar_id) + "/" + percentEncode(uid);
}

}  // namespace calsync::master
