#include "vigil/api/hotline_routes.h"

#include <unicode/calendar.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <variant>

#include "vigil/api/twiml.h"
#include "vigil/api/web_page_kit.h"
#include "vigil/core/identifiers.h"
#include "vigil/core/markup.h"
#include "vigil/http/form.h"
#include "vigil/i18n/catalogue.h"
#include "vigil/notify/phone.h"
#include "vigil/notify/twilio_channel.h"

namespace vigil::api {

// --- Hours -------------------------------------------------------------------

namespace {

constexpr const char* kDayNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::optional<int> DayOf(std::string_view text) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (int i = 0; i < 7; ++i) {
    if (lower == kDayNames[i]) return i;
  }
  return std::nullopt;
}

std::optional<int> MinuteOf(std::string_view hhmm) {
  if (hhmm.size() != 5 || hhmm[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4}) {
    if (hhmm[i] < '0' || hhmm[i] > '9') return std::nullopt;
  }
  int h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
  int m = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

}  // namespace

Result<HotlineHours> HotlineHours::Parse(std::string_view text, std::string_view time_zone) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("hours: \"" + std::string(text.substr(0, 40)) + "\": " + why +
                           " (expected e.g. \"Mon-Fri 09:00-17:00\")");
  };
  const size_t space = text.find(' ');
  if (space == std::string_view::npos) return bad("days and times are separated by a space");
  std::string_view days = text.substr(0, space), times = text.substr(space + 1);
  HotlineHours h;
  while (!days.empty()) {
    const size_t comma = days.find(',');
    std::string_view part = days.substr(0, comma);
    days = comma == std::string_view::npos ? std::string_view() : days.substr(comma + 1);
    const size_t dash = part.find('-');
    auto first = DayOf(part.substr(0, dash));
    auto last = dash == std::string_view::npos ? first : DayOf(part.substr(dash + 1));
    if (!first || !last) return bad("unknown day in \"" + std::string(part) + "\"");
    if (*last < *first) return bad("a day range runs Monday to Sunday");
    for (int d = *first; d <= *last; ++d) h.days |= 1u << d;
  }
  const size_t dash = times.find('-');
  auto from = MinuteOf(times.substr(0, dash));
  auto to = dash == std::string_view::npos ? std::nullopt : MinuteOf(times.substr(dash + 1));
  if (!from || !to) return bad("times are HH:MM-HH:MM");
  if (*to <= *from) return bad("the end comes after the start");
  h.from_minute = *from;
  h.to_minute = *to;
  std::unique_ptr<icu::TimeZone> zone(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(std::string(time_zone))));
  if (!zone || *zone == icu::TimeZone::getUnknown()) {
    return InvalidArgument("time_zone: \"" + std::string(time_zone.substr(0, 40)) +
                           "\" is not an IANA time zone (e.g. America/New_York)");
  }
  h.time_zone = std::string(time_zone);
  return h;
}

bool HotlineHours::Open(Timestamp at) const {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Calendar> cal(icu::Calendar::createInstance(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(time_zone)), status));
  if (U_FAILURE(status)) return false;
  cal->setTime(static_cast<UDate>(ToUnixMicros(at) / 1000), status);
  const int weekday = cal->get(UCAL_DAY_OF_WEEK, status);  // 1 Sunday ... 7 Saturday
  const int minute = cal->get(UCAL_HOUR_OF_DAY, status) * 60 + cal->get(UCAL_MINUTE, status);
  if (U_FAILURE(status)) return false;
  const int day = (weekday + 5) % 7;  // 0 Monday ... 6 Sunday
  return (days & (1u << day)) != 0 && minute >= from_minute && minute < to_minute;
}

// --- The call ------------------------------------------------------------------

namespace {

namespace bhttp = boost::beast::http;

constexpr char kBase[] = "/api/v1/voice/hotline";

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// Digits spoken one by one, in groups of three ("0 1 2, 3 4 5").
std::string Spaced(std::string_view digits) {
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0) out += (i % 3 == 0) ? ", " : " ";
    out += digits[i];
  }
  return out;
}

