// Writing through the EWS connector: creates carry UID and origin marker and never invite,
// updates and deletes are conditional on the ChangeKey, conflicts are typed, and a copy
// whose mapping was lost is found by UID instead of duplicated.
#include <array>

#include "ews_fixture.h"
#include "ical/ical_codec.h"

namespace calsync::ews {
namespace {

constexpr const char* kOriginKey = "3d7b0f2e-6c1a-4f55-9b8e-2a61c4d9e7f3/CalsyncOrigin";

class EwsWriteTest : public EwsServerTest {
 protected:
  CalendarObject parse(const std::string& ics) {
    auto parsed = ical::parse(ics);
    EXPECT_EQ(parsed.objects.size(), 1u);
    return parsed.objects.at(0);
  }

  std::string vevent(const std::string& uid, const std::string& summary, std::int64_t start, const std::string& extra = "") {
    DateTime s = epochToUtc(start), e = epochToUtc(start + kHour);
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:" + uid +
           "\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:" + s.toIcalValue() + "\r\nDTEND:" + e.toIcalValue() +
           "\r\nSUMMARY:" + summary + "\r\n" + extra + "END:VEVENT\r\nEND:VCALENDAR\r\n";
  }

  EventChange create(CalendarObject object) {
    EventChange change;
    change.kind = EventChange::Kind::Create;
    change.calendar = "calendar";
    change.object = std::move(object);
    return change;
  }
};

TEST_F(EwsWriteTest, CreateUpdateDeleteFollowTheChangeKey) {
  auto ews = connector();
  CalendarObject copy = parse(vevent("calsync-1", "Dentist", today() + kDay + 8 * kHour));
  copy.origin = "calsync:agent/personal/cal/dentist@x";
  WriteResult created = ews->apply(create(copy));
  auto stored = server_->item(created.native_id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(created.etag, stored->change_key);
  EXPECT_EQ(stored->spec.uid, "calsync-1");
  EXPECT_EQ(stored->spec.subject, "Dentist");
  EXPECT_EQ(stored->spec.start, today() + kDay + 8 * kHour);
  EXPECT_EQ(stored->extended_properties.at(kOriginKey), copy.origin);

  // Update with the current ChangeKey.
  EventChange update;
  update.kind = EventChange::Kind::Update;
  update.calendar = "calendar";
  update.object = parse(vevent("calsync-1", "Dentist (moved)", today() + kDay + 10 * kHour));
  update.object.native_id = created.native_id;
  update.object.origin = copy.origin;
  update.if_match = created.etag;
  WriteResult updated = ews->apply(update);
  EXPECT_NE(updated.etag, created.etag);
  EXPECT_EQ(server_->item(created.native_id)->spec.subject, "Dentist (moved)");
  EXPECT_EQ(server_->item(created.native_id)->spec.start, today() + kDay + 10 * kHour);

  // A stale ChangeKey (the user edited it meanwhile) is a conflict, and changes nothing.
  server_->updateItem(created.native_id, [](ItemSpec& spec) { spec.location = "Room 5"; });
  update.object.components[0].summary = "Overwrite?";
  update.if_match = updated.etag;
  try {
    ews->apply(update);
    ADD_FAILURE() << "a stale ChangeKey was accepted";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Conflict) << e.what();
  }
  EXPECT_EQ(server_->item(created.native_id)->spec.subject, "Dentist (moved)");
  EXPECT_EQ(server_->item(created.native_id)->spec.location, "Room 5");

  // Delete: conditional too, and then gone.
  EventChange remove;
  remove.kind = EventChange::Kind::Delete;
  remove.calendar = "calendar";
  remove.object.native_id = created.native_id;
  remove.if_match = updated.etag;
  EXPECT_THROW(ews->apply(remove), ConnectorError);
  EXPECT_TRUE(server_->item(created.native_id).has_value());
  remove.if_match = server_->item(created.native_id)->change_key;
  ews->apply(remove);
  EXPECT_FALSE(server_->item(created.native_id).has_value());

  // Never any mail: every write said SendToNone, deletes go to Deleted Items, updates never overwrite.
  for (const auto& write : server_->writes()) {
    EXPECT_EQ(write.send_invitations, "SendToNone") << write.operation;
    if (write.operation == "UpdateItem") {
      EXPECT_EQ(write.conflict_resolution, "NeverOverwrite");
    }
    if (write.operation == "DeleteItem") {
      EXPECT_EQ(write.delete_type, "MoveToDeletedItems");
    }
  }
}

TEST_F(EwsWriteTest, UpdatingAnItemThatIsGoneIsNotFound) {
  auto ews = connector();
  WriteResult created = ews->apply(create(parse(vevent("calsync-2", "Gone", today() + kDay))));
  server_->deleteItem(created.native_id);
  EventChange update;
  update.kind = EventChange::Kind::Update;
  update.calendar = "calendar";
  update.object = parse(vevent("calsync-2", "Gone", today() + kDay));
  update.object.native_id = created.native_id;
  update.if_match = created.etag;
  try {
    ews->apply(update);
    ADD_FAILURE();
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::NotFound);
  }
}

TEST_F(EwsWriteTest, ALostMappingIsAdoptedThroughFindByUidNotDuplicated) {
  auto ews = connector();
  CalendarObject copy = parse(vevent("calsync-3", "Planning", today() + 2 * kDay));
  copy.origin = "calsync:agent/src/cal/planning@x";
  WriteResult first = ews->apply(create(copy));

  // The writer lost its record and creates again: the connector says the copy exists...
  try {
    ews->apply(create(copy));
    ADD_FAILURE() << "a second item with the same UID was created";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Conflict);
  }
  EXPECT_EQ(server_->items(calendar_).size(), 1u);
  // ...and finds it by UID, with its origin marker, id and ChangeKey, to update it in place.
  auto found = ews->findByUid("calendar", "calsync-3");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->native_id, first.native_id);
  EXPECT_EQ(found->origin, copy.origin);
  EXPECT_EQ(found->etag, server_->item(first.native_id)->change_key);
  EXPECT_FALSE(ews->findByUid("calendar", "calsync-unknown").has_value());

  // An Outlook-made item (hex GlobalObjectId UID) is found by its UID too.
  const std::string outlook = server_->createItem(calendar_, single("Outlook made", today() + kDay));
  const std::string outlook_uid = server_->item(outlook)->spec.uid;
  auto by_goid = ews->findByUid("calendar", outlook_uid);
  ASSERT_TRUE(by_goid.has_value());
  EXPECT_EQ(by_goid->native_id, outlook);
  EXPECT_TRUE(by_goid->origin.empty());
}

