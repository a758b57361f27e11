// Reading the master's JSON answers leniently: a missing or differently typed field reads as
// empty, so an older or newer master never crashes the CLI, it only shows less.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>

namespace calsync::ctl::json {

Poco::JSON::Object::Ptr parseObject(const std::string& text);   // throws operationFailed when not an object

std::string text(const Poco::JSON::Object::Ptr& object, const std::string& key);       // numbers and bools as text
std::int64_t integer(const Poco::JSON::Object::Ptr& object, const std::string& key);   // 0 when absent
bool boolean(const Poco::JSON::Object::Ptr& object, const std::string& key);
Poco::JSON::Object::Ptr object(const Poco::JSON::Object::Ptr& object, const std::string& key);   // empty object when absent
Poco::JSON::Array::Ptr array(const Poco::JSON::Object::Ptr& object, const std::string& key);     // empty array when absent
Poco::JSON::Object::Ptr objectAt(const Poco::JSON::Array::Ptr& array, std::size_t index);          // empty object when not one
// An array of strings joined with ", ".
std::string joined(const Poco::JSON::Object::Ptr& object, const std::string& key);

std::string stringify(const Poco::JSON::Object& object);   // pretty, two-space indent
std::string stringify(const Poco::JSON::Array& array);

}  // namespace calsync::ctl::json
