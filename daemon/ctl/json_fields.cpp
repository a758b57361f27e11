#include "daemon/ctl/json_fields.h"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "daemon/ctl/cli.h"

namespace calsync::ctl::json {

Poco::JSON::Object::Ptr parseObject(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    auto result = parser.parse(body);
    if (auto o = result.extract<Poco::JSON::Object::Ptr>()) return o;
  } catch (const Poco::Exception&) {
  } catch (const std::exception&) {
  }
  throw operationFailed("the master answered something that is not a JSON object (" +
                        std::to_string(body.size()) + " bytes); is the URL a calsync master?");
}

std::string text(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  if (!o || !o->has(key) || o->isNull(key)) return "";
  const Poco::Dynamic::Var value = o->get(key);
  if (value.isString()) return value.extract<std::string>();
  if (value.isBoolean()) return value.convert<bool>() ? "true" : "false";
  if (value.isNumeric()) return value.convert<std::string>();
  return "";
}

std::int64_t integer(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  if (!o || !o->has(key) || o->isNull(key)) return 0;
  try {
    const Poco::Dynamic::Var value = o->get(key);
    return value.isNumeric() ? value.convert<std::int64_t>() : 0;
  } catch (const Poco::Exception&) {
    return 0;
  }
}

bool boolean(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  if (!o || !o->has(key) || o->isNull(key)) return false;
  const Poco::Dynamic::Var value = o->get(key);
  return value.isBoolean() && value.convert<bool>();
}

Poco::JSON::Object::Ptr object(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  if (o && o->has(key)) {
    if (auto inner = o->getObject(key)) return inner;
  }
  return new Poco::JSON::Object;
}

Poco::JSON::Array::Ptr array(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  if (o && o->has(key)) {
    if (auto inner = o->getArray(key)) return inner;
  }
  return new Poco::JSON::Array;
}

Poco::JSON::Object::Ptr objectAt(const Poco::JSON::Array::Ptr& a, std::size_t index) {
  if (a && index < a->size()) {
    if (auto inner = a->getObject(static_cast<unsigned>(index))) return inner;
  }
  return new Poco::JSON::Object;
}

std::string joined(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  std::string out;
  const auto items = array(o, key);
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto value = items->get(static_cast<unsigned>(i));
    if (value.isString()) out += (out.empty() ? "" : ", ") + value.extract<std::string>();
  }
  return out;
}

std::string stringify(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out, 2);
  return out.str();
}

std::string stringify(const Poco::JSON::Array& a) {
  std::ostringstream out;
  a.stringify(out, 2);
  return out.str();
}

}  // namespace calsync::ctl::json
