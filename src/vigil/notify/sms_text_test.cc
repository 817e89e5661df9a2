#include "vigil/notify/sms_text.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil::notify {
namespace {

TEST(SmsSegments, Gsm7FitsOneHundredSixtySeptetsThenOneHundredFiftyThreePerPart) {
  EXPECT_EQ(CountSmsSegments("").parts, 0);
  auto one = CountSmsSegments(std::string(160, 'a'));
  EXPECT_EQ(one.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(one.units, 160);
  EXPECT_EQ(one.parts, 1);
  EXPECT_EQ(CountSmsSegments(std::string(161, 'a')).parts, 2);
  EXPECT_EQ(CountSmsSegments(std::string(306, 'a')).parts, 2);
  EXPECT_EQ(CountSmsSegments(std::string(307, 'a')).parts, 3);
}

TEST(SmsSegments, GsmAccentsAreOneSeptetAndExtensionCharactersTwo) {
  // é, ñ, ü, ¿, ¡ and Ñ are in the GSM default alphabet.
  auto s = CountSmsSegments("¿Está? ¡Sí! no: ¿Qué? señor Núñez, Müller, é");
  EXPECT_EQ(s.encoding, SmsEncoding::kUcs2);  // á, í, ú are not GSM
  auto g = CountSmsSegments("¡señor Müller! ¿Ñandú?");
  EXPECT_EQ(g.encoding, SmsEncoding::kUcs2);  // ú is not GSM either
  auto gsm = CountSmsSegments("¡señor Müller! ¿Ñoño? é ü");
  EXPECT_EQ(gsm.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(gsm.units, 25);
  auto euro = CountSmsSegments("5€ [x]");
  EXPECT_EQ(euro.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(euro.units, 9);  // €, [ and ] take two septets each
  // 159 letters and a euro sign: 161 septets, two parts; an escape pair is
  // not split across the boundary.
  EXPECT_EQ(CountSmsSegments(std::string(159, 'a') + "€").parts, 2);
  EXPECT_EQ(CountSmsSegments(std::string(152, 'a') + "€" + std::string(10, 'b')).parts, 2);
}

TEST(SmsSegments, AnythingElseIsUcs2SeventyThenSixtySevenPerPart) {
  auto ru = CountSmsSegments("Щербакова");
  EXPECT_EQ(ru.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(ru.units, 9);
  EXPECT_EQ(ru.parts, 1);
  std::string seventy;
  for (int i = 0; i < 70; ++i) seventy += "á";
  EXPECT_EQ(CountSmsSegments(seventy).parts, 1);
  EXPECT_EQ(CountSmsSegments(seventy + "á").parts, 2);
  std::string s134;
  for (int i = 0; i < 134; ++i) s134 += "á";
  EXPECT_EQ(CountSmsSegments(s134).parts, 2);
  EXPECT_EQ(CountSmsSegments(s134 + "á").parts, 3);
  // An emoji is a surrogate pair: two units.
  auto emoji = CountSmsSegments("ok 😀");
  EXPECT_EQ(emoji.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(emoji.units, 5);
}

}  // namespace
}  // namespace vigil::notify
