#include "daemon/config/value_check.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/duration.h"
#include "daemon/config/config.h"

namespace calsync::config {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<std::int64_t> parseInt(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool isPort(std::string_view text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) return false;
  const auto port = parseInt(text);
  return port && *port >= 1 && *port <= 65535;
}

// "host", "host:port", "[v6]" or "[v6]:port"; `port_required` for the listen form.
bool isHostWithPort(std::string_view text, bool port_required) {
  std::string_view host;
  std::string_view rest;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return false;
    host = text.substr(1, close - 1);
    rest = text.substr(close + 1);
  } else {
    const std::size_t colon = text.find(':');
    host = text.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon);
  }
  if (host.empty() || host.find_first_of(" \t/[]@") != std::string_view::npos) return false;
  if (rest.empty()) return !port_required;
  return rest.front() == ':' && isPort(rest.substr(1));
}

std::string rangeText(const KeySpec& spec, bool durations) {
  auto show = [&](std::int64_t v) { return durations ? formatDuration(v) : std::to_string(v); };
  if (spec.min != INT64_MIN && spec.max != INT64_MAX) return show(spec.min) + ".." + show(spec.max);
  if (spec.min != INT64_MIN) return ">= " + show(spec.min);
  return "<= " + show(spec.max);
}

bool inRange(const KeySpec& spec, std::int64_t value) { return value >= spec.min && value <= spec.max; }

CheckedValue fail(std::string reason) { return {false, "", std::move(reason)}; }
CheckedValue pass(std::string value) { return {true, std::move(value), ""}; }

}  // namespace

std::optional<std::int64_t> parseDuration(std::string_view text) { return calsync::parseDuration(text); }

std::optional<bool> parseBool(std::string_view text) {
  const std::string word = lower(text);
  if (word == "true" || word == "yes" || word == "on" || word == "1") return true;
  if (word == "false" || word == "no" || word == "off" || word == "0") return false;
  return std::nullopt;
}

std::string formatDuration(std::int64_t seconds) { return calsync::formatDuration(seconds); }

bool isHostPort(std::string_view text) { return isHostWithPort(text, true); }

bool isHttpUrl(std::string_view text) {
  const std::size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return false;
  const std::string scheme = lower(text.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") return false;
  std::string_view authority = text.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  return isHostWithPort(authority, false);
}

CheckedValue checkValue(const KeySpec& spec, const std::string& text) {
  switch (spec.type) {
    case KeyType::String:
    case KeyType::Path:
    case KeyType::Secret:
      return pass(text);
    case KeyType::Int: {
      const auto value = parseInt(text);
      if (!value) return fail("'" + text + "' is not an integer");
      if (!inRange(spec, *value)) return fail(std::to_string(*value) + " is out of range " + rangeText(spec, false));
      return pass(std::to_string(*value));
    }
    case KeyType::Bool: {
      const auto value = parseBool(text);
      if (!value) return fail("'" + text + "' is not a boolean (use true/false, yes/no, on/off or 1/0)");
      return pass(*value ? "true" : "false");
    }
    case KeyType::Duration: {
      const auto value = parseDuration(text);
      if (!value) return fail("'" + text + "' is not a duration (a number with an optional unit s, m, h, d or w)");
      if (!inRange(spec, *value)) return fail(text + " is out of range " + rangeText(spec, true));
      return pass(std::to_string(*value));
    }
    case KeyType::Enum: {
      if (std::find(spec.choices.begin(), spec.choices.end(), text) != spec.choices.end()) return pass(text);
      std::string choices;
      for (const auto& choice : spec.choices) choices += (choices.empty() ? "" : ", ") + choice;
      return fail("'" + text + "' is not one of: " + choices);
    }
    case KeyType::List: {
      const auto items = splitList(text);
      const auto written = std::count(text.begin(), text.end(), ',') + (text.empty() ? 0 : 1);
      if (static_cast<std::size_t>(written) != items.size()) return fail("the list has an empty item");
      std::string joined;
      for (const auto& item : items) joined += (joined.empty() ? "" : ", ") + item;
      return pass(joined);
    }
    case KeyType::Url:
      // Not quoted: a URL may carry credentials.
      if (!text.empty() && !isHttpUrl(text)) return fail("not an http:// or https:// URL with a host");
      return pass(text);
    case KeyType::HostPort:
      if (!text.empty() && !isHostPort(text)) {
        return fail("'" + text + "' is not host:port (port 1..65535; IPv6 as [addr]:port)");
      }
      return pass(text);
  }
  return fail("unsupported key type");
}

}  // namespace calsync::config
