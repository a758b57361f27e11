// Small, typed accessors over Poco::JSON for the cloud connectors and the token client:
// servers send numbers as strings and leave fields out, and a wrong type must become a clear
// Protocol error instead of a Poco exception escaping a connector.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>
#include <vector>

namespace calsync::json {

using Poco::JSON::Array;
using Poco::JSON::Object;

// Parses a JSON object; anything else throws ConnectorError(Protocol) naming `context`.
Object::Ptr parseObject(const std::string& text, const std::string& context);

// The member as text; numbers and booleans are converted, absent or null gives `fallback`.
std::string text(const Object::Ptr& object, const std::string& key, const std::string& fallback = {});
// The member as an integer (a number or a numeric string); absent or unusable gives `fallback`.
std::int64_t integer(const Object::Ptr& object, const std::string& key, std::int64_t fallback = 0);
bool boolean(const Object::Ptr& object, const std::string& key, bool fallback = false);
// Null when absent or not of that type.
Object::Ptr object(const Object::Ptr& object, const std::string& key);
Array::Ptr array(const Object::Ptr& object, const std::string& key);
// The string members of an array member; other elements are skipped.
std::vector<std::string> strings(const Object::Ptr& object, const std::string& key);
// Every object element of an array member.
std::vector<Object::Ptr> objects(const Object::Ptr& object, const std::string& key);

// Compact JSON text with non-ASCII characters left as UTF-8.
std::string stringify(const Object& object);
std::string stringify(const Object::Ptr& object);
// A deep copy (Poco objects share their children).
Object::Ptr clone(const Object::Ptr& object);

}  // namespace calsync::json
