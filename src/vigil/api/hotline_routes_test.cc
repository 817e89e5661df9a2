// The phone hotline, call by call: a simulator that behaves as the provider
// does (testing/call_simulator.h) calls vigil's real HTTP server on
// loopback, signs every request, plays the TwiML it gets back and presses
// keys. Every path of docs/hotline.md, in English and Spanish, with planted
// protected and minor people whose lookups must sound — and be, byte for
// byte — the same as a lookup of nobody.
#include "vigil/api/hotline_routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "vigil/http/server.h"
#include "vigil/i18n/catalogue.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/search/index_follower.h"
#include "vigil/testing/call_simulator.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::api {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testutil::CallSimulator;

// Sunday 2026-11-22, 07:00 in New York.
const Timestamp kNow = *ParseRfc3339("2026-11-22T12:00:00Z");
constexpr char kToken[] = "hotline-test-auth-token";
constexpr char kEnglishLine[] = "+18005550100";
constexpr char kSpanishLine[] = "+18005550101";
constexpr char kOtherLine[] = "+18005550199";  // no language of its own
constexpr char kCaller[] = "+12025550142";

std::string Person(const std::string& id, const std::string& a, const std::string& given,
                   const std::string& family, const std::string& dob,
                   const std::string& protections = "[]") {
  return R"({"record":"custody_event","source":"s","event_id":")" + id +
         R"(","type":"booked","occurred_at":"2026-08-01T00:00:00Z","subject":{"a_number":")" + a +
         R"(","given_names":")" + given + R"(","family_names":")" + family +
         R"(","aliases":[],"date_of_birth":")" + dob +
         R"(","country_of_birth":"GT"},"facility_id":"ADL","custody_basis":"civil_immigration","protections":)" +
         protections + "}\n";
}

// Another line (other options) on a server of its own, for as long as it lives.
class OtherLine {
 public:
  explicit OtherLine(HotlineDependencies deps) {
    http::ServerOptions options;
    options.port = 0;
    options.shutdown_grace = std::chrono::seconds(1);
    server_ = std::move(*http::Server::Create(options, &router_, nullptr));
    deps.public_url = "http://127.0.0.1:" + std::to_string(server_->port());
    base_ = deps.public_url;
    AddHotlineRoutes(router_, deps);
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~OtherLine() {
    server_->Stop();
    thread_.join();
  }
  CallSimulator::Transcript Call(const std::vector<std::string>& keys,
                                 const std::string& from = kCaller) {
    CallSimulator sim(base_, kToken);
    CallSimulator::Options o;
    o.to = kEnglishLine;
    o.from = from;
    o.keys = keys;
    return sim.Call("/api/v1/voice/hotline", o);
  }

 private:
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  std::string base_;
};

class HotlineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(*OpenStore("sqlite:" + dir_.File("v.db")));
    FeedImporter importer(store_.get(), &clock_);
    std::string feed =
        R"({"record":"facility","facility_id":"ADL","name":"Adelanto ICE Processing Center","city":"Adelanto","state":"CA","phone":"+17605616100"})"
        "\n" +
        Person("B1", "100000001", "Rosa Elvira", "Quintanilla Mejía", "1980-05-05") +
        Person("B2", "100000002", "Guadalupe", "Fuentes Ochoa", "1985-01-10", R"(["sec1367"])") +
        Person("B3", "100000003", "Karina", "Zelaya Portal", "2010-08-08") +
        Person("B4", "100000004", "Francisco", "Carranza Pinto", "1979-03-03", R"(["asylum"])");
    auto lines = importer.ImportText("fixture", feed, FeedFormat::kJsonLines, nullptr);
    ASSERT_TRUE(lines);
    for (const auto& l : *lines) {
      ASSERT_EQ(l.status, ApplyStatus::kAccepted)
          << l.line << ": " << l.error.field << ": " << l.error.reason;
    }

