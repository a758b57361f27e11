#include "core/hash.h"

#include <gtest/gtest.h>

namespace calsync {
namespace {

TEST(Sha256, MatchesFipsVectors) {
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

Event sampleEvent() {
  Event e;
  e.uid = "abc@example.com";
  e.summary = "Planning";
  e.description = "Line one\r\nLine two";
  e.start = *DateTime::fromIcalValue("20260310T090000", "Europe/Berlin");
  e.end = *DateTime::fromIcalValue("20260310T100000", "Europe/Berlin");
  e.categories = {"Work", "Planning"};
  e.attendees.push_back({{"a@example.com", "A"}, AttendeeRole::Required, ParticipationStatus::Accepted, false});
  e.attendees.push_back({{"b@example.com", "B"}, AttendeeRole::Optional, ParticipationStatus::NeedsAction, true});
  return e;
}

TEST(ContentHash, IgnoresServerManagedFieldsAndOrdering) {
  Event a = sampleEvent();
  Event b = sampleEvent();
  b.description = "Line one\nLine two  \n";
  std::swap(b.attendees[0], b.attendees[1]);
  std::swap(b.categories[0], b.categories[1]);
  b.sequence = 7;
  b.last_modified = DateTime::fromIcalValue("20260101T000000Z");
  b.start.utc = 12345;  // derived, not content
  b.attendees[0].person.email = "B@EXAMPLE.COM";
  EXPECT_EQ(contentHash(a), contentHash(b));
}

TEST(ContentHash, ChangesWithEveryContentField) {
  const std::string base = contentHash(sampleEvent());
  auto changed = [&](auto mutate) {
    Event e = sampleEvent();
    mutate(e);
    return contentHash(e);
  };
  EXPECT_NE(base, changed([](Event& e) { e.summary = "Planning!"; }));
  EXPECT_NE(base, changed([](Event& e) { e.location = "Room 1"; }));
  EXPECT_NE(base, changed([](Event& e) { e.start.hour = 10; }));
  EXPECT_NE(base, changed([](Event& e) { e.start.tzid = "Europe/Paris"; }));
  EXPECT_NE(base, changed([](Event& e) { e.recurrence.rrule = "FREQ=DAILY"; }));
  EXPECT_NE(base, changed([](Event& e) { e.status = EventStatus::Cancelled; }));
  EXPECT_NE(base, changed([](Event& e) { e.privacy = PrivacyClass::Private; }));
  EXPECT_NE(base, changed([](Event& e) { e.attendees[1].status = ParticipationStatus::Declined; }));
  EXPECT_NE(base, changed([](Event& e) { e.reminders.push_back({-900, false, "DISPLAY", ""}); }));
  EXPECT_NE(base, changed([](Event& e) { e.extra_properties.push_back({"X-FOO", "", "1"}); }));
  // Field framing: moving text between fields is a change.
  EXPECT_NE(changed([](Event& e) { e.summary = "ab"; e.location = ""; }),
            changed([](Event& e) { e.summary = "a"; e.location = "b"; }));
}

TEST(ContentHash, ObjectHashIgnoresComponentOrder) {
  CalendarObject one;
  one.uid = "s";
  Event master = sampleEvent();
  master.recurrence.rrule = "FREQ=WEEKLY";
  Event moved = sampleEvent();
  moved.recurrence_id = DateTime::fromIcalValue("20260317T090000", "Europe/Berlin");
  moved.start.day = 18;
  one.components = {master, moved};
  CalendarObject two = one;
  std::swap(two.components[0], two.components[1]);
  two.native_id = "elsewhere";
  two.etag = "\"x\"";
  EXPECT_EQ(contentHash(one), contentHash(two));
  two.components[0].start.day = 19;
  EXPECT_NE(contentHash(one), contentHash(two));
}

}  // namespace
}  // namespace calsync
