// The test server's state and the API tests use to change it "as a user would".
#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <sstream>
#include <stdexcept>

#include "server_state.h"

namespace calsync::testing::ews {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string base64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << bytes;
  encoder.close();
  return out.str();
}

std::string unbase64(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in);
  std::string out;
  char c;
  while (decoder.get(c)) out.push_back(c);
  return out;
}

std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

}  // namespace

std::string occurrenceId(const std::string& master_id, int index) {
  return "AAMkOcc" + base64(master_id + "#" + std::to_string(index));
}

bool parseOccurrenceId(const std::string& id, std::string& master_id, int& index) {
  if (id.rfind("AAMkOcc", 0) != 0) return false;
  std::string decoded = unbase64(id.substr(7));
  auto hash = decoded.rfind('#');
  if (hash == std::string::npos) return false;
  master_id = decoded.substr(0, hash);
  try {
    index = std::stoi(decoded.substr(hash + 1));
  } catch (const std::exception&) {
    return false;
  }
  return index > 0;
}

std::string cleanGlobalObjectIdBase64(const std::string& uid) {
  // MS-OXOCAL 2.2.1.27: class id, instance date (zero in the clean form), creation time,
  // reserved, size, data. A UID that is itself a hex GlobalObjectId is taken as its bytes.
  static const unsigned char class_id[] = {0x04, 0x00, 0x00, 0x00, 0x82, 0x00, 0xE0, 0x00,
                                           0x74, 0xC5, 0xB7, 0x10, 0x1A, 0x82, 0xE0, 0x08};
  std::string upper = uid;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  const bool hex_goid = upper.rfind("040000008200E00074C5B7101A82E008", 0) == 0 && upper.size() % 2 == 0 &&
                        upper.size() >= 80 &&
                        std::all_of(upper.begin(), upper.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
  std::string bytes;
  if (hex_goid) {
    for (std::size_t i = 0; i < upper.size(); i += 2) bytes.push_back(static_cast<char>(std::stoi(upper.substr(i, 2), nullptr, 16)));
    std::fill(bytes.begin() + 16, bytes.begin() + 20, '\0');
    return base64(bytes);
  }
  bytes.assign(reinterpret_cast<const char*>(class_id), sizeof class_id);
  bytes.append(20, '\0');
  std::string data = std::string("vCal-Uid") + std::string("\x01\x00\x00\x00", 4) + uid + std::string(1, '\0');
  const auto size = static_cast<std::uint32_t>(data.size());
  for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<char>((size >> (8 * i)) & 0xFF));
  return base64(bytes + data);
}

std::string EwsTestServer::State::newId(const std::string& prefix) {
  const std::uint64_t n = ++counter;
  return prefix + base64("calsync-test-" + std::to_string(n) + "-" + std::to_string(n * 7919 % 104729));
}

std::string EwsTestServer::State::newChangeKey() { return "DwAAABYA" + std::to_string(++counter); }

void EwsTestServer::State::touch(StoredItem& item) {
  item.change_key = newChangeKey();
  item.changed_seq = ++seq;
  item.modified = now();
}

const User* EwsTestServer::State::userByEmail(const std::string& email) const {
  for (const auto& [name, user] : users) {
    if (lower(user.email) == lower(email)) return &user;
  }
  return nullptr;
}

std::string EwsTestServer::State::createItemLocked(const std::string& folder_id, const ItemSpec& spec) {
  if (!folders.count(folder_id)) throw std::invalid_argument("no folder " + folder_id);
  StoredItem item;
  item.id = newId("AAMkItem");
  item.folder_id = folder_id;
  item.spec = spec;
  if (item.spec.uid.empty()) {
    // Outlook-style: a hex GlobalObjectId with a random tail.
    char tail[33];
    std::snprintf(tail, sizeof tail, "%016llX%016llX", static_cast<unsigned long long>(counter * 2654435761ULL),
                  static_cast<unsigned long long>(seq + 1));
    item.spec.uid = std::string("040000008200E00074C5B7101A82E00800000000") + "0000000000000000000000000000000010000000" + tail;
  }
  item.created = now();
  touch(item);
  item.created_seq = item.changed_seq;
  std::string id = item.id;
  items[id] = std::move(item);
  return id;
}

