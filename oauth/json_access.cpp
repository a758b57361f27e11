#include "oauth/json_access.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "core/errors.h"

namespace calsync::json {

Object::Ptr parseObject(const std::string& text, const std::string& context) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var parsed = parser.parse(text);
    if (parsed.type() == typeid(Object::Ptr)) {
      Object::Ptr result = parsed.extract<Object::Ptr>();
      if (result) return result;
    }
  } catch (const Poco::Exception& e) {
    throw ConnectorError(ErrorKind::Protocol, context + ": not valid JSON (" + e.displayText() + ")");
  }
  throw ConnectorError(ErrorKind::Protocol, context + ": expected a JSON object");
}

std::string text(const Object::Ptr& object, const std::string& key, const std::string& fallback) {
  if (!object || !object->has(key)) return fallback;
  const Poco::Dynamic::Var value = object->get(key);
  if (value.isEmpty()) return fallback;
  if (value.isString()) return value.extract<std::string>();
  if (value.isNumeric() || value.isBoolean()) {
    try {
      return value.convert<std::string>();
    } catch (const Poco::Exception&) {
      return fallback;
    }
  }
  return fallback;
}

std::int64_t integer(const Object::Ptr& object, const std::string& key, std::int64_t fallback) {
  if (!object || !object->has(key)) return fallback;
  const Poco::Dynamic::Var value = object->get(key);
  if (value.isEmpty()) return fallback;
  try {
    if (value.isString()) {
      const std::string s = value.extract<std::string>();
      std::size_t used = 0;
      const long long parsed = std::stoll(s, &used);
      return used == s.size() ? parsed : fallback;
    }
    if (value.isNumeric()) return value.convert<std::int64_t>();
  } catch (const std::exception&) {
  }
  return fallback;
}

bool boolean(const Object::Ptr& object, const std::string& key, bool fallback) {
  if (!object || !object->has(key)) return fallback;
  const Poco::Dynamic::Var value = object->get(key);
  if (value.isBoolean()) return value.extract<bool>();
  if (value.isString()) {
    const std::string s = value.extract<std::string>();
    if (s == "true") return true;
    if (s == "false") return false;
  }
  return fallback;
}

Object::Ptr object(const Object::Ptr& parent, const std::string& key) {
  if (!parent || !parent->has(key)) return nullptr;
  try {
    return parent->getObject(key);
  } catch (const Poco::Exception&) {
    return nullptr;
  }
}

Array::Ptr array(const Object::Ptr& parent, const std::string& key) {
  if (!parent || !parent->has(key)) return nullptr;
  try {
    return parent->getArray(key);
  } catch (const Poco::Exception&) {
    return nullptr;
  }
}

std::vector<std::string> strings(const Object::Ptr& parent, const std::string& key) {
  std::vector<std::string> out;
  Array::Ptr values = array(parent, key);
  if (!values) return out;
  for (std::size_t i = 0; i < values->size(); ++i) {
    const Poco::Dynamic::Var value = values->get(static_cast<unsigned>(i));
    if (value.isString()) out.push_back(value.extract<std::string>());
  }
  return out;
}

std::vector<Object::Ptr> objects(const Object::Ptr& parent, const std::string& key) {
  std::vector<Object::Ptr> out;
  Array::Ptr values = array(parent, key);
  if (!values) return out;
  for (std::size_t i = 0; i < values->size(); ++i) {
    Object::Ptr element = values->getObject(static_cast<unsigned>(i));
    if (element) out.push_back(element);
  }
  return out;
}

std::string stringify(const Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

std::string stringify(const Object::Ptr& object) { return object ? stringify(*object) : std::string("null"); }

Object::Ptr clone(const Object::Ptr& object) {
  if (!object) return nullptr;
  return parseObject(stringify(object), "clone");
}

}  // namespace calsync::json