TEST_F(EwsWriteTest, RecurringCopyKeepsItsMovedAndCancelledOccurrences) {
  const std::int64_t start = today() + 9 * kHour;
  DateTime s = epochToUtc(start);
  DateTime moved_from = epochToUtc(start + 7 * kDay), moved_to = epochToUtc(start + 8 * kDay + 2 * kHour);
  DateTime cancelled = epochToUtc(start + 14 * kDay);
  std::string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
                    "BEGIN:VEVENT\r\nUID:calsync-series\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:" + s.toIcalValue() +
                    "\r\nDTEND:" + epochToUtc(start + kHour).toIcalValue() + "\r\nRRULE:FREQ=WEEKLY;COUNT=6\r\n"
                    "EXDATE:" + cancelled.toIcalValue() + "\r\nSUMMARY:Sync meeting\r\nEND:VEVENT\r\n"
                    "BEGIN:VEVENT\r\nUID:calsync-series\r\nDTSTAMP:20250101T000000Z\r\nRECURRENCE-ID:" +
                    moved_from.toIcalValue() + "\r\nDTSTART:" + moved_to.toIcalValue() + "\r\nDTEND:" +
                    epochToUtc(start + 8 * kDay + 3 * kHour).toIcalValue() +
                    "\r\nSUMMARY:Sync meeting (moved)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  auto ews = connector();
  WriteResult created = ews->apply(create(parse(ics)));
  auto stored = server_->item(created.native_id);
  ASSERT_TRUE(stored.has_value());
  ASSERT_TRUE(stored->spec.recurrence.has_value());
  EXPECT_EQ(stored->spec.recurrence->count, 6);
  EXPECT_EQ(stored->deleted_occurrences, std::vector<int>{3});
  ASSERT_EQ(stored->exceptions.count(2), 1u);
  EXPECT_EQ(*stored->exceptions.at(2).subject, "Sync meeting (moved)");
  EXPECT_EQ(*stored->exceptions.at(2).start, start + 8 * kDay + 2 * kHour);
  EXPECT_EQ(created.etag, stored->change_key);

  // Read back, it is the same series.
  auto back = ews->findByUid("calendar", "calsync-series");
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->components.size(), 2u);
  EXPECT_EQ(back->components[0].recurrence.rrule, "FREQ=WEEKLY;BYDAY=" +
                                                     std::string(std::array<const char*, 7>{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}
                                                                     [((start / kDay) % 7 + 4) % 7]) +
                                                     ";COUNT=6");
  ASSERT_EQ(back->components[0].recurrence.exdates.size(), 1u);
  EXPECT_EQ(*back->components[0].recurrence.exdates[0].utc, start + 14 * kDay);
  EXPECT_EQ(*back->components[1].recurrence_id->utc, start + 7 * kDay);

  // Un-cancelling the occurrence needs the pattern written again: the update does that.
  CalendarObject restored = parse(ics);
  restored.components[0].recurrence.exdates.clear();
  EventChange update;
  update.kind = EventChange::Kind::Update;
  update.calendar = "calendar";
  update.object = restored;
  update.object.native_id = created.native_id;
  update.if_match = created.etag;
  ews->apply(update);
  stored = server_->item(created.native_id);
  EXPECT_TRUE(stored->deleted_occurrences.empty());
  EXPECT_EQ(stored->exceptions.count(2), 1u);
}

TEST_F(EwsWriteTest, RulesExchangeCannotHoldAreBadDataAndNothingIsWritten) {
  auto ews = connector();
  CalendarObject hourly = parse(vevent("calsync-hourly", "Hourly", today() + kDay, "RRULE:FREQ=HOURLY;COUNT=3\r\n"));
  try {
    ews->apply(create(hourly));
    ADD_FAILURE();
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadData);
  }
  EXPECT_TRUE(server_->items(calendar_).empty());
}

}  // namespace
}  // namespace calsync::ews