// A phone number as written ("(760) 561-6100"), digit by digit, with a
// pause where it had a separator.
std::string SpokenPhone(std::string_view phone) {
  std::string out;
  bool pause = false;
  for (char c : phone) {
    if (c >= '0' && c <= '9') {
      if (!out.empty()) out += pause ? ", " : " ";
      out += c;
      pause = false;
    } else {
      pause = true;
    }
  }
  return out;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string Get(const std::map<std::string, std::string>& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? "" : it->second;
}

// One turn of a call: who is calling, what they pressed, and the state the
// previous turn put in the URL.
struct Turn {
  const HotlineDependencies* deps = nullptr;
  const http::Request* req = nullptr;
  http::RequestContext* ctx = nullptr;
  std::map<std::string, std::string> form, query;
  std::string language;  // a built-in catalogue's
  int tries = 1;

  const i18n::Catalogue& words() const { return i18n::BuiltInCatalogue(language); }
  std::string Text(std::string_view key,
                   const std::map<std::string, std::string>& values = {}) const {
    return i18n::FillTemplate(words().Get(std::string("hotline.") + std::string(key)), values);
  }
  bool pressed() const { return form.count("Digits") > 0; }
  std::string digits() const { return Get(form, "Digits"); }
  std::string q(const char* key) const { return Get(query, key); }

  // The URL of `step` with this call's language and `extra` state.
  std::string Url(std::string_view step, const std::map<std::string, std::string>& extra = {},
                  int try_number = 1) const {
    std::string url = deps->public_url + kBase + "/" + std::string(step) + "?l=" + language;
    for (const auto& [k, v] : extra) url += "&" + k + "=" + web::UrlEncode(v);
    if (try_number > 1) url += "&t=" + std::to_string(try_number);
    return url;
  }
};

std::string SayIn(const std::string& language, const std::string& text) {
  const i18n::Catalogue& words = i18n::BuiltInCatalogue(language);
  return "<Say language=\"" + HtmlEscape(words.Get("language.voice")) + "\" voice=\"" +
         HtmlEscape(words.Get("language.speaker")) + "\">" + HtmlEscape(text) + "</Say>";
}

std::string Say(const Turn& t, const std::string& text) { return SayIn(t.language, text); }

http::Response Twiml(const Turn& t, const std::string& verbs) {
  return TwimlResponse(*t.req, verbs);
}

// How a <Gather> ends: after `digits` keys, or on `#`.
struct Keys {
  int digits = 0;  // 0: until '#'
};

// A prompt that waits for keys and posts them to `step` (with `state`);
// without an answer it asks again, up to max_tries, then says goodbye.
std::string Ask(const Turn& t, std::string_view step,
                const std::map<std::string, std::string>& state, const std::string& prompt,
                Keys keys, const std::string& before = "") {
  std::string gather = "<Gather input=\"dtmf\" timeout=\"8\"";
  if (keys.digits > 0) {
    gather += " numDigits=\"" + std::to_string(keys.digits) + "\"";
  } else {
    gather += " finishOnKey=\"#\"";
  }
  // The answer carries this try's number, so wrong answers count too.
  gather += " action=\"" + HtmlEscape(t.Url(step, state, t.tries)) + "\" method=\"POST\">" +
            Say(t, prompt) + "</Gather>";
  std::string after;
  if (t.tries < t.deps->options.max_tries) {
    after =
        "<Redirect method=\"POST\">" + HtmlEscape(t.Url(step, state, t.tries + 1)) + "</Redirect>";
  } else {
    after = Say(t, t.Text("give_up")) + "<Hangup/>";
  }
  return before + gather + after;
}

// The answer could not be used: the same step's prompt again, prefixed with
// "sorry", counted against max_tries.
http::Response Retry(Turn t, std::string_view step, const std::map<std::string, std::string>& state,
                     const std::string& prompt, Keys keys, const std::string& sorry = "") {
  if (t.tries >= t.deps->options.max_tries) {
    return Twiml(t, Say(t, sorry.empty() ? t.Text("not_understood") : sorry) +
                        Say(t, t.Text("give_up")) + "<Hangup/>");
  }
  ++t.tries;
  return Twiml(t, Ask(t, step, state, prompt, keys,
                      Say(t, sorry.empty() ? t.Text("not_understood") : sorry)));
}

http::Response Goodbye(const Turn& t, const std::string& text) {
  return Twiml(t, Say(t, text) + "<Hangup/>");
}

// --- Steps ---------------------------------------------------------------------

http::Response Menu(Turn t);
http::Response ANumberPrompt(Turn t);

std::string LanguageMenuText(const std::vector<std::string>& languages) {
  std::string says;
  for (size_t i = 0; i < languages.size() && i < 9; ++i) {
    const i18n::Catalogue& words = i18n::BuiltInCatalogue(languages[i]);
    says += SayIn(languages[i], i18n::FillTemplate(words.Get("hotline.choose_language"),
                                                   {{"digit", std::to_string(i + 1)}}));
  }
  return says;
}

http::Response Language(Turn t) {
  const auto& languages = i18n::BuiltInLanguages();
  if (t.pressed()) {
    const std::string d = t.digits();
    if (d.size() == 1 && d[0] >= '1' && static_cast<size_t>(d[0] - '1') < languages.size()) {
      t.language = languages[static_cast<size_t>(d[0] - '1')];
      t.tries = 1;
      t.form.erase("Digits");
      return Menu(t);
    }
  }
  // Spoken in every language, each in its own voice.
  std::string gather = "<Gather input=\"dtmf\" timeout=\"8\" numDigits=\"1\" action=\"" +
                       HtmlEscape(t.Url("language")) + "\" method=\"POST\">" +
                       LanguageMenuText(languages) + "</Gather>";
  if (t.tries < t.deps->options.max_tries) {
    gather += "<Redirect method=\"POST\">" + HtmlEscape(t.Url("language", {}, t.tries + 1)) +
              "</Redirect>";
  } else {
    gather += Say(t, t.Text("give_up")) + "<Hangup/>";
  }
  return Twiml(t, gather);
}

http::Response Menu(Turn t) {
  const std::string prompt = t.Text("menu");
  if (!t.pressed()) {
    std::string welcome = t.q("w") == "1" ? Say(t, t.Text("welcome")) : "";
    return Twiml(t, Ask(t, "menu", {}, prompt, {1}, welcome));
  }
  const std::string d = t.digits();
  Turn next = t;
  next.form.erase("Digits");
  next.tries = 1;
  if (d == "1") return ANumberPrompt(next);
  if (d == "2") {
    next.query.clear();
    return Twiml(next,
                 "<Redirect method=\"POST\">" + HtmlEscape(next.Url("calls")) + "</Redirect>");
  }
  if (d == "0") {
    return Twiml(next,
                 "<Redirect method=\"POST\">" + HtmlEscape(next.Url("specialist")) + "</Redirect>");
  }
  if (d == "*") return Twiml(next, Ask(next, "menu", {}, prompt, {1}));
  return Retry(t, "menu", {}, prompt, {1});
}

http::Response ANumberPrompt(Turn t) {
  return Twiml(t, Ask(t, "anumber", {}, t.Text("enter_anumber"), {0}));
}

http::Response ANumberStep(Turn t) {
  if (!t.pressed()) return ANumberPrompt(t);
  std::string d = t.digits();
  if (!d.empty() && d.back() == '*') {  // "*" goes back, whatever came before
    t.form.erase("Digits");
    t.tries = 1;
    return Menu(t);
  }
  auto a = ANumber::Parse(d);
  if (!AllDigits(d) || !a) return Retry(t, "anumber", {}, t.Text("enter_anumber"), {0});
  Turn next = t;
  next.tries = 1;
  return Twiml(next, Ask(next, "confirm", {{"a", a->digits()}},
                         next.Text("readback", {{"digits", Spaced(a->digits())}}), {1}));
}

http::Response Confirm(Turn t) {
  auto a = ANumber::Parse(t.q("a"));
  if (!a) return ANumberPrompt(t);
  const std::map<std::string, std::string> state{{"a", a->digits()}};
  const std::string prompt = t.Text("readback", {{"digits", Spaced(a->digits())}});
  if (!t.pressed()) return Twiml(t, Ask(t, "confirm", state, prompt, {1}));
  Turn next = t;
  next.tries = 1;
  if (t.digits() == "1")
    return Twiml(next, Ask(next, "country", state, next.Text("enter_country"), {0}));
  if (t.digits() == "2") return ANumberPrompt(next);
  return Retry(t, "confirm", state, prompt, {1});
}

// What the public may hear of the person with this A-number, born in a
// country that dials `calling_code`: one lookup per such country, whoever
// exists, so the work does not depend on the answer.
Result<std::optional<policy::DisclosedSubject>> LookUp(const Turn& t, const ANumber& a,
                                                       const std::vector<std::string>& countries) {
  std::optional<policy::DisclosedSubject> found;
  SearchDependencies search = t.deps->search;
  search.limiter = nullptr;
  for (const std::string& country : countries) {
    auto results =
        RunPublicSearch(search, {{"a_number", a.digits()}, {"country_of_birth", country}});
    if (!results) return tl::unexpected(results.error());
    if (!found && !results->empty()) found = results->front();
  }
  return found;
}

std::string Describe(const Turn& t, const policy::DisclosedSubject& s) {
  const i18n::Catalogue& words = t.words();
  std::map<std::string, std::string> v{
      {"name", s.name()},
      {"birth_year", s.birth_year() ? std::to_string(*s.birth_year()) : ""},
      {"status", words.Get("page_status." + std::string(Name(s.custody_status())))},
      {"basis", words.Get("page_basis." + std::string(Name(s.custody_basis())))}};
  if (s.facility()) {
    v["facility"] = s.facility()->name();
    v["city"] = s.facility()->city();
    v["state"] = s.facility()->state();
    v["phone"] = SpokenPhone(notify::PhoneAsDialled(s.facility()->phone(), "US"));
  }
  return t.Text("found", v);
}

http::Response Country(Turn t) {
  auto a = ANumber::Parse(t.q("a"));
  if (!a) return ANumberPrompt(t);
  const std::map<std::string, std::string> state{{"a", a->digits()}};
  if (!t.pressed()) return Twiml(t, Ask(t, "country", state, t.Text("enter_country"), {0}));
  std::string code = t.digits();
  if (!code.empty() && code.back() == '*') return ANumberPrompt(t);
  std::vector<std::string> countries = notify::RegionsOfCallingCode(code);
  if (countries.empty()) {
    return Retry(t, "country", state, t.Text("enter_country"), {0}, t.Text("unknown_country"));
  }
  Turn next = t;
  next.form.erase("Digits");
  next.tries = 1;
  return Twiml(next, "<Redirect method=\"POST\">" +
                         HtmlEscape(next.Url("person", {{"a", a->digits()}, {"c", code}})) +
                         "</Redirect>");
}

http::Response Person(Turn t) {
  auto a = ANumber::Parse(t.q("a"));
  const std::string code = t.q("c");
  std::vector<std::string> countries = notify::RegionsOfCallingCode(code);
  if (!a || countries.empty()) return ANumberPrompt(t);
  const std::map<std::string, std::string> state{{"a", a->digits()}, {"c", code}};
  Turn next = t;
  next.form.erase("Digits");
  next.tries = 1;
  if (t.pressed()) {
    const std::string d = t.digits();
    if (d == "2") return ANumberPrompt(next);
    if (d == "#") return Menu(next);
    if (d == "1") {
      return Twiml(next, "<Redirect method=\"POST\">" + HtmlEscape(next.Url("register", state)) +
                             "</Redirect>");
    }
    if (d != "*") return Retry(t, "person", state, t.Text("found_menu"), {1});
  } else if (t.tries > 1) {
    // No key after the person was read: the question again, not the lookup.
    return Twiml(t, Ask(t, "person", state, t.Text("found_menu"), {1}));
  }
  const std::string caller = Get(t.form, "From");
  if (t.deps->limiter) {
    std::chrono::seconds retry{};
    if (!t.deps->limiter->Allow("hotline:" + caller, &retry)) {
      return Goodbye(t, t.Text("too_many"));
    }
  }
  auto found = LookUp(t, *a, countries);
  if (!found) return http::ErrorResponse(*t.req, *t.ctx, found.error());
  // Nobody, or nobody the public may hear of: the answer carries nothing of
  // what was asked, so it is the same bytes whoever was sought.
  if (!*found) return Twiml(next, Ask(next, "nobody", {}, next.Text("not_found"), {1}));
  return Twiml(next, Ask(next, "person", state, next.Text("found_menu"), {1},
                         Say(next, Describe(next, **found))));
}

// After "we found no one": 2 looks again, # goes to the menu.
http::Response Nobody(Turn t) {
  const std::string prompt = t.Text("not_found");
  if (!t.pressed()) return Twiml(t, Ask(t, "nobody", {}, prompt, {1}));
  Turn next = t;
  next.form.erase("Digits");
  next.tries = 1;
  if (t.digits() == "2") return ANumberPrompt(next);
  if (t.digits() == "#") return Menu(next);
  if (t.digits() == "*") return Twiml(next, Ask(next, "nobody", {}, prompt, {1}));
  return Retry(t, "nobody", {}, prompt, {1});
}

// The caller's number, if it is one we could call back: E.164 caller ID.
std::optional<std::string> CallerNumber(const Turn& t) {
  const std::string from = Get(t.form, "From");
  if (from.empty() || from.front() != '+') return std::nullopt;
  auto normal = notify::NormalizePhone(from, "US", notify::PhoneUse::kVoice);
  if (!normal || *normal != from) return std::nullopt;
  return *normal;
}

// Registering: a PIN chosen, then entered again; then the registration.
http::Response Register(Turn t) {
  auto a = ANumber::Parse(t.q("a"));
  const std::string code = t.q("c");
  std::vector<std::string> countries = notify::RegionsOfCallingCode(code);
  if (!a || countries.empty()) return ANumberPrompt(t);
  std::map<std::string, std::string> state{{"a", a->digits()}, {"c", code}};
  auto caller = CallerNumber(t);
  if (!caller) {
    Turn next = t;
    next.form.erase("Digits");
    next.tries = 1;
    return Twiml(
        next, Say(next, next.Text("no_caller_id")) + Ask(next, "menu", {}, next.Text("menu"), {1}));
  }
  const std::string first = t.q("p");  // the first entry's keyed hash, once chosen
  if (!t.pressed()) {
    return Twiml(t, Ask(t, "register", state,
                        first.empty() ? t.Text("choose_pin") : t.Text("repeat_pin"), {4}));
  }
  const std::string pin = t.digits();
  if (pin.size() != 4 || !AllDigits(pin)) {
    if (!first.empty()) state["p"] = first;
    return Retry(t, "register", state, first.empty() ? t.Text("choose_pin") : t.Text("repeat_pin"),
                 {4});
  }
  const std::string hash = Hex(t.deps->vault->HashPin(pin));
  Turn next = t;
  next.form.erase("Digits");
  next.tries = 1;
  if (first.empty()) {
    state["p"] = hash;
    return Twiml(next, Ask(next, "register", state, next.Text("repeat_pin"), {4}));
  }
  if (!notify::SecretsEqual(first, hash)) {
    return Retry(t, "register", state, t.Text("choose_pin"), {4}, t.Text("pins_differ"));
  }
  // The person again, as the public may see them now: the registration is
  // for the one the caller heard, and only while they may be shown.
  auto found = LookUp(t, *a, countries);
  if (!found) return http::ErrorResponse(*t.req, *t.ctx, found.error());
  if (*found) {
    notify::RegistrationRequest request{(*found)->ref(), DeliveryChannel::kVoice, *caller,
                                        t.language, pin};
    auto r = t.deps->registrar->RegisterCaller(request);
    if (!r) return http::ErrorResponse(*t.req, *t.ctx, r.error());
  }
  return Twiml(next,
               Say(next, next.Text("registered")) + Ask(next, "menu", {}, next.Text("menu"), {1}));
}

bool Live(const Registration& r) {
  return r.state == RegistrationState::kActive || r.state == RegistrationState::kPending;
}

// The caller's live voice registrations, oldest first.
Result<std::vector<Registration>> CallsOf(const Turn& t, const std::string& caller,
                                          StoreReader& reader) {
  auto all = reader.registrations().RegistrationsByContact(
      DeliveryChannel::kVoice, t.deps->vault->BlindIndex(DeliveryChannel::kVoice, caller));
  if (!all) return tl::unexpected(all.error());
  std::vector<Registration> live;
  for (Registration& r : *all) {
    if (Live(r)) live.push_back(std::move(r));
  }
  std::sort(live.begin(), live.end(), [](const Registration& x, const Registration& y) {
    return x.registration_id < y.registration_id;
  });
  return live;
}

// "Calls to this number": by reference only; the PIN unlocks names and
// the PIN change; 9 stops them all, no PIN asked.
http::Response Calls(Turn t) {
  auto caller = CallerNumber(t);
  Turn next = t;
  next.form.erase("Digits");
  next.tries = 1;
  if (!caller) {
    return Twiml(next,
                 Say(next, next.Text("no_calls")) + Ask(next, "menu", {}, next.Text("menu"), {1}));
  }
  auto reader = t.deps->search.store->BeginRead();
  if (!reader) return http::ErrorResponse(*t.req, *t.ctx, reader.error());
  auto calls = CallsOf(t, *caller, **reader);
  if (!calls) return http::ErrorResponse(*t.req, *t.ctx, calls.error());
  if (calls->empty()) {
    return Twiml(next,
                 Say(next, next.Text("no_calls")) + Ask(next, "menu", {}, next.Text("menu"), {1}));
  }
  std::string list = t.Text("calls_count", {{"count", std::to_string(calls->size())}});
  for (size_t i = 0; i < calls->size(); ++i) {
    list += " " + t.Text("call_item",
                         {{"n", std::to_string(i + 1)},
                          {"reference", Spaced(std::to_string((*calls)[i].registration_id))}});
  }
  const std::string prompt = t.Text("calls_menu");
  if (!t.pressed()) return Twiml(t, Ask(t, "calls", {}, prompt, {0}, Say(t, list)));
  const std::string d = t.digits();
  if (d == "*") return Menu(next);
  if (d == "9") {
    auto stopped = t.deps->registrar->StopCalls(*caller);
    if (!stopped) return http::ErrorResponse(*t.req, *t.ctx, stopped.error());
    return Goodbye(t, t.Text("stopped"));
  }
  if (d.size() == 4 && AllDigits(d)) {
    const std::string hash = t.deps->vault->HashPin(d);
    bool any = false;
    for (const Registration& r : *calls) any = any || notify::SecretsEqual(r.pin_hash, hash);
    if (any) {
      return Twiml(next, "<Redirect method=\"POST\">" +
                             HtmlEscape(next.Url("unlocked", {{"p", Hex(hash)}})) + "</Redirect>");
    }
    return Retry(t, "calls", {}, prompt, {0}, t.Text("wrong_pin"));
  }
  return Retry(t, "calls", {}, prompt, {0});
}

// After the PIN: the names (as the gate allows now) and the PIN change.
http::Response Unlocked(Turn t) {
  auto caller = CallerNumber(t);
  const std::string pin_hex = t.q("p");
  Turn next = t;
  next.form.erase("Digits");
  next.tries = 1;
  if (!caller) return Menu(next);
  auto reader = t.deps->search.store->BeginRead();
  if (!reader) return http::ErrorResponse(*t.req, *t.ctx, reader.error());
  auto calls = CallsOf(t, *caller, **reader);
  if (!calls) return http::ErrorResponse(*t.req, *t.ctx, calls.error());
  std::string names;
  size_t n = 0;
  for (const Registration& r : *calls) {
    ++n;
    if (!notify::SecretsEqual(Hex(r.pin_hash), pin_hex)) continue;
    policy::SuppressionReason why = policy::SuppressionReason::kNone;
    auto s =
        t.deps->search.policy->Disclose(**reader, r.subject_id, policy::Audience::kPublic, &why);
    names += (names.empty() ? "" : " ") +
             (s ? t.Text("call_named", {{"n", std::to_string(n)}, {"name", s->name()}})
                : t.Text("call_unnamed", {{"n", std::to_string(n)}}));
  }
  if (names.empty()) return Menu(next);  // no registration has this PIN (any more)
  const std::map<std::string, std::string> state{{"p", pin_hex}};
  const std::string prompt = t.Text("pin_menu");
  if (!t.pressed()) return Twiml(t, Ask(t, "unlocked", state, prompt, {1}, Say(t, names)));
  if (t.digits() == "*") return Menu(next);
  if (t.digits() == "1") return Twiml(next, Ask(next, "newpin", state, next.Text("new_pin"), {4}));
  return Retry(t, "unlocked", state, prompt, {1});
}

http::Response NewPin(Turn t) {
  auto caller = CallerNumber(t);
  const std::string old_hex = t.q("p"), first = t.q("q");
  std::map<std::string, std::string> state{{"p", old_hex}};
  if (!first.empty()) state["q"] = first;
  const std::string prompt = first.empty() ? t.Text("new_pin") : t.Text("repeat_pin");
  if (!caller) return Menu(t);
  if (!t.pressed()) return Twiml(t, Ask(t, "newpin", state, prompt, {4}));
  const std::string pin = t.digits();
  if (pin.size() != 4 || !AllDigits(pin)) return Retry(t, "newpin", state, prompt, {4});
  const std::string hash = t.deps->vault->HashPin(pin);
  Turn next = t;
  next.form.erase("Digits");
  next.tries = 1;
  if (first.empty()) {
    state["q"] = Hex(hash);
    return Twiml(next, Ask(next, "newpin", state, next.Text("repeat_pin"), {4}));
  }
  if (!notify::SecretsEqual(first, Hex(hash))) {
    state.erase("q");
    return Retry(t, "newpin", state, t.Text("new_pin"), {4}, t.Text("pins_differ"));
  }
  // The registrations the old PIN unlocked take the new one.
  auto txn = t.deps->search.store->BeginWrite();
  if (!txn) return http::ErrorResponse(*t.req, *t.ctx, txn.error());
  auto calls = CallsOf(t, *caller, **txn);
  if (!calls) return http::ErrorResponse(*t.req, *t.ctx, calls.error());
  int64_t changed = 0;
  for (Registration r : *calls) {
    if (!notify::SecretsEqual(Hex(r.pin_hash), old_hex)) continue;
    r.pin_hash = hash;
    if (auto u = (*txn)->registrations().UpdateRegistration(r); !u) {
      return http::ErrorResponse(*t.req, *t.ctx, u.error());
    }
    ++changed;
  }
  if (auto c = (*txn)->Commit(); !c) return http::ErrorResponse(*t.req, *t.ctx, c.error());
  if (t.deps->audit && changed > 0) {
    t.deps->audit->Record(
        {"registration", "hotline", std::nullopt,
         "PIN changed by phone on " + std::to_string(changed) + " voice registration(s)"});
  }
  return Twiml(next,
               Say(next, next.Text("pin_changed")) + Ask(next, "menu", {}, next.Text("menu"), {1}));
}

std::string SpokenHours(const Turn& t) {
  const HotlineHours& h = t.deps->options.hours;
  std::string days;
  int d = 0;
  while (d < 7) {
    if (!(h.days & (1u << d))) {
      ++d;
      continue;
    }
    int end = d;
    while (end + 1 < 7 && (h.days & (1u << (end + 1)))) ++end;
    std::string part = t.Text(std::string("day.") + kDayNames[d]);
    if (end > d) {
      part = t.Text("day_range",
                    {{"first", part}, {"last", t.Text(std::string("day.") + kDayNames[end])}});
    }
    days += (days.empty() ? "" : ", ") + part;
    d = end + 1;
  }
  auto clock = [](int minute) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%d:%02d", minute / 60, minute % 60);
    return std::string(buf);
  };
  return t.Text("hours", {{"days", days},
                          {"from", clock(h.from_minute)},
                          {"to", clock(h.to_minute)},
                          {"zone", h.time_zone}});
}

