// The container parser and the event key map against files written by the fixture encoder.
#include <gtest/gtest.h>

#include "olk15/event_record.h"
#include "olk15/format_error.h"
#include "olk15/nested_records.h"
#include "olk15/nested_records.h"
#include "olk15/property_collection.h"
#include "olk15/record_file.h"
#include "olk15_test_support.h"

namespace calsync::olk15 {
namespace {

using namespace test;

std::string errorOf(const std::string& bytes) {
  try {
    decodeEventFile(bytes);
  } catch (const FormatError& e) {
    return e.what();
  }
  return "";
}

TEST(Olk15Format, KeysEncodeTypeAndIndexAsOutlookWritesThem) {
  // The event subject's key is the byte pattern 02 00 00 1F (olk15-format.md §3.1).
  const PropertyKey subject = PropertyKey::of(0x1F, 0x02);
  EXPECT_EQ(subject.raw, (std::array<unsigned char, 4>{0x02, 0x00, 0x00, 0x1F}));
  // 0x52010003 is the folder id: index 0x0152.
  const PropertyKey folder = PropertyKey::of(0x03, 0x0152);
  EXPECT_EQ(folder.raw, (std::array<unsigned char, 4>{0x52, 0x01, 0x00, 0x03}));
  EXPECT_FALSE(folder.isFourCC());
  // Time-zone keys are byte-reversed FourCCs: "CFtz" is stored as "ztFC".
  const PropertyKey tz = PropertyKey::fourCC("CFtz");
  EXPECT_EQ(std::string(tz.raw.begin(), tz.raw.end()), "ztFC");
  EXPECT_TRUE(tz.isFourCC());
}

TEST(Olk15Format, ReadsEveryValueType) {
  const std::string bytes = fx::collection({fx::i16(0x80, -2), fx::i32(0x13, -123456), fx::keyed(0x03, 0x29, std::string("\x01\0\0\0\x02\0\0\0", 8)),
                                            fx::boolean(0x07, true), fx::i64(0x0130, 0xE00000001), fx::ansi(0x04, "uid@x"),
                                            fx::keyed(0x1D, 0x66, "a@b.example"), fx::utf16(0x02, "Grüße 🎉"),
                                            fx::cfTime(0x04, 700000000.5), fx::guid(0x00, std::string(16, '\x11')),
                                            fx::keyed(0x08, 0x03, "blob"), fx::nested(0x09, fx::collection({fx::i32(1, 7)}))});
  const PropertyCollection c = PropertyCollection::parse(bytes, true);
  EXPECT_EQ(c.entries().size(), 12u);
  EXPECT_EQ(intValue(*c.find(0x02, 0x80)), -2);
  EXPECT_EQ(intValue(*c.find(0x03, 0x13)), -123456);
  EXPECT_EQ(intValue(*c.find(0x03, 0x29)), 0x200000001);  // a 0x03 value with 8 bytes
  EXPECT_TRUE(boolValue(*c.find(0x0B, 0x07)));
  EXPECT_EQ(intValue(*c.find(0x14, 0x0130)), 0xE00000001);
  EXPECT_EQ(textValue(*c.find(0x1E, 0x04)), "uid@x");
  EXPECT_EQ(textValue(*c.find(0x1D, 0x66)), "a@b.example");
  EXPECT_EQ(textValue(*c.find(0x1F, 0x02)), "Grüße 🎉");
  EXPECT_DOUBLE_EQ(doubleValue(*c.find(0x4D, 0x04)), 700000000.5);
  EXPECT_EQ(c.find(0x48, 0x00)->value.size(), 16u);
  EXPECT_EQ(c.find(0x08, 0x03)->value, "blob");
  const PropertyCollection nested = PropertyCollection::parse(c.find(0x0D, 0x09)->value, false);
  EXPECT_EQ(intValue(*nested.find(0x03, 0x01)), 7);
  EXPECT_EQ(c.find(0x1F, 0x77), nullptr);
}

TEST(Olk15Format, TextDecodingNeverPassesInvalidUtf8) {
  // An unpaired surrogate and invalid UTF-8 bytes become U+FFFD; text ends at the NUL.
  EXPECT_EQ(utf16Value(std::string("a\0\x00\xD8" "b\0\0\0c\0", 10)), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(utf8Value(std::string("ok\xC3\x28\xF8!\0tail", 11)), "ok\xEF\xBF\xBD(\xEF\xBF\xBD!");
}

TEST(Olk15Format, CollectionsWithInconsistentSizesAreRefused) {
  std::string bytes = fx::collection({fx::i32(0x13, 1), fx::utf16(0x02, "x")});
  // Header size that does not match the count.
  std::string bad = bytes;
  bad[4] = 0x7F;
  EXPECT_THROW(PropertyCollection::parse(bad, true), FormatError);
  // A body shorter than the sizes add up to.
  EXPECT_THROW(PropertyCollection::parse(bytes.substr(0, bytes.size() - 1), false), FormatError);
  // A count so large its header would wrap a 32-bit computation.
  std::string huge = fx::le32(0x20000000) + fx::le32(0) + fx::le32(0);
  EXPECT_THROW(PropertyCollection::parse(huge, false), FormatError);
  // Exact mode: trailing bytes are an error; nested mode ignores them.
  EXPECT_THROW(PropertyCollection::parse(bytes + "xx", true), FormatError);
  EXPECT_NO_THROW(PropertyCollection::parse(bytes + "xx", false));
}

TEST(Olk15Format, DecodesAnEventFileFieldByField) {
  SampleStore store;
  const fx::EventSpec& spec = store.events.at("meeting");
  const OlkEvent e = decodeEventFile(fx::encodeEventFile(spec));
  EXPECT_EQ(e.record_id, 1001u);
  EXPECT_EQ(e.subject, spec.subject);
  EXPECT_EQ(e.location, spec.location);
  EXPECT_EQ(e.html_body, spec.html_body);
  EXPECT_EQ(e.uid, spec.uid);
  EXPECT_EQ(e.organizer_address, "boss@example.com");
  ASSERT_TRUE(e.organizer);
  EXPECT_EQ(e.organizer->email, "boss@example.com");
  EXPECT_EQ(e.organizer->name, "Pat Boss");
  ASSERT_EQ(e.attendees.size(), 3u);
  EXPECT_EQ(e.attendees[0].person.email, "jdoe@example.com");
  EXPECT_EQ(e.attendees[0].person.name, "Jane Doe");
  EXPECT_EQ(e.attendees[0].response, 1);
  EXPECT_EQ(e.attendees[1].recipient_type, 1);
  EXPECT_EQ(e.attendees[2].recipient_type, 2);
  EXPECT_FALSE(e.all_day);
  EXPECT_EQ(e.start_utc, spec.start_utc);
  EXPECT_EQ(e.end_utc, spec.end_utc);
  EXPECT_EQ(e.start_local, spec.start_local);
  EXPECT_EQ(*e.start_utc - *e.start_local, 4 * 60);  // New York in June: UTC-4
  ASSERT_TRUE(e.zone);
  EXPECT_EQ(e.zone->tzid, "America/New_York");
  EXPECT_EQ(e.zone->windows_id, 11);
  EXPECT_EQ(e.zone->name, "Eastern Standard Time");
  ASSERT_EQ(e.zone->standard.size(), 1u);
  EXPECT_EQ(e.zone->standard[0].offset_to, "-0500");
  EXPECT_EQ(e.zone->daylight[0].rrule, "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU");
  EXPECT_EQ(e.reminder_minutes, 15);
  EXPECT_EQ(e.has_reminder, true);
  EXPECT_EQ(e.busy_status, 2);
  EXPECT_EQ(e.sensitivity, 2);
  EXPECT_EQ(e.priority, 1);
  EXPECT_EQ(e.folder_id, 101);
  EXPECT_EQ(e.account_uid, 0xE00000001);
  EXPECT_EQ(e.online_meeting_url, "https://meet.example.com/j/123");
  EXPECT_FALSE(e.recurrence);
}

TEST(Olk15Format, DecodesTheRecurrenceRecordAndExceptionLinks) {
  SampleStore store;
  const OlkEvent master = decodeEventFile(fx::encodeEventFile(store.events.at("series")));
  EXPECT_TRUE(master.is_recurring);
  ASSERT_TRUE(master.recurrence);
  EXPECT_EQ(master.recurrence->pattern, 1);
  EXPECT_EQ(master.recurrence->end_type, 8226);
  EXPECT_EQ(master.recurrence->count, 10);
  EXPECT_EQ(master.recurrence->exception_dates, store.events.at("series").recurrence->exception_dates);
  const OlkEvent moved = decodeEventFile(fx::encodeEventFile(store.events.at("moved")));
  EXPECT_EQ(moved.master_record_id, 1003);
  EXPECT_EQ(moved.recurrence_id, store.events.at("moved").recurrence_id);
}

TEST(Olk15Format, RefusesDamagedFilesSayingWhy) {
  SampleStore store;
  const std::string good = fx::encodeEventFile(store.events.at("meeting"));
  EXPECT_EQ(errorOf(good), "");
  EXPECT_NE(errorOf(good.substr(0, 30)).find("shorter than an entity header"), std::string::npos);
  EXPECT_NE(errorOf(good.substr(0, good.size() - 10)).find("size mismatch"), std::string::npos);
  EXPECT_NE(errorOf(good + "extra").find("size mismatch"), std::string::npos);
  std::string magic = good;
  magic[1] = 0x0C;
  EXPECT_NE(errorOf(magic).find("wrong magic"), std::string::npos);
  std::string kind = good;
  kind[8] = 2;
  EXPECT_NE(errorOf(kind).find("kind 2"), std::string::npos);
  std::string klass = good;
  klass[0x10] = 3;
  EXPECT_NE(errorOf(klass).find("record class 3"), std::string::npos);
  std::string tag = good;
  tag.replace(0x20, 4, "CRLM");
  EXPECT_NE(errorOf(tag).find("record tag 'CRLM'"), std::string::npos);
  // Nested records whose sizes run past their value, or a negative list count.
  EXPECT_THROW(decodeAttendees(fx::le32(2) + std::string("\x10\x00\x10\x00", 4) + "short"), FormatError);
  EXPECT_THROW(decodeAttendees(fx::le32(0xFFFFFFFF)), FormatError);
  EXPECT_THROW(decodeUserRecord(std::string(28, '\0') + fx::le32(1000) + "a@b"), FormatError);
}

TEST(Olk15Format, ValidatesNothingItShouldNot) {
  // Bytes 0x04-0x07 and 0x24-0x27 differ between real files and are deliberately not checked.
  SampleStore store;
  std::string bytes = fx::encodeEventFile(store.events.at("allday"));
  bytes[4] = 0x01;
  bytes[5] = 0x01;
  bytes[0x24] = 0x7F;
  EXPECT_EQ(errorOf(bytes), "");
}

}  // namespace
}  // namespace calsync::olk15