void EwsTestServer::State::deleteItemLocked(const std::string& item_id) {
  auto found = items.find(item_id);
  if (found == items.end()) throw std::invalid_argument("no item " + item_id);
  tombstones.push_back({item_id, found->second.folder_id, found->second.created_seq, ++seq});
  items.erase(found);
}

EwsTestServer::EwsTestServer() : EwsTestServer(Options{}) {}

void EwsTestServer::addUser(const std::string& username, const std::string& password, const std::string& email) {
  std::lock_guard lock(state_->mutex);
  state_->users[lower(username)] = User{username, password, email};
  state_->user_order.push_back(lower(username));
  if (!state_->default_calendars.count(lower(email))) {
    Folder folder;
    folder.id = state_->newId("AAMkFolder");
    folder.change_key = state_->newChangeKey();
    folder.name = "Calendar";
    folder.owner = lower(email);
    state_->folders[folder.id] = folder;
    state_->default_calendars[lower(email)] = folder.id;
  }
}

void EwsTestServer::addBearerToken(const std::string& token, const std::string& email) {
  std::lock_guard lock(state_->mutex);
  state_->bearer_tokens[token] = email;
}

void EwsTestServer::grantDelegate(const std::string& mailbox_email, const std::string& user_email) {
  std::lock_guard lock(state_->mutex);
  state_->delegates[lower(mailbox_email)].insert(lower(user_email));
}

std::string EwsTestServer::calendarFolderId(const std::string& email) const {
  std::lock_guard lock(state_->mutex);
  auto found = state_->default_calendars.find(lower(email));
  if (found == state_->default_calendars.end()) throw std::invalid_argument("no mailbox " + email);
  return found->second;
}

std::string EwsTestServer::createCalendarFolder(const std::string& email, const std::string& parent_id, const std::string& name) {
  std::lock_guard lock(state_->mutex);
  if (!state_->folders.count(parent_id)) throw std::invalid_argument("no folder " + parent_id);
  Folder folder;
  folder.id = state_->newId("AAMkFolder");
  folder.change_key = state_->newChangeKey();
  folder.name = name;
  folder.parent_id = parent_id;
  folder.owner = lower(email);
  state_->folders[folder.id] = folder;
  return folder.id;
}

std::string EwsTestServer::folderName(const std::string& folder_id) const {
  std::lock_guard lock(state_->mutex);
  auto found = state_->folders.find(folder_id);
  return found == state_->folders.end() ? std::string() : found->second.name;
}

std::string EwsTestServer::createItem(const std::string& folder_id, const ItemSpec& spec) {
  std::lock_guard lock(state_->mutex);
  return state_->createItemLocked(folder_id, spec);
}

void EwsTestServer::updateItem(const std::string& item_id, const std::function<void(ItemSpec&)>& edit) {
  std::lock_guard lock(state_->mutex);
  auto found = state_->items.find(item_id);
  if (found == state_->items.end()) throw std::invalid_argument("no item " + item_id);
  const auto before = found->second.spec.recurrence.has_value();
  edit(found->second.spec);
  if (before != found->second.spec.recurrence.has_value()) {
    found->second.exceptions.clear();
    found->second.deleted.clear();
  }
  state_->touch(found->second);
}

void EwsTestServer::deleteItem(const std::string& item_id) {
  std::lock_guard lock(state_->mutex);
  state_->deleteItemLocked(item_id);
}