std::string RecordVerbs(const Turn& t) {
  if (!t.deps->store_voicemail) return Say(t, t.Text("call_later")) + "<Hangup/>";
  return Say(t, t.Text("voicemail")) + "<Record action=\"" + HtmlEscape(t.Url("voicemail")) +
         "\" method=\"POST\" maxLength=\"" + std::to_string(t.deps->options.voicemail_max.count()) +
         "\" playBeep=\"true\" finishOnKey=\"#\"/>" + Say(t, t.Text("no_message")) + "<Hangup/>";
}

http::Response Specialist(Turn t) {
  const HotlineOptions& o = t.deps->options;
  if (o.specialists.empty() || !o.hours.Open(t.deps->search.clock->Now())) {
    return Twiml(t, Say(t, SpokenHours(t)) + RecordVerbs(t));
  }
  std::string dial = "<Dial timeout=\"" + std::to_string(o.ring_timeout.count()) + "\" action=\"" +
                     HtmlEscape(t.Url("dialled")) + "\" method=\"POST\">";
  for (const std::string& number : o.specialists) {
    dial += "<Number url=\"" + HtmlEscape(t.Url("whisper")) + "\" method=\"POST\">" +
            HtmlEscape(number) + "</Number>";
  }
  dial += "</Dial>";
  return Twiml(t, Say(t, t.Text("connecting")) + dial);
}

