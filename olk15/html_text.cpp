#include "olk15/html_text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

#include "olk15/utf8.h"

namespace calsync::olk15 {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Decodes the entity starting at html[i] == '&'; returns the characters consumed (0 = none).
std::size_t decodeEntity(std::string_view html, std::size_t i, std::string& out) {
  const std::size_t semi = html.find(';', i);
  if (semi == std::string_view::npos || semi - i > 10) return 0;
  const std::string_view name = html.substr(i + 1, semi - i - 1);
  if (name.size() >= 2 && name[0] == '#') {
    std::uint32_t cp = 0;
    const bool hex = name[1] == 'x' || name[1] == 'X';
    const std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    for (char c : digits) {
      const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                    : hex && std::isxdigit(static_cast<unsigned char>(c)) ? std::tolower(c) - 'a' + 10
                                                                          : -1;
      if (d < 0) return 0;
      cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
      if (cp > 0x10FFFF) cp = 0x110000;  // stays invalid, no overflow
    }
    appendUtf8(out, cp == 0xA0 ? ' ' : cp);
    return semi - i + 1;
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kNamed{{
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "},
      {"ndash", "\u2013"}, {"mdash", "\u2014"}, {"hellip", "\u2026"},
  }};
  for (const auto& [entity, text] : kNamed) {
    if (name == entity) {
      out.append(text);
      return semi - i + 1;
    }
  }
  return 0;
}

bool isBlockTag(const std::string& tag) {
  static const std::array<std::string_view, 15> kBlocks{"p", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                                                         "table", "ul", "ol", "blockquote", "pre", "hr"};
  return std::find(kBlocks.begin(), kBlocks.end(), tag) != kBlocks.end();
}

// Collapses blanks inside lines, trims every line and keeps at most one empty line in a row.
std::string tidy(const std::string& raw) {
  std::string out;
  std::string line;
  int pending_breaks = 0;
  auto flushLine = [&]() {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (line.empty()) {
      ++pending_breaks;
    } else {
      if (!out.empty()) out.append(std::min(pending_breaks + 1, 2) == 2 ? "\n\n" : "\n");
      out += line;
      pending_breaks = 0;
    }
    line.clear();
  };
  for (char c : raw) {
    if (c == '\n') {
      flushLine();
    } else if (c == ' ' || c == '\t' || c == '\r') {
      if (!line.empty() && line.back() != ' ') line.push_back(' ');
    } else {
      line.push_back(c);
    }
  }
  flushLine();
  return out;
}

}  // namespace

bool looksLikeHtml(std::string_view body) {
  const std::string head = lower(body.substr(0, 512));
  return head.find("<html") != std::string::npos || head.find("<body") != std::string::npos ||
         head.find("<div") != std::string::npos || head.find("<p") != std::string::npos ||
         head.find("<br") != std::string::npos || head.find("<!doctype") != std::string::npos ||
         head.find("<meta") != std::string::npos || head.find("<span") != std::string::npos;
}

std::string htmlToText(std::string_view html) {
  std::string raw;
  raw.reserve(html.size());
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      if (html.compare(i, 4, "<!--") == 0) {
        const std::size_t end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      const std::size_t end = html.find('>', i);
      if (end == std::string_view::npos) break;  // an unterminated tag ends the text
      std::string_view tag_text = html.substr(i + 1, end - i - 1);
      const bool closing = !tag_text.empty() && tag_text[0] == '/';
      if (closing) tag_text.remove_prefix(1);
      std::size_t name_end = 0;
      while (name_end < tag_text.size() && std::isalnum(static_cast<unsigned char>(tag_text[name_end]))) ++name_end;
      const std::string tag = lower(tag_text.substr(0, name_end));
      i = end + 1;
      if (!closing && (tag == "style" || tag == "script" || tag == "head" || tag == "title")) {
        // Their content is not text: skip to the matching close tag.
        const std::string close = "</" + tag;
        std::size_t j = i;
        for (;;) {
          const std::size_t found = html.find('<', j);
          if (found == std::string_view::npos) {
            i = html.size();
            break;
          }
          if (lower(html.substr(found, close.size())) == close) {
            const std::size_t gt = html.find('>', found);
            i = gt == std::string_view::npos ? html.size() : gt + 1;
            break;
          }
          j = found + 1;
        }
        continue;
      }
      if (tag == "br") {
        raw.push_back('\n');
      } else if (tag == "li" && !closing) {
        raw += "\n- ";
      } else if (tag == "td" || tag == "th") {
        raw.push_back(' ');
      } else if (isBlockTag(tag)) {
        raw.push_back('\n');
        if (tag == "p" && closing) raw.push_back('\n');
      }
      continue;
    }
    if (c == '&') {
      const std::size_t used = decodeEntity(html, i, raw);
      if (used > 0) {
        i += used;
        continue;
      }
    }
    raw.push_back(c == '\r' || c == '\n' || c == '\t' ? ' ' : c);
    ++i;
  }
  return tidy(raw);
}

}  // namespace calsync::olk15