void EwsTestServer::modifyOccurrence(const std::string& master_id, int instance_index, const OccurrenceEdit& edit) {
  std::lock_guard lock(state_->mutex);
  auto found = state_->items.find(master_id);
  if (found == state_->items.end() || !found->second.spec.recurrence) throw std::invalid_argument("no series " + master_id);
  OccurrenceEdit& stored = found->second.exceptions[instance_index];
  if (edit.subject) stored.subject = edit.subject;
  if (edit.body) stored.body = edit.body;
  if (edit.location) stored.location = edit.location;
  if (edit.start) stored.start = edit.start;
  if (edit.end) stored.end = edit.end;
  // An exception lives inside its master: the master is what changed.
  state_->touch(found->second);
}

void EwsTestServer::deleteOccurrence(const std::string& master_id, int instance_index) {
  std::lock_guard lock(state_->mutex);
  auto found = state_->items.find(master_id);
  if (found == state_->items.end() || !found->second.spec.recurrence) throw std::invalid_argument("no series " + master_id);
  found->second.exceptions.erase(instance_index);
  found->second.deleted.insert(instance_index);
  state_->touch(found->second);
}

void EwsTestServer::setExtendedProperty(const std::string& item_id, const std::string& property_set, const std::string& name,
                                        const std::string& value) {
  std::lock_guard lock(state_->mutex);
  auto found = state_->items.find(item_id);
  if (found == state_->items.end()) throw std::invalid_argument("no item " + item_id);
  found->second.extended[lower(property_set) + "/" + name] = value;
  state_->touch(found->second);
}

std::optional<ItemState> EwsTestServer::item(const std::string& item_id) const {
  std::lock_guard lock(state_->mutex);
  auto found = state_->items.find(item_id);
  if (found == state_->items.end()) return std::nullopt;
  const StoredItem& s = found->second;
  ItemState out{s.id, s.change_key, s.folder_id, s.spec, s.exceptions, {s.deleted.begin(), s.deleted.end()}, s.extended};
  return out;
}

std::vector<ItemState> EwsTestServer::items(const std::string& folder_id) const {
  std::vector<ItemState> out;
  std::vector<std::string> ids;
  {
    std::lock_guard lock(state_->mutex);
    for (const auto& [id, s] : state_->items) {
      if (s.folder_id == folder_id) ids.push_back(id);
    }
  }
  for (const auto& id : ids) {
    if (auto state = item(id)) out.push_back(*state);
  }
  return out;
}

void EwsTestServer::failBusy(int times, std::optional<int> back_off_ms) {
  std::lock_guard lock(state_->mutex);
  state_->busy_times = times;
  state_->busy_back_off = back_off_ms;
}

void EwsTestServer::failStatus(int times, int status, std::optional<int> retry_after_seconds) {
  std::lock_guard lock(state_->mutex);
  state_->status_times = times;
  state_->status_code = status;
  state_->retry_after = retry_after_seconds;
}

void EwsTestServer::answerRawOnce(const std::string& operation, int status, const std::string& body) {
  std::lock_guard lock(state_->mutex);
  state_->raw_answers[operation] = {status, body};
}

void EwsTestServer::expireSyncStates() {
  std::lock_guard lock(state_->mutex);
  state_->sync_states.clear();
}

void EwsTestServer::setFindCountLimit(int limit) {
  std::lock_guard lock(state_->mutex);
  state_->find_count_limit = limit;
}

std::size_t EwsTestServer::requestCount(const std::string& operation) const {
  std::lock_guard lock(state_->mutex);
  auto found = state_->counts.find(operation);
  return found == state_->counts.end() ? 0 : found->second;
}

std::vector<WriteFlags> EwsTestServer::writes() const {
  std::lock_guard lock(state_->mutex);
  return state_->writes;
}

int EwsTestServer::peakConcurrentRequests() const {
  std::lock_guard lock(state_->mutex);
  return state_->peak;
}

void EwsTestServer::setLatency(int milliseconds) {
  std::lock_guard lock(state_->mutex);
  state_->latency_ms = milliseconds;
}

}  // namespace calsync::testing::ews
