#include "core/registry.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace calsync {
namespace {

class NullConnector : public Connector {
 public:
  Capabilities capabilities() const override { return {}; }
  std::vector<Calendar> listCalendars() override { return {}; }
  ChangeSet pull(const CalendarId&, const Window&, const Cursor&) override { return {}; }
  std::optional<CalendarObject> findByUid(const CalendarId&, const std::string&) override { return std::nullopt; }
  WriteResult apply(const EventChange&) override { return {}; }
  void apply(const CalendarChange&) override {}
};

TEST(ConnectorRegistry, BuildsRegisteredTypesAndRejectsOthers) {
  ConnectorRegistry registry;
  std::string seen_name;
  ConnectorInfo info;
  info.type = "null";
  info.create = [&](const ConnectorSpec& spec) {
    seen_name = spec.name;
    return std::make_unique<NullConnector>();
  };
  registry.add(std::move(info));
  ConnectorSpec spec{"work", "null", {}, "/tmp"};
  EXPECT_NE(registry.create(spec), nullptr);
  EXPECT_EQ(seen_name, "work");
  spec.type = "nope";
  try {
    registry.create(spec);
    FAIL() << "unknown type accepted";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos);
  }
}

TEST(ConnectorRegistry, FindsTypesByAlias) {
  ConnectorRegistry registry;
  ConnectorInfo info;
  info.type = "olk15";
  info.create = [](const ConnectorSpec&) { return std::make_unique<NullConnector>(); };
  info.aliases = {"outlook-mac"};
  registry.add(std::move(info));
  ASSERT_NE(registry.find("outlook-mac"), nullptr);
  EXPECT_EQ(registry.find("outlook-mac")->type, "olk15");
  EXPECT_EQ(registry.find("outlook"), nullptr);
}

}  // namespace
}  // namespace calsync
