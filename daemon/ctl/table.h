// Human-readable tables for the terminal: a header row and aligned columns, widths measured
// in characters (UTF-8 aware), overlong cells cut with an ellipsis, control characters shown
// as spaces so a calendar name cannot move the cursor.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace calsync::ctl {

class Table {
 public:
  explicit Table(std::vector<std::string> headers, std::size_t max_cell_width = 48);
  void add(std::vector<std::string> row);   // missing cells are blank, extra ones are an error
  bool empty() const { return rows_.empty(); }
  std::size_t size() const { return rows_.size(); }
  // Writes the table; an empty table writes `when_empty` (e.g. "no calendars") instead.
  void print(std::ostream& out, const std::string& when_empty = "") const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  std::size_t max_cell_width_;
};

// Characters (code points) in UTF-8 text.
std::size_t displayWidth(const std::string& text);
// `text` with control characters as spaces, cut to `width` characters ("…" marks the cut).
std::string fitCell(const std::string& text, std::size_t width);

}  // namespace calsync::ctl