// Said to the specialist who answers, before the caller is put through.
http::Response Whisper(Turn t) {
  const std::string language_name = i18n::BuiltInCatalogue(t.language).Get("language.name");
  return Twiml(t,
               SayIn("en", i18n::FillTemplate(i18n::BuiltInCatalogue("en").Get("hotline.whisper"),
                                              {{"language", language_name}})));
}

http::Response Dialled(Turn t) {
  if (Get(t.form, "DialCallStatus") == "completed") return Goodbye(t, t.Text("bye"));
  return Twiml(t, Say(t, t.Text("no_answer")) + Say(t, SpokenHours(t)) + RecordVerbs(t));
}

http::Response VoicemailStep(Turn t) {
  const std::string url = Get(t.form, "RecordingUrl");
  if (url.empty() || !t.deps->store_voicemail) return Goodbye(t, t.Text("bye"));
  Voicemail v;
  v.received_at = t.deps->search.clock->Now();
  v.caller_sealed = t.deps->vault->Seal(Get(t.form, "From"));
  v.recording_url = url.substr(0, 2000);
  const std::string seconds = Get(t.form, "RecordingDuration");
  v.duration_seconds = AllDigits(seconds) && seconds.size() < 7 ? std::stoll(seconds) : 0;
  v.language = t.language;
  if (auto r = t.deps->store_voicemail(v); !r)
    return http::ErrorResponse(*t.req, *t.ctx, r.error());
  if (t.deps->audit) {
    t.deps->audit->Record({"voicemail", "hotline", std::nullopt,
                           "a voicemail of " + std::to_string(v.duration_seconds) + " s was left"});
  }
  return Goodbye(t, t.Text("voicemail_saved"));
}

