#include "daemon/ctl/table.h"

#include <algorithm>
#include <stdexcept>

namespace calsync::ctl {
namespace {

bool continuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

std::size_t displayWidth(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !continuationByte(static_cast<unsigned char>(c)); }));
}

std::string fitCell(const std::string& text, std::size_t width) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) clean.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? ' ' : c);
  if (displayWidth(clean) <= width) return clean;
  if (width == 0) return "";
  // Keep width - 1 characters, never splitting a multi-byte sequence, then the ellipsis.
  std::string cut;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < clean.size(); ++i) {
    const bool starts_char = !continuationByte(static_cast<unsigned char>(clean[i]));
    if (starts_char && ++chars > width - 1) break;
    cut.push_back(clean[i]);
  }
  return cut + "\xE2\x80\xA6";
}

Table::Table(std::vector<std::string> headers, std::size_t max_cell_width)
    : headers_(std::move(headers)), max_cell_width_(std::max<std::size_t>(max_cell_width, 2)) {}

void Table::add(std::vector<std::string> row) {
  if (row.size() > headers_.size()) throw std::logic_error("table row has more cells than the table has columns");
  row.resize(headers_.size());
  for (auto& cell : row) cell = fitCell(cell, max_cell_width_);
  rows_.push_back(std::move(row));
}

void Table::print(std::ostream& out, const std::string& when_empty) const {
  if (rows_.empty() && !when_empty.empty()) {
    out << when_empty << '\n';
    return;
  }
  std::vector<std::size_t> widths;
  for (const auto& h : headers_) widths.push_back(displayWidth(h));
  for (const auto& row : rows_) {
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], displayWidth(row[c]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      text += cells[c];
      if (c + 1 < cells.size()) text += std::string(widths[c] - displayWidth(cells[c]) + 2, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << '\n';
  };
  line(headers_);
  for (const auto& row : rows_) line(row);
}

}  // namespace calsync::ctl
