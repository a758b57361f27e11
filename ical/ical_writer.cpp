#include "ical/ical_writer.h"

namespace calsync::ical {
namespace {

constexpr std::size_t kMaxLineOctets = 75;

bool isUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Bytes below 0x20 other than TAB cannot appear in a content line (RFC 5545 3.1).
bool isControl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t') || u == 0x7F;
}

std::string withoutControls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (!isControl(c)) out.push_back(c);
  }
  return out;
}

}  // namespace

void ContentWriter::property(std::string_view head, std::string_view value) {
  std::string line = withoutControls(head);
  line += ':';
  line += withoutControls(value);
  folded(line);
}

void ContentWriter::folded(std::string_view line) {
  std::size_t limit = kMaxLineOctets;
  while (line.size() > limit) {
    std::size_t cut = limit;
    while (cut > 1 && isUtf8Continuation(line[cut])) --cut;
    text_.append(line.substr(0, cut));
    text_ += "\r\n ";
    line.remove_prefix(cut);
    limit = kMaxLineOctets - 1;  // the leading space of a continuation counts
  }
  text_.append(line);
  text_ += "\r\n";
}

void ContentWriter::block(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) {
      text_.append(line);
      text_ += "\r\n";
    }
    pos = nl + 1;
  }
}

std::string escapeText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\n': out += "\\n"; break;
      case '\r':
        if (i + 1 >= text.size() || text[i + 1] != '\n') out += "\\n";
        break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string param(std::string_view name, std::string_view value) {
  std::string clean;
  for (char c : value) {
    if (c != '"' && !isControl(c)) clean.push_back(c);
  }
  const bool quote = clean.find_first_of(":;,") != std::string::npos;
  std::string out = ";";
  out += name;
  out += '=';
  if (quote) out += '"';
  out += clean;
  if (quote) out += '"';
  return out;
}

std::string formatDuration(std::int64_t seconds) {
  if (seconds == 0) return "PT0S";
  std::string out = seconds < 0 ? "-P" : "P";
  // Negating INT64_MIN overflows; no real alarm is that far off.
  std::uint64_t left = seconds < 0 ? 0 - static_cast<std::uint64_t>(seconds) : static_cast<std::uint64_t>(seconds);
  const std::uint64_t days = left / 86400;
  left %= 86400;
  if (days) out += std::to_string(days) + "D";
  if (left) {
    out += 'T';
    if (left / 3600) out += std::to_string(left / 3600) + "H";
    if (left % 3600 / 60) out += std::to_string(left % 3600 / 60) + "M";
    if (left % 60) out += std::to_string(left % 60) + "S";
  }
  return out;
}

void timeProperty(ContentWriter& out, std::string_view name, const DateTime& value) {
  std::string head(name);
  if (value.is_date) {
    head += ";VALUE=DATE";
  } else if (!value.tzid.empty() && !value.isUtc()) {
    head += param("TZID", value.tzid);
  }
  out.property(head, value.toIcalValue());
}

}  // namespace calsync::ical