using Step = http::Response (*)(Turn);

// Verifies the request and builds the turn; an error response otherwise.
std::variant<Turn, http::Response> Open(const HotlineDependencies& deps, const http::Request& req,
                                        http::RequestContext& ctx) {
  auto form = http::ParseQueryString(req.body());
  auto query = http::ParseQueryString(http::QueryOf(req));
  if (!form || !query) {
    return http::ErrorResponse(req, ctx, InvalidArgument("malformed request").value());
  }
  if (!SignedByProvider(req, deps.auth_token, deps.public_url, *form)) {
    return http::ErrorResponse(req, ctx,
                               Error(ErrorCode::kPermissionDenied, "the signature is not valid"));
  }
  Turn t;
  t.deps = &deps;
  t.req = &req;
  t.ctx = &ctx;
  t.form = std::move(*form);
  t.query = std::move(*query);
  const auto& languages = i18n::BuiltInLanguages();
  const std::string l = Get(t.query, "l");
  t.language = std::find(languages.begin(), languages.end(), l) != languages.end() ? l : "";
  const std::string tries = Get(t.query, "t");
  t.tries = AllDigits(tries) && tries.size() < 3 ? std::max(1, std::stoi(tries)) : 1;
  return t;
}

}  // namespace

void AddHotlineRoutes(http::Router& router, HotlineDependencies deps) {
  auto shared = std::make_shared<const HotlineDependencies>(std::move(deps));
  // The call begins: the language of the number dialled, or a choice.
  router.Add(bhttp::verb::post, kBase,
             [shared](const http::Request& req, http::RequestContext& ctx) {
               auto opened = Open(*shared, req, ctx);
               if (auto* res = std::get_if<http::Response>(&opened)) return std::move(*res);
               Turn t = std::get<Turn>(std::move(opened));
               auto number = shared->options.numbers.find(Get(t.form, "To"));
               if (number == shared->options.numbers.end()) {
                 t.language = "en";
                 t.form.erase("Digits");
                 return Language(t);
               }
               t.language = number->second;
               t.form.erase("Digits");
               t.query["w"] = "1";
               return Menu(t);
             });
  const std::pair<const char*, Step> steps[] = {
      {"language", Language}, {"menu", Menu},         {"anumber", ANumberStep},
      {"confirm", Confirm},   {"country", Country},   {"person", Person},
      {"nobody", Nobody},     {"register", Register}, {"calls", Calls},
      {"unlocked", Unlocked}, {"newpin", NewPin},     {"specialist", Specialist},
      {"whisper", Whisper},   {"dialled", Dialled},   {"voicemail", VoicemailStep}};
  for (const auto& [name, step] : steps) {
    router.Add(bhttp::verb::post, std::string(kBase) + "/" + name,
               [shared, step = step, name = std::string(name)](const http::Request& req,
                                                               http::RequestContext& ctx) {
                 auto opened = Open(*shared, req, ctx);
                 if (auto* res = std::get_if<http::Response>(&opened)) return std::move(*res);
                 Turn t = std::get<Turn>(std::move(opened));
                 if (t.language.empty()) {
                   t.language = "en";
                   if (name != "language") t.form.erase("Digits");
                   return Language(t);
                 }
                 return step(t);
               });
  }
}

}  // namespace vigil::api
