#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "protocol/batch.h"

namespace calsync::protocol {
namespace {

constexpr int kVersion = 1;

using Poco::JSON::Array;
using Poco::JSON::Object;

template <typename T>
T required(const Object::Ptr& obj, const std::string& name, const std::string& where) {
  if (!obj->has(name)) throw ProtocolError("batch: " + where + "." + name + " is missing");
  try {
    return obj->getValue<T>(name);
  } catch (const Poco::Exception&) {
    throw ProtocolError("batch: " + where + "." + name + " has the wrong type");
  }
}

Object::Ptr requiredObject(const Object::Ptr& obj, const std::string& name, const std::string& where) {
  Object::Ptr child = obj->getObject(name);
  if (!child) throw ProtocolError("batch: " + where + "." + name + " must be an object");
  return child;
}

Poco::JSON::Array::Ptr requiredArray(const Object::Ptr& obj, const std::string& name, const std::string& where) {
  Poco::JSON::Array::Ptr child = obj->getArray(name);
  if (!child) throw ProtocolError("batch: " + where + "." + name + " must be an array");
  return child;
}

}  // namespace

std::string encodeBatch(const SourceBatch& batch) {
  Object root;
  root.set("v", kVersion);
  root.set("source", batch.source);
  root.set("source_type", batch.source_type);
  if (!batch.conflict_resolution.empty()) root.set("conflict_resolution", batch.conflict_resolution);
  Object cal;
  cal.set("id", batch.calendar.id);
  cal.set("name", batch.calendar.name);
  cal.set("color", batch.calendar.color);
  cal.set("description", batch.calendar.description);
  cal.set("writable", batch.calendar.writable);
  root.set("calendar", cal);
  Array upserts;
  for (const auto& o : batch.upserts) {
    Object item;
    item.set("native_id", o.native_id);
    item.set("uid", o.uid);
    item.set("hash", o.hash);
    item.set("ical", o.ical);
    item.set("span_start", o.span_start_utc);
    item.set("span_end", o.span_end_utc);
    item.set("in_window", o.in_window);
    upserts.add(item);
  }
  root.set("upserts", upserts);
  Array deletions;
  for (const auto& d : batch.deletions) deletions.add(d);
  root.set("deletions", deletions);
  if (batch.snapshot) {
    Array ids;
    for (const auto& id : batch.snapshot_ids) ids.add(id);
    root.set("snapshot_ids", ids);
  }
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(root, out);
  return out.str();
}

SourceBatch decodeBatch(const std::string& json) {
  Object::Ptr root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(json).extract<Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw ProtocolError("batch: not a JSON object: " + e.displayText());
  } catch (const std::exception& e) {
    throw ProtocolError(std::string("batch: not a JSON object: ") + e.what());
  }
  if (!root) throw ProtocolError("batch: not a JSON object");
  const int version = required<int>(root, "v", "batch");
  if (version != kVersion) throw ProtocolError("batch: unsupported version " + std::to_string(version));
  SourceBatch batch;
  batch.source = required<std::string>(root, "source", "batch");
  batch.source_type = required<std::string>(root, "source_type", "batch");
  if (root->has("conflict_resolution")) {
    batch.conflict_resolution = required<std::string>(root, "conflict_resolution", "batch");
  }
  const Object::Ptr cal = requiredObject(root, "calendar", "batch");
  batch.calendar.id = required<std::string>(cal, "id", "calendar");
  batch.calendar.name = required<std::string>(cal, "name", "calendar");
  batch.calendar.color = required<std::string>(cal, "color", "calendar");
  batch.calendar.description = required<std::string>(cal, "description", "calendar");
  batch.calendar.writable = required<bool>(cal, "writable", "calendar");
  const auto upserts = requiredArray(root, "upserts", "batch");
  for (std::size_t i = 0; i < upserts->size(); ++i) {
    const Object::Ptr item = upserts->getObject(static_cast<unsigned>(i));
    const std::string where = "upserts[" + std::to_string(i) + "]";
    if (!item) throw ProtocolError("batch: " + where + " must be an object");
    BatchObject o;
    o.native_id = required<std::string>(item, "native_id", where);
    o.uid = required<std::string>(item, "uid", where);
    o.hash = required<std::string>(item, "hash", where);
    o.ical = required<std::string>(item, "ical", where);
    o.span_start_utc = required<std::int64_t>(item, "span_start", where);
    o.span_end_utc = required<std::int64_t>(item, "span_end", where);
    o.in_window = required<bool>(item, "in_window", where);
    batch.upserts.push_back(std::move(o));
  }
  const auto deletions = requiredArray(root, "deletions", "batch");
  for (std::size_t i = 0; i < deletions->size(); ++i) {
    try {
      batch.deletions.push_back(deletions->getElement<std::string>(static_cast<unsigned>(i)));
    } catch (const Poco::Exception&) {
      throw ProtocolError("batch: deletions[" + std::to_string(i) + "] must be a string");
    }
  }
  if (root->has("snapshot_ids")) {
    batch.snapshot = true;
    const auto ids = requiredArray(root, "snapshot_ids", "batch");
    for (std::size_t i = 0; i < ids->size(); ++i) {
      try {
        batch.snapshot_ids.push_back(ids->getElement<std::string>(static_cast<unsigned>(i)));
      } catch (const Poco::Exception&) {
        throw ProtocolError("batch: snapshot_ids[" + std::to_string(i) + "] must be a string");
      }
    }
  }
  return batch;
}

}  // namespace calsync::protocol
