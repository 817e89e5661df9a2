#include "vigil/notify/phone.h"

#include <gtest/gtest.h>

namespace vigil::notify {
namespace {

TEST(NormalizePhone, OneNumberWrittenManyWaysIsOneE164Number) {
  for (const char* typed :
       {"(202) 555-0143", "202.555.0143", "+1 202 555 0143", "1-202-555-0143", " +12025550143 "}) {
    auto n = NormalizePhone(typed, "US", PhoneUse::kSms);
    ASSERT_TRUE(n) << typed << ": " << n.error().message();
    EXPECT_EQ(*n, "+12025550143") << typed;
  }
  // A Mexican mobile, typed with its country code.
  auto mx = NormalizePhone("+52 1 55 1234 5678", "US", PhoneUse::kSms);
  ASSERT_TRUE(mx) << mx.error().message();
  EXPECT_EQ(*mx, "+525512345678");
  // Without "+", the default region decides.
  auto gt = NormalizePhone("5123 4567", "GT", PhoneUse::kSms);
  ASSERT_TRUE(gt) << gt.error().message();
  EXPECT_EQ(*gt, "+50251234567");
}

TEST(NormalizePhone, RefusesWhatCannotReceiveANoticeSayingWhy) {
  struct Case {
    const char* typed;
    PhoneUse use;
    const char* message;
  };
  for (const Case& c : {
           Case{"", PhoneUse::kSms, "give a phone number"},
           Case{"call me", PhoneUse::kSms, "only digits"},
           Case{"1-800-FLOWERS", PhoneUse::kSms, "only digits"},
           Case{"12", PhoneUse::kSms, "not"},
           Case{"+1 202 555 01430000", PhoneUse::kSms, "not"},
           Case{"+1 999 555 0143", PhoneUse::kSms, "not a valid phone number"},
           // Toll-free and premium numbers cannot take texts.
           Case{"+1 800 555 0143", PhoneUse::kSms, "cannot receive text messages"},
           Case{"+1 900 555 0143", PhoneUse::kVoice, "cannot receive notices"},
           // A London landline cannot take texts; a call is fine.
           Case{"+44 20 7946 0958", PhoneUse::kSms, "cannot receive text messages"},
       }) {
    auto n = NormalizePhone(c.typed, "US", c.use);
    ASSERT_FALSE(n) << c.typed << " -> " << *n;
    EXPECT_NE(n.error().message().find(c.message), std::string::npos)
        << c.typed << ": " << n.error().message();
    EXPECT_EQ(n.error().message().rfind("contact: ", 0), 0u);
  }
  auto landline_call = NormalizePhone("+44 20 7946 0958", "US", PhoneUse::kVoice);
  ASSERT_TRUE(landline_call) << landline_call.error().message();
  EXPECT_EQ(*landline_call, "+442079460958");
}

}  // namespace
}  // namespace vigil::notify