    normalizer_ = std::move(*text::NameNormalizer::Create());
    index_ = std::make_unique<search::NameIndex>(normalizer_.get());
    std::array<unsigned char, 32> key{};
    key.fill(9);
    refs_ = std::make_unique<policy::RefCodec>(std::move(*policy::RefCodec::Create(key)));
    vault_ = std::make_unique<notify::ContactVault>(std::move(*notify::ContactVault::Create(key)));
    policy_ =
        std::make_unique<policy::DisclosurePolicy>(&clock_, refs_.get(), policy::PolicyOptions{});
    search::IndexFollower follower(store_.get(), index_.get(),
                                   [this](const Subject& s) { return PublicListing(*policy_, s); });
    ASSERT_TRUE(follower.LoadAll());
    recorder_ = std::make_unique<SuppressedMatchRecorder>(store_.get(), index_.get());
    notify::RegistrarDependencies reg;
    reg.store = store_.get();
    reg.policy = policy_.get();
    reg.refs = refs_.get();
    reg.vault = vault_.get();
    reg.clock = &clock_;
    registrar_ = std::make_unique<notify::Registrar>(reg);
    limiter_ = std::make_unique<http::RateLimiter>(30, &clock_);

    http::ServerOptions options;
    options.port = 0;
    options.shutdown_grace = std::chrono::seconds(1);
    server_ = std::move(*http::Server::Create(options, &router_, nullptr));
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());

    HotlineDependencies deps;
    deps.search = {store_.get(), index_.get(), policy_.get(), &clock_, nullptr, recorder_.get()};
    deps.vault = vault_.get();
    deps.registrar = registrar_.get();
    deps.limiter = limiter_.get();
    deps.auth_token = kToken;
    deps.public_url = base_;
    deps.options.numbers = {{kEnglishLine, "en"}, {kSpanishLine, "es"}};
    deps.options.specialists = {"+12025550111", "+12025550112"};
    // Open now (Sunday morning in New York), for the specialist tests.
    deps.options.hours = *HotlineHours::Parse("Sun 06:00-08:00", "America/New_York");
    deps.store_voicemail = [this](const Voicemail& v) -> Result<void> {
      voicemails_.push_back(v);
      return {};
    };
    deps_ = deps;
    AddHotlineRoutes(router_, deps);
    // The same line with the specialists' hours over (run on a server of
    // its own by the test that needs it).
    closed_deps_ = deps;
    closed_deps_.options.hours = *HotlineHours::Parse("Mon-Fri 09:00-17:00", "America/New_York");
    server_thread_ = std::thread([this] { server_->Run(); });
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (server_thread_.joinable()) server_thread_.join();
    if (recorder_) recorder_->Stop();
  }

  CallSimulator::Transcript Call(std::vector<std::string> keys,
                                 const std::string& to = kEnglishLine,
                                 const std::string& from = kCaller,
                                 const std::string& dial_status = "no-answer") {
    CallSimulator sim(base_, kToken);
    CallSimulator::Options o;
    o.from = from;
    o.to = to;
    o.keys = std::move(keys);
    o.dial_status = dial_status;
    auto t = sim.Call("/api/v1/voice/hotline", o);
    EXPECT_EQ(t.error, "") << "at " << (t.urls.empty() ? "" : t.urls.back());
    return t;
  }

  // The TwiML answering the lookup itself (the request to the person step).
  static std::string LookupAnswer(const CallSimulator::Transcript& t) {
    for (size_t i = 0; i < t.urls.size(); ++i) {
      if (t.urls[i].find("/hotline/person?") != std::string::npos) return t.bodies[i];
    }
    return "";
  }

  std::vector<Registration> VoiceRegistrationsOf(const std::string& number) {
    auto r = store_->BeginRead();
    auto all = (*r)->registrations().RegistrationsByContact(
        DeliveryChannel::kVoice, vault_->BlindIndex(DeliveryChannel::kVoice, number));
    return all ? *all : std::vector<Registration>{};
  }

  testutil::TempDir dir_;
  ManualClock clock_{kNow};
  std::unique_ptr<Store> store_;
  std::unique_ptr<text::NameNormalizer> normalizer_;
  std::unique_ptr<search::NameIndex> index_;
  std::unique_ptr<policy::RefCodec> refs_;
  std::unique_ptr<notify::ContactVault> vault_;
  std::unique_ptr<policy::DisclosurePolicy> policy_;
  std::unique_ptr<SuppressedMatchRecorder> recorder_;
  std::unique_ptr<notify::Registrar> registrar_;
  std::unique_ptr<http::RateLimiter> limiter_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::thread server_thread_;
  std::string base_;
  HotlineDependencies deps_, closed_deps_;
  std::vector<Voicemail> voicemails_;
};

