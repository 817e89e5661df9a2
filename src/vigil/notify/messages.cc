#include "vigil/notify/messages.h"

#include <cctype>
#include <map>

#include "vigil/core/time_format.h"
#include "vigil/i18n/catalogue.h"
#include "vigil/i18n/local_time.h"

namespace vigil::notify {
namespace {

using i18n::BuiltInCatalogue;
using i18n::Catalogue;
using i18n::FillTemplate;

const Catalogue& Words(const std::string& language) { return BuiltInCatalogue(language); }

// The event types that have their own templates; anything else reads as
// "updated".
std::string EventKey(const std::string& kind) {
  for (const char* k : {"booked", "transferred", "released", "removed", "escaped", "returned",
                        "deceased", "updated", "correction", "scheduled_release"}) {
    if (kind == k) return k;
  }
  return "updated";
}

// The values of a notice's placeholders: from the gate's projection only.
// `basis` names the catalogue's words for the custody basis ("basis", or
// the shorter "sms_basis").
std::map<std::string, std::string> NoticeValues(const std::string& language,
                                                const std::string& kind,
                                                const policy::DisclosedSubject& s,
                                                const std::string& basis = "basis") {
  const Catalogue& words = Words(language);
  std::map<std::string, std::string> v;
  v["name"] = s.name();
  v["status"] = words.Get("status." + std::string(Name(s.custody_status())));
  v["basis"] = words.Get(basis + "." + std::string(Name(s.custody_basis())));
  v["headline"] = words.Get("headline." + EventKey(kind));
  // Times in the facility's zone, which is where the reader's question is
  // ("is he still there tonight?"); without a facility, in UTC, said so.
  std::string zone = s.facility() ? s.facility()->time_zone() : "";
  v["updated"] = i18n::FormatLocalDateTime(language, s.updated_at(), zone);
  if (s.facility()) {
    const auto& f = *s.facility();
    v["facility"] = f.name() + ", " + f.city() + ", " + f.state();
    v["facility_phone"] = f.phone();
  }
  if (s.scheduled_release()) {
    // Only a verified registrant's projection carries one (policy/). A
    // date-only release (stored as 00:00 UTC, docs/feed-format.md) is a day.
    Timestamp release = *s.scheduled_release();
    v["scheduled_release"] = release == std::chrono::floor<std::chrono::days>(release)
                                 ? i18n::FormatLocalDate(language, UtcDay(release))
                                 : i18n::FormatLocalDateTime(language, release, zone);
  }
  return v;
}

// "123456" -> "1, 2, 3, 4, 5, 6": read digit by digit.
std::string Spoken(const std::string& code) {
  std::string out;
  for (char c : code) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out;
}

}  // namespace

RenderedMessage RenderVerification(const std::string& language, const std::string& verify_url) {
  const Catalogue& words = Words(language);
  std::map<std::string, std::string> v = {{"verify_url", verify_url}};
  return {FillTemplate(words.Get("verify.email.subject"), v),
          FillTemplate(words.Get("verify.email.body"), v)};
}

RenderedMessage RenderCustodyNotice(const std::string& language, const std::string& kind,
                                    const policy::DisclosedSubject& s,
                                    const std::string& unsubscribe_url,
                                    const std::string& status_url) {
  const Catalogue& words = Words(language);
  auto v = NoticeValues(language, kind, s);
  v["unsubscribe_url"] = unsubscribe_url;
  std::string body = FillTemplate(words.Get("email." + EventKey(kind)), v);
  if (!status_url.empty()) {
    body += FillTemplate(words.Get("email.status_line"), {{"status_url", status_url}});
  }
  return {FillTemplate(words.Get("email.subject"), v), std::move(body)};
}

std::string RenderSmsVerification(const std::string& language, const std::string& code,
                                  const std::string& verify_url) {
  return FillTemplate(Words(language).Get("verify.sms"),
                      {{"code", code}, {"verify_url", verify_url}});
}

std::string RenderSmsNotice(const std::string& language, const std::string& kind,
                            const policy::DisclosedSubject& s) {
  const Catalogue& words = Words(language);
  return FillTemplate(words.Get("sms." + EventKey(kind)),
                      NoticeValues(language, kind, s, "sms_basis"));
}

SmsKeyword ParseSmsKeyword(std::string_view text) {
  size_t start = 0;
  while (start < text.size() && (text[start] == ' ' || text[start] == '\n' || text[start] == '\r' ||
                                 text[start] == '\t')) {
    ++start;
  }
  std::string word;
  for (size_t i = start; i < text.size() && word.size() < 16; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (!std::isalpha(c)) break;
    word += static_cast<char>(std::toupper(c));
  }
  for (const char* w :
       {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "PARAR", "BAJA"}) {
    if (word == w) return SmsKeyword::kStop;
  }
  for (const char* w : {"START", "UNSTOP", "ALTA"}) {
    if (word == w) return SmsKeyword::kStart;
  }
  return SmsKeyword::kHelp;
}

std::string SmsKeywordReply(SmsKeyword keyword, const std::string& language, int64_t changed) {
  const Catalogue& words = Words(language);
  switch (keyword) {
    case SmsKeyword::kStop:
      return words.Get("keyword.stop");
    case SmsKeyword::kStart:
      return words.Get(changed == 0 ? "keyword.start_none" : "keyword.start");
    case SmsKeyword::kHelp:
      break;
  }
  return words.Get("keyword.help");
}

std::string RenderVoiceVerification(const std::string& language, const std::string& code) {
  return FillTemplate(Words(language).Get("verify.voice"), {{"spoken_code", Spoken(code)}});
}

std::string RenderVoiceNotice(const std::string& language, const std::string& kind,
                              const policy::DisclosedSubject& s) {
  const Catalogue& words = Words(language);
  return FillTemplate(words.Get("voice." + EventKey(kind)), NoticeValues(language, kind, s));
}

std::string VoiceText(const std::string& language, VoicePrompt prompt) {
  const Catalogue& words = Words(language);
  switch (prompt) {
    case VoicePrompt::kAskPin:
      return words.Get("voice.ask_pin");
    case VoicePrompt::kWrongPin:
      return words.Get("voice.wrong_pin");
    case VoicePrompt::kNoPin:
      return words.Get("voice.no_pin");
    case VoicePrompt::kNothingNow:
      return words.Get("voice.nothing_now");
    case VoicePrompt::kMenu:
      return words.Get("voice.menu");
    case VoicePrompt::kStopped:
      return words.Get("voice.stopped");
    case VoicePrompt::kGoodbye:
      break;
  }
  return words.Get("voice.goodbye");
}

std::string VoiceLanguage(const std::string& language) {
  return i18n::BuiltInCatalogue(language).Get("language.voice");
}

}  // namespace vigil::notify
