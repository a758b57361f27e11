// Internal to protocol/: reading typed fields out of Poco JSON objects with errors that name
// the message and the field.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

#include "protocol/batch.h"

namespace calsync::protocol::json {

Poco::JSON::Object::Ptr parseObject(const std::string& text, const std::string& what);
std::string condense(const Poco::JSON::Object& object);

template <typename T>
T required(const Poco::JSON::Object::Ptr& obj, const std::string& name, const std::string& where) {
  if (!obj->has(name) || obj->isNull(name)) throw ProtocolError(where + "." + name + " is missing");
  try {
    return obj->getValue<T>(name);
  } catch (const Poco::Exception&) {
    throw ProtocolError(where + "." + name + " has the wrong type");
  }
}

template <typename T>
T optional(const Poco::JSON::Object::Ptr& obj, const std::string& name, const std::string& where, T fallback) {
  if (!obj->has(name) || obj->isNull(name)) return fallback;
  return required<T>(obj, name, where);
}

template <typename T>
std::optional<T> maybe(const Poco::JSON::Object::Ptr& obj, const std::string& name, const std::string& where) {
  if (!obj->has(name) || obj->isNull(name)) return std::nullopt;
  return required<T>(obj, name, where);
}

Poco::JSON::Object::Ptr requiredObject(const Poco::JSON::Object::Ptr& obj, const std::string& name,
                                       const std::string& where);
// An absent array reads as empty; a present one must be an array.
Poco::JSON::Array::Ptr optionalArray(const Poco::JSON::Object::Ptr& obj, const std::string& name,
                                     const std::string& where);
Poco::JSON::Object::Ptr objectAt(const Poco::JSON::Array::Ptr& array, std::size_t i, const std::string& where);

}  // namespace calsync::protocol::json