// Menu 1, the A-number, confirm, Guatemala's calling code.
std::vector<std::string> LookupKeys(const std::string& a_number) {
  return {"1", a_number + "#", "1", "502#"};
}

TEST_F(HotlineTest, UnsignedOrMisSignedRequestsAreRefused) {
  CallSimulator good(base_, kToken), bad(base_, "another-token");
  auto ok = good.Post(base_ + "/api/v1/voice/hotline", {{"From", kCaller}, {"To", kEnglishLine}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  auto forged =
      bad.Post(base_ + "/api/v1/voice/hotline", {{"From", kCaller}, {"To", kEnglishLine}});
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  net::HttpRequest unsigned_req;
  unsigned_req.url = base_ + "/api/v1/voice/hotline/menu?l=en";
  unsigned_req.body = "From=%2B12025550142&Digits=1";
  auto none = net::Fetch(unsigned_req);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 403);
  EXPECT_THAT(none->body, Not(HasSubstr("<Say")));
}

TEST_F(HotlineTest, TheNumberDialledChoosesTheLanguageAndOtherNumbersAsk) {
  auto english = Call({});
  ASSERT_FALSE(english.said.empty());
  EXPECT_THAT(english.said[0].text, HasSubstr("never ask about your immigration status"));
  EXPECT_EQ(english.said[0].language, "en-US");
  EXPECT_EQ(english.said[0].voice, "Polly.Joanna");

  auto spanish = Call({}, kSpanishLine);
  ASSERT_FALSE(spanish.said.empty());
  EXPECT_THAT(spanish.said[0].text, HasSubstr("Nunca le preguntamos por su situación migratoria"));
  EXPECT_EQ(spanish.said[0].language, "es-MX");
  EXPECT_EQ(spanish.said[0].voice, "Polly.Mia");

  // Another number: each language offered in its own voice; 2 is Spanish.
  auto chosen = Call({"2"}, kOtherLine);
  // Nine languages, each offered in its own voice, before the caller chose.
  ASSERT_GE(chosen.said.size(), 10u);
  EXPECT_EQ(chosen.said[0].text, "For English, press 1.");
  EXPECT_EQ(chosen.said[0].language, "en-US");
  EXPECT_EQ(chosen.said[1].text, "Para español, oprima 2.");
  EXPECT_EQ(chosen.said[1].language, "es-MX");
  EXPECT_EQ(chosen.said[6].language, "arb");
  EXPECT_THAT(chosen.said[8].text, HasSubstr("9"));
  EXPECT_EQ(chosen.said[8].language, "fr-FR");
  EXPECT_THAT(chosen.said[9].text, HasSubstr("Para buscar a una persona"));
}

TEST_F(HotlineTest, AnEmptyLineRepromptsThreeTimesThenSaysGoodbye) {
  auto t = Call({});
  int menus = 0;
  for (const auto& s : t.said) menus += s.text.find("To look up a person") != std::string::npos;
  EXPECT_EQ(menus, 3);
  EXPECT_THAT(t.said.back().text, HasSubstr("Please call again. Goodbye."));
  EXPECT_TRUE(t.hung_up);

  // Wrong keys count as tries too: the fourth key is never asked for.
  auto wrong = Call({"7", "8", "5", "1"});
  int sorry = 0;
  for (const auto& s : wrong.said) sorry += s.text == "Sorry, we did not get that.";
  EXPECT_EQ(sorry, 3);
  EXPECT_TRUE(wrong.hung_up);
  EXPECT_THAT(wrong.said.back().text, HasSubstr("Goodbye"));
  EXPECT_THAT(wrong.Heard(), Not(HasSubstr("Enter the person's A-number")));
}

TEST_F(HotlineTest, StarRepeatsTheMenu) {
  auto t = Call({"*"});
  int menus = 0;
  for (const auto& s : t.said) menus += s.text.find("To look up a person") != std::string::npos;
  // The first, the one * asked for, then two more before giving up: *
  // starts the count again.
  EXPECT_EQ(menus, 4);
}

TEST_F(HotlineTest, ALookupReadsTheNumberBackAndSpeaksThePublicPage) {
  auto t = Call(LookupKeys("100000001"));
  const std::string heard = t.Heard();
  EXPECT_THAT(heard, HasSubstr("You entered 1 0 0, 0 0 0, 0 0 1."));
  EXPECT_THAT(heard, HasSubstr("Rosa Elvira Quintanilla Mejía, born in 1980. In custody."));
  EXPECT_THAT(heard, HasSubstr("At Adelanto ICE Processing Center, Adelanto, CA."));
  EXPECT_THAT(heard, HasSubstr("The facility's phone number is 7 6 0, 5 6 1, 6 1 0 0."));
  EXPECT_THAT(heard, HasSubstr("Held for a civil immigration matter — not charged with a crime"));
  EXPECT_THAT(heard, Not(HasSubstr("1980-05-05"))) << "the year only, as on the web page";

  auto es = Call(LookupKeys("100000001"), kSpanishLine);
  EXPECT_THAT(es.Heard(), HasSubstr("Rosa Elvira Quintanilla Mejía, nacido en 1980."));
  EXPECT_THAT(es.Heard(), HasSubstr("El teléfono del centro es 7 6 0, 5 6 1, 6 1 0 0."));
  for (const auto& s : es.said) EXPECT_EQ(s.language, "es-MX") << s.text;
}

TEST_F(HotlineTest, ProtectedMinorAndUnknownPeopleSoundExactlyLikeNobody) {
  for (const char* lang_line : {kEnglishLine, kSpanishLine}) {
    auto nobody = Call(LookupKeys("199999999"), lang_line);
    const std::string answer = LookupAnswer(nobody);
    ASSERT_FALSE(answer.empty());
    EXPECT_THAT(nobody.Heard(), Not(HasSubstr("born in")));
    EXPECT_THAT(nobody.Heard(), Not(HasSubstr("nacido en")));
    for (const char* a : {"100000002", "100000003", "100000004"}) {
      auto withheld = Call(LookupKeys(a), lang_line);
      EXPECT_EQ(LookupAnswer(withheld), answer) << a << ": the same bytes as nobody";
      // After the read-back (which repeats what the caller typed), the same words.
      auto tail = [](const CallSimulator::Transcript& t) {
        std::vector<std::string> out;
        bool after = false;
        for (const auto& s : t.said) {
          if (after) out.push_back(s.text);
          after = after || s.text.find("calling code") != std::string::npos ||
                  s.text.find("código telefónico") != std::string::npos;
        }
        return out;
      };
      EXPECT_EQ(tail(withheld), tail(nobody)) << a;
      for (const char* name : {"Guadalupe", "Karina", "Francisco", "Fuentes", "Zelaya"}) {
        EXPECT_THAT(withheld.Heard(), Not(HasSubstr(name)));
        for (const auto& body : withheld.bodies) EXPECT_THAT(body, Not(HasSubstr(name)));
      }
    }
  }
}

TEST_F(HotlineTest, AnUnknownCallingCodeIsAskedAgain) {
  auto t = Call({"1", "100000001#", "1", "999#", "502#"});
  EXPECT_THAT(t.Heard(), HasSubstr("That is not a country's calling code."));
  EXPECT_THAT(t.Heard(), HasSubstr("Rosa Elvira"));
}

TEST_F(HotlineTest, AWrongANumberIsReadBackAndCanBeTypedAgain) {
  auto t = Call({"1", "12#", "100000009#", "2", "100000001#", "1", "502#"});
  const std::string heard = t.Heard();
  EXPECT_THAT(heard, HasSubstr("Sorry, we did not get that."));
  EXPECT_THAT(heard, HasSubstr("You entered 1 0 0, 0 0 0, 0 0 9."));
  EXPECT_THAT(heard, HasSubstr("Rosa Elvira"));
}

TEST_F(HotlineTest, RegisteringByPhoneMakesAnActiveRegistrationWithThePin) {
  auto keys = LookupKeys("100000001");
  for (const char* k : {"1", "1234", "1234"}) keys.push_back(k);
  auto t = Call(keys);
  EXPECT_THAT(t.Heard(), HasSubstr("Choose a four-digit PIN"));
  EXPECT_THAT(t.Heard(), HasSubstr("Enter the same PIN again."));
  EXPECT_THAT(t.Heard(), HasSubstr("You are registered."));
  for (const auto& body : t.bodies) EXPECT_THAT(body, Not(HasSubstr("1234"))) << "no PIN in a URL";
  auto regs = VoiceRegistrationsOf(kCaller);
  ASSERT_EQ(regs.size(), 1u);
  EXPECT_EQ(regs[0].state, RegistrationState::kActive);
  EXPECT_EQ(regs[0].pin_hash, vault_->HashPin("1234"));
  EXPECT_EQ(regs[0].language, "en");

  // In Spanish, from another phone: the registration speaks Spanish.
  auto es = LookupKeys("100000001");
  for (const char* k : {"1", "4321", "4321"}) es.push_back(k);
  auto s = Call(es, kSpanishLine, "+12025550143");
  EXPECT_THAT(s.Heard(), HasSubstr("Quedó registrado."));
  auto spanish = VoiceRegistrationsOf("+12025550143");
  ASSERT_EQ(spanish.size(), 1u);
  EXPECT_EQ(spanish[0].language, "es");
}

TEST_F(HotlineTest, DifferentPinsAreChosenAgain) {
  auto keys = LookupKeys("100000001");
  for (const char* k : {"1", "1234", "9999", "2468", "2468"}) keys.push_back(k);
  auto t = Call(keys);
  EXPECT_THAT(t.Heard(), HasSubstr("The two PINs were not the same."));
  auto regs = VoiceRegistrationsOf(kCaller);
  ASSERT_EQ(regs.size(), 1u);
  EXPECT_EQ(regs[0].pin_hash, vault_->HashPin("2468"));
}

TEST_F(HotlineTest, AHiddenNumberCannotRegisterAndIsToldWhy) {
  for (const char* from : {"anonymous", "", "+266696687", "12025550142"}) {
    auto keys = LookupKeys("100000001");
    keys.push_back("1");
    auto t = Call(keys, kEnglishLine, from);
    EXPECT_THAT(t.Heard(), HasSubstr("your number is hidden or is not a number we can call"))
        << from;
    EXPECT_THAT(t.Heard(), Not(HasSubstr("Choose a four-digit PIN"))) << from;
  }
}

TEST_F(HotlineTest, CallsToThisNumberAreListedByReferenceAndThePinUnlocksNamesAndChange) {
  auto keys = LookupKeys("100000001");
  for (const char* k : {"1", "1234", "1234"}) keys.push_back(k);
  Call(keys);
  const int64_t id = VoiceRegistrationsOf(kCaller).at(0).registration_id;

  auto listed = Call({"2"});
  EXPECT_THAT(listed.Heard(), HasSubstr("Calls to this number: 1."));
  EXPECT_THAT(listed.Heard(), HasSubstr("Number 1, reference " + std::to_string(id)));
  EXPECT_THAT(listed.Heard(), Not(HasSubstr("Rosa"))) << "no name before the PIN";

  auto wrong = Call({"2", "0000#"});
  EXPECT_THAT(wrong.Heard(), HasSubstr("That PIN is not right."));
  EXPECT_THAT(wrong.Heard(), Not(HasSubstr("Rosa")));

  auto changed = Call({"2", "1234#", "1", "5678", "5678"});
  EXPECT_THAT(changed.Heard(), HasSubstr("Number 1: Rosa Elvira Quintanilla Mejía."));
  EXPECT_THAT(changed.Heard(), HasSubstr("Your PIN is changed."));
  EXPECT_EQ(VoiceRegistrationsOf(kCaller).at(0).pin_hash, vault_->HashPin("5678"));

  auto es = Call({"2", "5678#"}, kSpanishLine);
  EXPECT_THAT(es.Heard(), HasSubstr("Número 1: Rosa Elvira Quintanilla Mejía."));
}

// A person protected after the caller registered is never named again on
// the line, PIN or not: the registration is suspended, and the names come
// through the gate.
TEST_F(HotlineTest, APersonProtectedSinceRegisteringIsNotNamed) {
  auto keys = LookupKeys("100000001");
  for (const char* k : {"1", "1234", "1234"}) keys.push_back(k);
  Call(keys);
  FeedImporter importer(store_.get(), &clock_);
  const std::string protect =
      R"({"record":"custody_event","source":"s","event_id":"P1","type":"transferred","occurred_at":"2026-09-01T00:00:00Z","subject":{"a_number":"100000001","given_names":"Rosa Elvira","family_names":"Quintanilla Mejía","aliases":[],"date_of_birth":"1980-05-05","country_of_birth":"GT"},"facility_id":"ADL","custody_basis":"civil_immigration","protections":["sec1367"]})"
      "\n";
  auto lines = importer.ImportText("protect", protect, FeedFormat::kJsonLines, nullptr);
  ASSERT_TRUE(lines);
  ASSERT_EQ(lines->at(0).status, ApplyStatus::kAccepted) << lines->at(0).error.reason;
  auto listed = Call({"2", "1234#"});
  EXPECT_THAT(listed.Heard(), Not(HasSubstr("Rosa")));
  EXPECT_THAT(listed.Heard(), Not(HasSubstr("Quintanilla")));
  for (const auto& body : listed.bodies) EXPECT_THAT(body, Not(HasSubstr("Rosa")));
  // And a look-up now answers as for nobody.
  auto again = Call(LookupKeys("100000001"));
  EXPECT_EQ(LookupAnswer(again), LookupAnswer(Call(LookupKeys("199999999"))));
}

TEST_F(HotlineTest, SomeoneWhoNeverAskedStopsEveryCallWithoutAPin) {
  auto keys = LookupKeys("100000001");
  for (const char* k : {"1", "1234", "1234"}) keys.push_back(k);
  Call(keys);
  auto stopped = Call({"2", "9#"});
  EXPECT_THAT(stopped.Heard(), HasSubstr("This number will get no more calls from vigil."));
  EXPECT_TRUE(stopped.hung_up);
  auto regs = VoiceRegistrationsOf(kCaller);
  ASSERT_EQ(regs.size(), 1u);
  EXPECT_EQ(regs[0].state, RegistrationState::kUnsubscribed);
  auto after = Call({"2"});
  EXPECT_THAT(after.Heard(), HasSubstr("This number gets no calls from vigil."));
}

// The paths above that the English tests walk, walked again in Spanish.
TEST_F(HotlineTest, EveryPathSpeaksSpanishOnTheSpanishLine) {
  auto empty = Call({}, kSpanishLine);
  EXPECT_THAT(empty.said.back().text, HasSubstr("Por favor, llame otra vez. Adiós."));
  EXPECT_TRUE(empty.hung_up);
  auto wrong = Call({"7", "8", "5"}, kSpanishLine);
  int sorry = 0;
  for (const auto& s : wrong.said) sorry += s.text == "Perdone, no lo recibimos.";
  EXPECT_EQ(sorry, 3);
  auto country = Call({"1", "100000001#", "1", "999#", "502#"}, kSpanishLine);
  EXPECT_THAT(country.Heard(), HasSubstr("Ese no es el código telefónico de un país."));
  auto keys = LookupKeys("100000001");
  keys.push_back("1");
  auto hidden = Call(keys, kSpanishLine, "anonymous");
  EXPECT_THAT(hidden.Heard(), HasSubstr("su número está oculto"));
  for (const char* k : {"1234", "9999", "2468", "2468"}) keys.push_back(k);
  auto registered = Call(keys, kSpanishLine);
  EXPECT_THAT(registered.Heard(), HasSubstr("Los dos PIN no eran iguales."));
  EXPECT_THAT(registered.Heard(), HasSubstr("Quedó registrado."));
  auto listed = Call({"2", "0000#"}, kSpanishLine);
  EXPECT_THAT(listed.Heard(), HasSubstr("Llamadas a este número: 1."));
  EXPECT_THAT(listed.Heard(), HasSubstr("Ese PIN no es correcto."));
  EXPECT_THAT(listed.Heard(), Not(HasSubstr("Rosa")));
  auto changed = Call({"2", "2468#", "1", "1357", "1357"}, kSpanishLine);
  EXPECT_THAT(changed.Heard(), HasSubstr("Su PIN quedó cambiado."));
  auto stopped = Call({"2", "9#"}, kSpanishLine);
  EXPECT_THAT(stopped.Heard(), HasSubstr("Este número no recibirá más llamadas de vigil."));
  auto message = Call({"0"}, kSpanishLine);
  EXPECT_THAT(message.Heard(), HasSubstr("Ninguna especialista puede contestar ahora."));
  EXPECT_THAT(message.Heard(), HasSubstr("Las especialistas contestan domingo, de 6:00 a 8:00"));
  EXPECT_THAT(message.Heard(), HasSubstr("Una especialista escuchará su mensaje."));
  ASSERT_EQ(voicemails_.size(), 1u);
  EXPECT_EQ(voicemails_[0].language, "es");
  for (const auto* t :
       {&empty, &wrong, &country, &hidden, &registered, &listed, &changed, &stopped, &message}) {
    for (const auto& s : t->said) EXPECT_EQ(s.language, "es-MX") << s.text;
  }
}

TEST_F(HotlineTest, ZeroRingsTheSpecialistsAndAnnouncesTheCall) {
  auto answered = Call({"0"}, kSpanishLine, kCaller, "completed");
  EXPECT_EQ(answered.dialled, (std::vector<std::string>{"+12025550111", "+12025550112"}));
  ASSERT_EQ(answered.whispered.size(), 2u);
  EXPECT_EQ(answered.whispered[0], "A caller from the vigil hotline, speaking Español.");
  EXPECT_THAT(answered.Heard(), HasSubstr("Le comunicamos con una especialista."));
  EXPECT_TRUE(answered.hung_up);
  EXPECT_TRUE(voicemails_.empty());

  auto unanswered = Call({"0"});
  EXPECT_THAT(unanswered.Heard(), HasSubstr("No specialist can answer right now."));
  EXPECT_THAT(unanswered.Heard(), HasSubstr("Specialists answer Sunday, from 6:00 to 8:00"));
  EXPECT_TRUE(unanswered.recorded);
  EXPECT_THAT(unanswered.Heard(), HasSubstr("A specialist will listen to your message."));
  ASSERT_EQ(voicemails_.size(), 1u);
  EXPECT_EQ(voicemails_[0].duration_seconds, 12);
  EXPECT_EQ(voicemails_[0].language, "en");
  EXPECT_THAT(voicemails_[0].caller_sealed, Not(HasSubstr("2025550142")));
  EXPECT_EQ(*vault_->Open(voicemails_[0].caller_sealed), kCaller);
  for (const auto& s : unanswered.said) {
    EXPECT_THAT(s.text, Not(HasSubstr("immigration status?")));
  }
}

TEST_F(HotlineTest, OutsideHoursTheLineSaysTheHoursAndTakesAMessage) {
  // The closed line runs on a server of its own.
  auto t = OtherLine(closed_deps_).Call({"0"});
  EXPECT_EQ(t.error, "");
  EXPECT_TRUE(t.dialled.empty());
  EXPECT_THAT(t.Heard(), HasSubstr("Specialists answer Monday to Friday, from 9:00 to 17:00, "
                                   "America/New_York time."));
  EXPECT_TRUE(t.recorded);
  EXPECT_EQ(voicemails_.size(), 1u);
}

TEST_F(HotlineTest, LookupsFromOneNumberAreRateLimited) {
  http::RateLimiter strict(2, &clock_);
  HotlineDependencies deps = deps_;
  deps.limiter = &strict;
  OtherLine line(deps);
  std::vector<std::string> heard;
  for (int i = 0; i < 3; ++i) heard.push_back(line.Call(LookupKeys("100000001")).Heard());
  std::string other = line.Call(LookupKeys("100000001"), "+12025550199").Heard();
  EXPECT_THAT(heard[1], HasSubstr("Rosa Elvira"));
  EXPECT_THAT(heard[2], HasSubstr("too many lookups from this phone"));
  EXPECT_THAT(heard[2], Not(HasSubstr("Rosa")));
  EXPECT_THAT(other, HasSubstr("Rosa Elvira")) << "another number has its own allowance";
}

// The hotline says only what the gate's projection, the call and the
// configuration give it; every language names itself and its voice.
TEST(HotlineCatalogueTest, PromptsUseOnlyKnownPlaceholders) {
  const std::set<std::string> known = {"digit", "digits",   "name",      "birth_year", "status",
                                       "basis", "facility", "city",      "state",      "phone",
                                       "count", "n",        "reference", "language",   "days",
                                       "from",  "to",       "zone",      "first",      "last"};
  for (const std::string& language : i18n::BuiltInLanguages()) {
    const i18n::Catalogue& words = i18n::BuiltInCatalogue(language);
    for (const char* key : {"language.name", "language.voice", "language.speaker"}) {
      EXPECT_FALSE(words.Get(key).empty()) << language << " " << key;
    }
    for (const std::string& key : words.Keys()) {
      if (key.rfind("hotline.", 0) != 0) continue;
      for (const std::string& p : i18n::Placeholders(words.Get(key))) {
        EXPECT_TRUE(known.count(p)) << language << " " << key << " uses {" << p << "}";
      }
    }
  }
}

TEST(HotlineHoursTest, ParsesDaysAndTimesAndRefusesNonsense) {
  auto h = HotlineHours::Parse("Mon-Fri 09:00-17:00", "America/New_York");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->days, 0b0011111u);
  EXPECT_EQ(h->from_minute, 540);
  EXPECT_EQ(h->to_minute, 1020);
  // Monday 2026-11-23 14:30 UTC is 09:30 in New York; 13:59 UTC is 08:59.
  EXPECT_TRUE(h->Open(*ParseRfc3339("2026-11-23T14:30:00Z")));
  EXPECT_FALSE(h->Open(*ParseRfc3339("2026-11-23T13:59:00Z")));
  EXPECT_FALSE(h->Open(*ParseRfc3339("2026-11-22T15:00:00Z"))) << "Sunday";
  auto weekend = HotlineHours::Parse("Sat,Sun 10:00-14:00", "Europe/Madrid");
  ASSERT_TRUE(weekend);
  EXPECT_EQ(weekend->days, 0b1100000u);
  for (const char* bad : {"Mon-Fri", "Funday 09:00-17:00", "Fri-Mon 09:00-17:00", "Mon 17:00-09:00",
                          "Mon 9-17", "Mon 25:00-26:00"}) {
    auto r = HotlineHours::Parse(bad, "America/New_York");
    ASSERT_FALSE(r) << bad;
    EXPECT_THAT(r.error().message(), HasSubstr("hours:")) << bad;
  }
  auto zone = HotlineHours::Parse("Mon 09:00-10:00", "Mars/Olympus");
  ASSERT_FALSE(zone);
  EXPECT_THAT(zone.error().message(), HasSubstr("time_zone"));
}

}  // namespace
}  // namespace vigil::api
