#include "daemon/config/ini_reader.h"

#include <gtest/gtest.h>

#include <sstream>

namespace calsync::config {
namespace {

std::vector<IniSection> read(const std::string& text, std::vector<Issue>& issues) {
  std::istringstream in(text);
  return readIni("f.ini", in, issues);
}

TEST(IniReader, ReadsSectionsEntriesAndComments) {
  std::vector<Issue> issues;
  const auto sections = read(
      "\xEF\xBB\xBF; leading comment\r\n"
      "[daemon]   ; inline comment after a header\r\n"
      "# a hash comment\n"
      "mode=agent\n"
      "data_dir =   /var/lib/calsync   # trailing comment\n"
      "color = \"#ff0000\" ; quoted keeps the hash\n"
      "tag = a#b;c\n"
      "empty =\n"
      "only_comment = ; nothing here\n"
      "padded = \"  spaces kept  \"\n"
      "\n"
      "[source.work]\n"
      "type = ics\n",
      issues);
  EXPECT_TRUE(issues.empty());
  ASSERT_EQ(sections.size(), 2u);
  EXPECT_EQ(sections[0].name, "daemon");
  EXPECT_EQ(sections[0].origin.line, 2);
  const std::vector<std::pair<std::string, std::string>> expected{
      {"mode", "agent"}, {"data_dir", "/var/lib/calsync"}, {"color", "#ff0000"}, {"tag", "a#b;c"},
      {"empty", ""},     {"only_comment", ""},             {"padded", "  spaces kept  "}};
  ASSERT_EQ(sections[0].entries.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(sections[0].entries[i].key, expected[i].first);
    EXPECT_EQ(sections[0].entries[i].value, expected[i].second) << expected[i].first;
  }
  EXPECT_EQ(sections[0].entries[1].origin.line, 5);
  EXPECT_EQ(sections[0].entries[1].origin.file, "f.ini");
  EXPECT_EQ(sections[1].name, "source.work");
  EXPECT_EQ(sections[1].entries.at(0).origin.line, 13);
}

TEST(IniReader, ReportsLinesItCannotRead) {
  std::vector<Issue> issues;
  const auto sections = read(
      "orphan = 1\n"           // 1: before any section
      "[daemon\n"              // 2: unclosed header
      "under_bad = 1\n"        // 3: skipped with its bad header
      "[]\n"                   // 4: empty name
      "[agent] junk\n"         // 5: text after header
      "[master]\n"             // 6
      "= value\n"              // 7: no key
      "just words\n"           // 8: no '='
      "quote = \"open\n"       // 9: unterminated
      "quote2 = \"a\" b\n"     // 10: text after closing quote
      "ok = 1\n",              // 11
      issues);
  std::vector<int> lines;
  for (const Issue& issue : issues) lines.push_back(issue.origin.line);
  EXPECT_EQ(lines, (std::vector<int>{1, 2, 4, 5, 7, 8, 9, 10}));
  ASSERT_EQ(sections.size(), 1u);
  EXPECT_EQ(sections[0].name, "master");
  ASSERT_EQ(sections[0].entries.size(), 1u);
  EXPECT_EQ(sections[0].entries[0].key, "ok");
}

TEST(Issue, FormatsFileLineSectionAndKey) {
  EXPECT_EQ((Issue{{"a.ini", 3}, "daemon", "mode", "bad"}).toString(), "a.ini:3: [daemon] mode: bad");
  EXPECT_EQ((Issue{{"a.ini", 3}, "daemon", "", "bad"}).toString(), "a.ini:3: [daemon]: bad");
  EXPECT_EQ((Issue{{"a.ini", 0}, "", "", "cannot read"}).toString(), "a.ini: cannot read");
}

}  // namespace
}  // namespace calsync::config
