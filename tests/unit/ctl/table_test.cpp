#include "daemon/ctl/table.h"

#include <gtest/gtest.h>

#include <sstream>

namespace calsync::ctl {
namespace {

std::string render(const Table& t, const std::string& empty = "") {
  std::ostringstream out;
  t.print(out, empty);
  return out.str();
}

TEST(Table, AlignsColumnsByTheWidestCell) {
  Table t({"ID", "NAME"});
  t.add({"cal_1", "Work"});
  t.add({"c", "Team calendar"});
  EXPECT_EQ(render(t), "ID     NAME\ncal_1  Work\nc      Team calendar\n");
}

TEST(Table, CountsCharactersNotBytes) {
  Table t({"NAME", "X"});
  t.add({"Köln", "1"});
  t.add({"Paris", "2"});
  // "Köln" is 5 bytes but 4 characters: one more space than "Paris" needs.
  EXPECT_EQ(render(t), "NAME   X\nKöln   1\nParis  2\n");
}

TEST(Table, CutsLongCellsWithAnEllipsisWithoutSplittingCharacters) {
  Table t({"S"}, 5);
  t.add({"Grüße aus Köln"});
  EXPECT_EQ(render(t), "S\nGrüß…\n");
  EXPECT_EQ(fitCell("ééééééé", 3), "éé…");
  EXPECT_EQ(fitCell("short", 10), "short");
}

TEST(Table, ControlCharactersCannotMoveTheCursor) {
  Table t({"S"});
  t.add({"evil\x1b[2Jname\r\n"});
  EXPECT_EQ(render(t), "S\nevil [2Jname\n");
}

TEST(Table, MissingCellsAreBlankAndExtraOnesAreRefused) {
  Table t({"A", "B", "C"});
  t.add({"1"});
  EXPECT_EQ(render(t), "A  B  C\n1\n");
  EXPECT_THROW(t.add({"1", "2", "3", "4"}), std::logic_error);
}

TEST(Table, AnEmptyTableSaysSo) {
  Table t({"ID"});
  EXPECT_EQ(render(t, "no calendars"), "no calendars\n");
  EXPECT_EQ(render(t), "ID\n");
}

}  // namespace
}  // namespace calsync::ctl
