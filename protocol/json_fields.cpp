#include "protocol/json_fields.h"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace calsync::protocol::json {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr parseObject(const std::string& text, const std::string& what) {
  Object::Ptr root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(text).extract<Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw ProtocolError(what + ": not a JSON object: " + e.displayText());
  } catch (const std::exception& e) {
    throw ProtocolError(what + ": not a JSON object: " + e.what());
  }
  if (!root) throw ProtocolError(what + ": not a JSON object");
  return root;
}

std::string condense(const Object& object) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(object, out);
  return out.str();
}

Object::Ptr requiredObject(const Object::Ptr& obj, const std::string& name, const std::string& where) {
  Object::Ptr child;
  try {
    child = obj->getObject(name);
  } catch (const Poco::Exception&) {
  }
  if (!child) throw ProtocolError(where + "." + name + " must be an object");
  return child;
}

Array::Ptr optionalArray(const Object::Ptr& obj, const std::string& name, const std::string& where) {
  if (!obj->has(name) || obj->isNull(name)) return new Array;
  Array::Ptr child;
  try {
    child = obj->getArray(name);
  } catch (const Poco::Exception&) {
  }
  if (!child) throw ProtocolError(where + "." + name + " must be an array");
  return child;
}

Object::Ptr objectAt(const Array::Ptr& array, std::size_t i, const std::string& where) {
  Object::Ptr item;
  try {
    item = array->getObject(static_cast<unsigned>(i));
  } catch (const Poco::Exception&) {
  }
  if (!item) throw ProtocolError(where + "[" + std::to_string(i) + "] must be an object");
  return item;
}

}  // namespace calsync::protocol::json
