// Internal to the EWS test server: items to CalendarItem XML and back, and the small XML
// helpers the operations share.
#pragma once

#include <pugixml.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "server_state.h"

namespace calsync::testing::ews {

inline constexpr std::string_view kSoap = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr std::string_view kMessages = "http://schemas.microsoft.com/exchange/services/2006/messages";
inline constexpr std::string_view kTypes = "http://schemas.microsoft.com/exchange/services/2006/types";

std::string esc(std::string_view text);
std::string_view local(const pugi::xml_node& node);
std::string nsOf(const pugi::xml_node& node);
pugi::xml_node sub(const pugi::xml_node& parent, std::string_view name);
std::string subText(const pugi::xml_node& parent, std::string_view name);
std::string utc(std::int64_t instant);
std::optional<std::int64_t> parseInstant(const std::string& text);

// What an ItemShape asks for.
struct Shape {
  bool full = true;                       // AllProperties/Default; false = IdOnly
  std::set<std::string> fields;           // AdditionalProperties FieldURIs
  std::set<std::string> extended;         // "propertyset/name", set id in lower case
};
Shape readShape(const pugi::xml_node& item_shape);

std::string itemXml(const StoredItem& item, const Shape& shape);
std::string instanceXml(const StoredItem& master, const Instance& instance, const Shape& shape);

std::string patternXml(const Pattern& pattern, const std::string& start_date);
// nullopt with `error` set when the element is not a pattern this server knows.
std::optional<Pattern> readPattern(const pugi::xml_node& recurrence, std::string& error);

}  // namespace calsync::testing::ews
