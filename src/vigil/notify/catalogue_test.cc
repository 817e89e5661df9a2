#include "vigil/i18n/catalogue.h"

#include <gtest/gtest.h>

#include "vigil/core/vocabulary.h"
#include "vigil/notify/sms_text.h"

namespace vigil::notify {
namespace {

using i18n::BuiltInCatalogue;
using i18n::Catalogue;
using i18n::FillTemplate;
using i18n::Placeholders;

const char* const kEvents[] = {"booked",     "transferred",      "released", "removed",
                               "escaped",    "returned",         "deceased", "updated",
                               "correction", "scheduled_release"};

// Every template a notice can need exists in every language: event type ×
// channel × language, and the words they are made of.
TEST(Catalogue, EveryEventChannelAndLanguageHasItsTemplate) {
  for (const std::string& language : i18n::BuiltInLanguages()) {
    const Catalogue& words = BuiltInCatalogue(language);
    for (const char* event : kEvents) {
      for (const char* channel : {"email", "sms", "voice"}) {
        std::string key = std::string(channel) + "." + event;
        EXPECT_NE(words.Find(key), nullptr) << language << " " << key;
      }
      EXPECT_NE(words.Find(std::string("headline.") + event), nullptr) << language << " " << event;
    }
    for (auto s : {CustodyStatus::kInCustody, CustodyStatus::kReleased, CustodyStatus::kRemoved,
                   CustodyStatus::kEscaped, CustodyStatus::kDeceased}) {
      EXPECT_NE(words.Find("status." + std::string(Name(s))), nullptr) << language;
    }
    for (auto b : {CustodyBasis::kCivilImmigration, CustodyBasis::kCriminalCharge,
                   CustodyBasis::kCriminalConviction}) {
      EXPECT_NE(words.Find("basis." + std::string(Name(b))), nullptr) << language;
      EXPECT_NE(words.Find("sms_basis." + std::string(Name(b))), nullptr) << language;
    }
  }
}

// A notice names only what the gate's projection gives. (That every
// language has the same keys with the same placeholders is
// i18n/catalogue_test.cc's.)
TEST(Catalogue, NoticesUseOnlyKnownPlaceholders) {
  const Catalogue& en = BuiltInCatalogue("en");
  const std::set<std::string> known = {"name", "status", "basis", "headline", "updated", "facility",
                                       "facility_phone", "unsubscribe_url", "verify_url", "code",
                                       "spoken_code", "scheduled_release", "status_url",
                                       // protect.outcome_*: the A-number or ref as the
                                       // requester wrote it (notify/protection_outcomes.h)
                                       "identifier"};
  for (const std::string& key : en.Keys()) {
    // The web pages' and the hotline's words are api/'s (hotline_routes_test
    // checks the hotline's placeholders); language.* names the catalogue.
    if (key.rfind("page", 0) == 0 || key.rfind("month.", 0) == 0 ||
        key.rfind("hotline.", 0) == 0 || key.rfind("language.", 0) == 0) {
      continue;
    }
    for (const std::string& p : Placeholders(en.Get(key))) {
      EXPECT_TRUE(known.count(p)) << key << " uses {" << p << "}";
    }
    // Every notice says how to get help; every email and text how to stop.
    for (const std::string& language : i18n::BuiltInLanguages()) {
      const std::string& text = BuiltInCatalogue(language).Get(key);
      bool notice =
          key.rfind("email.", 0) == 0 || key.rfind("sms.", 0) == 0 || key.rfind("voice.", 0) == 0;
      if (!notice || key == "email.subject" || key.find('_') != std::string::npos ||
          key == "voice.menu" || key == "voice.stopped" || key == "voice.goodbye") {
        continue;
      }
      EXPECT_TRUE(text.find("911") != std::string::npos ||
                  text.find("9 1 1") != std::string::npos || text.find("799") != std::string::npos)
          << key << " has no safety line";
      if (key.rfind("voice.", 0) != 0) {
        EXPECT_TRUE(text.find("STOP") != std::string::npos ||
                    text.find("{unsubscribe_url}") != std::string::npos)
            << key << " does not say how to stop";
      }
    }
  }
}

// A text for a long name with accents outside GSM-7 (so UCS-2, 67 units a
// part) and a long facility stays within three parts; a typical one within
// two in English.
TEST(Catalogue, TextsStayShort) {
  std::map<std::string, std::string> v = {
      {"name", "María del Carmen Hernández Ávila"},
      {"facility", "Otero County Processing Center, Chaparral, NM"},
  };
  for (const std::string& language : i18n::BuiltInLanguages()) {
    const Catalogue& words = BuiltInCatalogue(language);
    v["status"] = words.Get("status.in_custody");
    v["basis"] = words.Get("sms_basis.civil_immigration");
    for (const char* event : kEvents) {
      std::string text = FillTemplate(words.Get(std::string("sms.") + event), v);
      EXPECT_LE(CountSmsSegments(text).parts, 3) << language << " " << event << ": " << text;
    }
    v["name"] = "Rosa Quintanilla";
    v["facility"] = "Adelanto ICE Processing Center, Adelanto, CA";
    std::string typical = FillTemplate(words.Get("sms.transferred"), v);
    // English fits GSM-7: two parts. Spanish needs UCS-2 ("está"): three.
    EXPECT_LE(CountSmsSegments(typical).parts, language == "en" ? 2 : 3) << typical;
  }
}

}  // namespace
}  // namespace vigil::notify
