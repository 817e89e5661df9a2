#include "vigil/api/web_pages.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "vigil/api/web_i18n.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/search/index_follower.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;
using nlohmann::json;

const Timestamp kNow = *ParseRfc3339("2026-11-22T12:00:00Z");

struct Planted {
  std::string a_number, given, family, dob, country;  // dob "" = unknown
  std::string basis = "civil_immigration";
  std::string facility = "ADL";
  std::vector<std::string> protections = {};
  std::string released_at = "";  // "" = still in custody
  bool visible = false;
  bool name_variants = true;  // searched by the usual name variants
};

// Visible people first, so they get the same subject ids in both worlds.
// Names no one else in the fixture shares, so a hit can only be the planted person.
const std::vector<Planted>& People() {
  static const auto* people = new std::vector<Planted>{
      {"200000001",
       "María José",
       "Hernández Ávila",
       "1988-03-14",
       "MX",
       "civil_immigration",
       "ADL",
       {},
       "",
       true},
      {"200000002",
       "Juan Carlos",
       "Pérez Olmedo",
       "1979-10-02",
       "GT",
       "criminal_charge",
       "ADL",
       {},
       "",
       true},
      {"200000003",
       "Ana Lucía",
       "Ramírez Soto",
       "1990-12-30",
       "HN",
       "criminal_conviction",
       "ADL",
       {},
       "",
       true},
      {"200000004",
       "<script>alert('x')</script>",
       "O'Neil & \"Sons\"",
       "1970-01-01",
       "SV",
       "civil_immigration",
       "EVIL",
       {},
       "",
       true,
       false},
      {"200000005",
       "Óscar",
       "Méndez Ruiz",
       "1966-06-06",
       "SV",
       "civil_immigration",
       "ADL",
       {},
       "2026-11-12T09:00:00Z",
       true},
      // Withheld, each for one reason.
      {"200000011",
       "Guadalupe",
       "Xiloj Tzunún",
       "1985-01-10",
       "GT",
       "civil_immigration",
       "ADL",
       {"sec1367"}},
      {"200000012",
       "Yesenia",
       "Carranza Pinto",
       "1979-03-03",
       "GT",
       "civil_immigration",
       "ADL",
       {"asylum"}},
      {"200000013",
       "Dolores",
       "Barrientos Vela",
       "1990-07-07",
       "GT",
       "criminal_charge",
       "ADL",
       {"sealed"}},
      {"200000014",
       "Karina",
       "Zelaya Portal",
       "1991-08-08",
       "GT",
       "civil_immigration",
       "ADL",
       {"juvenile"}},
      {"200000015", "Brenda", "Solórzano Ixcot", "2008-11-23", "GT"},  // 18 tomorrow
      {"200000016", "Rigoberta", "Cux Xitumul", "", "GT"},             // unknown birth date
      {"200000017", "Lesbia", "Coc Caal", "2008", "GT"},               // adulthood unprovable
      {"200000018",
       "Esmeralda",
       "Chavarría Lobo",
       "1970-02-02",
       "GT",
       "civil_immigration",
       "ADL",
       {},
       "2026-09-22T11:00:00Z"},  // released 61 days ago
  };
  return *people;
}

std::string Feed(bool with_withheld) {
  std::string feed = json{{"record", "facility"},
                          {"facility_id", "ADL"},
                          {"name", "Adelanto ICE Processing Center"},
                          {"city", "Adelanto"},
                          {"state", "CA"},
                          {"phone", "+17605550100"}}
                         .dump() +
                     "\n" +
                     json{{"record", "facility"},
                          {"facility_id", "EVIL"},
                          {"name", "Casa <b>Esperanza</b> & \"Sur\""},
                          {"city", "El Paso"},
                          {"state", "TX"},
                          {"phone", "+19155550199"}}
                         .dump() +
                     "\n";
  int n = 0;
  for (const Planted& p : People()) {
    ++n;
    if (!p.visible && !with_withheld) continue;
    json subject = {{"a_number", p.a_number},
                    {"given_names", p.given},
                    {"family_names", p.family},
                    {"aliases", json::array()},
                    {"date_of_birth", p.dob.empty() ? json(nullptr) : json(p.dob)},
                    {"country_of_birth", p.country}};
    json booked = {{"record", "custody_event"},
                   {"source", "s"},
                   {"event_id", "B" + std::to_string(n)},
                   {"type", "booked"},
                   {"occurred_at", "2026-08-01T14:03:00Z"},
                   {"subject", subject},
                   {"facility_id", p.facility},
                   {"custody_basis", p.basis},
                   {"protections", p.protections}};
    feed += booked.dump() + "\n";
    if (!p.released_at.empty()) {
      json released = booked;
      released["event_id"] = "R" + std::to_string(n);
      released["type"] = "released";
      released["occurred_at"] = p.released_at;
      released.erase("facility_id");
      feed += released.dump() + "\n";
    }
  }
  return feed;
}

std::string Enc(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string NameTarget(const std::string& given, const std::string& family,
                       const std::string& country, const std::string& extra = "") {
  return "/search?lang=en&given_name=" + Enc(given) + "&family_name=" + Enc(family) +
         "&country_of_birth=" + country + "&birth_year=" + extra;
}

std::string ANumberTarget(const std::string& a_number, const std::string& country) {
  return "/search?lang=en&a_number=A" + a_number + "&country_of_birth=" + country;
}

// Everything a client can observe, minus the per-request id.
std::string Observable(const http::Response& res) {
  std::string out = std::to_string(res.result_int()) + "\n";
  for (const auto& field : res) {
    if (std::string(field.name_string()) == "X-Request-Id") continue;
    out += std::string(field.name_string()) + ": " + std::string(field.value()) + "\n";
  }
  return out + res.body();
}

bool Has(const http::Response& res, std::string_view text) {
  return res.body().find(text) != std::string::npos;
}

// One store, index and router over a feed.
class World {
 public:
  World(const std::string& db, const Clock* clock, const policy::RefCodec* refs,
        const std::string& feed, http::RateLimiter* limiter = nullptr) {
    auto store = OpenStore("sqlite:" + db);
    if (!store) throw std::runtime_error(store.error().ToString());
    store_ = std::move(*store);
    FeedImporter importer(store_.get(), clock);
    auto lines = importer.ImportText("fixture", feed, FeedFormat::kJsonLines, nullptr);
    if (!lines) throw std::runtime_error(lines.error().ToString());
    for (const auto& l : *lines) {
      if (l.status != ApplyStatus::kAccepted) throw std::runtime_error(l.error.reason);
    }
    normalizer_ = std::move(*text::NameNormalizer::Create());
    index_ = std::make_unique<search::NameIndex>(normalizer_.get());
    policy_ = std::make_unique<policy::DisclosurePolicy>(clock, refs, policy::PolicyOptions{});
    search::IndexFollower follower(store_.get(), index_.get(), [this](const Subject& s) {
      return PublicListing(*policy_, s);
    });
    if (!follower.LoadAll()) throw std::runtime_error("index load failed");
    AddWebPages(router_, {store_.get(), index_.get(), policy_.get(), clock, limiter, nullptr});
  }

  http::Response Get(const std::string& target, const std::string& accept_language = "",
                     const std::string& client = "127.0.0.1") {
    http::Request req{bhttp::verb::get, target, 11};
    if (!accept_language.empty()) req.set(bhttp::field::accept_language, accept_language);
    http::RequestContext ctx;
    ctx.request_id = "req-" + std::to_string(++requests_);
    ctx.client_address = client;
    return router_.Dispatch(req, ctx);
  }

 private:
  std::unique_ptr<Store> store_;
  std::unique_ptr<text::NameNormalizer> normalizer_;
  std::unique_ptr<search::NameIndex> index_;
  std::unique_ptr<policy::DisclosurePolicy> policy_;
  http::Router router_;
  int requests_ = 0;
};

class WebPagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::array<unsigned char, 32> key{};
    key.fill(7);
    auto refs = policy::RefCodec::Create(key);
    ASSERT_TRUE(refs);
    refs_ = std::make_unique<policy::RefCodec>(std::move(*refs));
    world_ = std::make_unique<World>(dir_.File("all.db"), &clock_, refs_.get(), Feed(true));
  }

  http::Response Get(const std::string& target, const std::string& accept_language = "") {
    return world_->Get(target, accept_language);
  }

  testutil::TempDir dir_;
  ManualClock clock_{kNow};
  std::unique_ptr<policy::RefCodec> refs_;
  std::unique_ptr<World> world_;
};

// The queries a person looking for someone might type.
std::vector<std::pair<std::string, std::pair<std::string, std::string>>> Variants(
    const Planted& p) {
  std::string first_family = p.family.substr(0, p.family.find(' '));
  std::string folded = first_family;
  for (auto [from, to] : {std::pair<std::string, std::string>{"ó", "o"},
                          {"í", "i"},
                          {"á", "a"},
                          {"é", "e"},
                          {"ú", "u"},
                          {"Á", "A"},
                          {"Ó", "O"}}) {
    for (size_t at; (at = folded.find(from)) != std::string::npos;)
      folded.replace(at, from.size(), to);
  }
  std::string typo = folded;  // ASCII, so swapping bytes swaps letters
  std::swap(typo[typo.size() - 2], typo[typo.size() - 3]);
  std::string given_first = p.given.substr(0, p.given.find(' '));
  return {
      {"exact", {p.given, p.family}},
      {"accents dropped", {given_first, folded}},
      {"missing second surname", {given_first, first_family}},
      {"order swapped", {p.family, p.given}},
      {"typo", {given_first, typo}},
      {"padded", {"  " + given_first + "  ", first_family}},
  };
}

TEST(ChooseLangTest, QueryParameterThenAcceptLanguageThenEnglish) {
  struct Case {
    const char* param;
    const char* header;
    Lang want;
  };
  for (auto [param, header, want] : {
           Case{"", "", Lang::kEn},
           Case{"", "es", Lang::kEs},
           Case{"", "es-MX,es;q=0.9,en;q=0.8", Lang::kEs},
           Case{"", "ES-419", Lang::kEs},
           Case{"", "en-US,en;q=0.9,es;q=0.8", Lang::kEn},
           Case{"", "en;q=0.5, es;q=0.9", Lang::kEs},
           Case{"", "fr-FR, es;q=0.3, en;q=0.2", *Lang::Find("fr")},
           Case{"", "de, es;q=0.3, en;q=0.2", Lang::kEs},
           Case{"", "de, nl", Lang::kEn},
           Case{"", "zh-CN,zh;q=0.9", *Lang::Find("zh-Hans")},
           Case{"", "zh-TW", *Lang::Find("zh-Hans")},  // the Chinese there is
           Case{"", "pt-PT", *Lang::Find("pt")},
           Case{"", "ht", *Lang::Find("ht")},
           Case{"", "ar-EG,ar;q=0.9", *Lang::Find("ar")},
           Case{"", "ru", *Lang::Find("ru")},
           Case{"", "vi-VN", *Lang::Find("vi")},
           Case{"", "es;q=0", Lang::kEn},
           Case{"", "es;q=0.000, en;q=0.001", Lang::kEn},
           Case{"", "es;q=1.0", Lang::kEs},
           Case{"", "estonian", Lang::kEn},            // not a language range of Spanish
           Case{"", "es;q=0.5, en;q=0.5", Lang::kEs},  // tie: the first listed
           Case{"", ",,;;q=,es;q=abc", Lang::kEs},     // malformed q counts as 1
           Case{"es", "en", Lang::kEs},
           Case{"en", "es", Lang::kEn},
           Case{"fr", "es", *Lang::Find("fr")},
           Case{"zh-Hans", "es", *Lang::Find("zh-Hans")},
           Case{"xx", "es", Lang::kEs},
           Case{"ES", "", Lang::kEn},
       }) {
    EXPECT_EQ(ChooseLang(param, header), want)
        << "lang=" << param << " Accept-Language: " << header;
  }
}

TEST(HtmlEscapeTest, EscapesMarkupAndQuotes) {
  EXPECT_EQ(HtmlEscape(R"(<a href="x" title='y'>&amp;</a>)"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("María José"), "María José");
}

TEST(WebI18nTest, EveryMessageExistsInBothLanguagesAndDiffers) {
  for (int i = 0; i < static_cast<int>(Msg::kCount); ++i) {
    auto msg = static_cast<Msg>(i);
    EXPECT_FALSE(Text(Lang::kEn, msg).empty()) << i;
    EXPECT_FALSE(Text(Lang::kEs, msg).empty()) << i;
  }
  EXPECT_EQ(FormatDate(Lang::kEn, std::chrono::year{2026} / 11 / 1), "November 1, 2026");
  EXPECT_EQ(FormatDate(Lang::kEs, std::chrono::year{2026} / 11 / 1), "1 de noviembre de 2026");
}

TEST(WebI18nTest, CountryNamesComeFromIcuSortedInThePageLanguage) {
  CountryNames names;
  std::vector<std::string> common;
  for (const auto& c : names.Common(Lang::kEs)) common.push_back(c.code);
  EXPECT_EQ(common, (std::vector<std::string>{"MX", "GT", "HN", "SV"}));
  EXPECT_EQ(names.NameOf(Lang::kEs, "MX"), "México");
  EXPECT_EQ(names.NameOf(Lang::kEn, "MX"), "Mexico");
  EXPECT_EQ(names.NameOf(Lang::kEs, "DE"), "Alemania");
  EXPECT_EQ(names.NameOf(Lang::kEn, "ZZ"), "ZZ");
  EXPECT_EQ(names.Common(Lang::kEn).size() + names.Others(Lang::kEn).size(), 249u);
  // Sorted by the language's collation: "Perú" between "Paraguay" and "Polonia".
  std::vector<std::string> es;
  for (const auto& c : names.Others(Lang::kEs)) es.push_back(c.name);
  auto pos = [&](const std::string& name) {
    return std::find(es.begin(), es.end(), name) - es.begin();
  };
  EXPECT_LT(pos("Paraguay"), pos("Perú"));
  EXPECT_LT(pos("Perú"), pos("Polonia"));
  EXPECT_LT(pos("Emiratos Árabes Unidos"), pos("Eritrea"));
  EXPECT_LT(pos("Islas Åland"), pos("Islas Caimán"));
  EXPECT_EQ(pos("México"), static_cast<long>(es.size()));  // in Common, not repeated
}

TEST_F(WebPagesTest, SearchPageInEnglishAndSpanish) {
  struct Case {
    std::string target, accept_language, lang, h1, switch_href;
  };
  for (const auto& c : {
           Case{"/", "", "en", "Find a person in immigration custody", "/?lang=es"},
           Case{"/", "es-MX,es;q=0.9,en;q=0.8", "es",
                "Buscar a una persona bajo custodia migratoria", "/?lang=en"},
           Case{"/?lang=es", "en-US", "es", "Buscar a una persona bajo custodia migratoria",
                "/?lang=en"},
           Case{"/?lang=en", "es", "en", "Find a person in immigration custody", "/?lang=es"},
       }) {
    auto res = Get(c.target, c.accept_language);
    SCOPED_TRACE(c.target + " " + c.accept_language);
    ASSERT_EQ(res.result(), bhttp::status::ok);
    EXPECT_EQ(res[bhttp::field::content_type], "text/html; charset=utf-8");
    EXPECT_EQ(res[bhttp::field::content_language], c.lang);
    EXPECT_EQ(res["Content-Security-Policy"],
              "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self'; "
              "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    EXPECT_EQ(res["Referrer-Policy"], "no-referrer");
    EXPECT_EQ(res[bhttp::field::cache_control], "no-store");
    const std::string& body = res.body();
    EXPECT_EQ(body.rfind("<!doctype html>\n<html lang=\"" + c.lang + "\" dir=\"ltr\">", 0), 0u);
    EXPECT_TRUE(Has(res, "<h1>" + c.h1 + "</h1>"));
    EXPECT_TRUE(Has(res, "<title>" + c.h1 + " — vigil</title>"));
    EXPECT_TRUE(
        Has(res, "<a href=\"" + c.switch_href + "\" lang=\"" + c.switch_href.substr(7) + "\""));
    EXPECT_TRUE(Has(res, c.lang == "es"
                             ? "Si está en peligro, llame al <a href=\"tel:911\">911</a>."
                             : "If you are in danger, call <a href=\"tel:911\">911</a>."));
    EXPECT_TRUE(Has(res, "<a href=\"tel:+18007997233\">1-800-799-7233</a>"));
    EXPECT_TRUE(Has(res, c.lang == "es" ? "nunca muestra a personas cuya identidad está protegida"
                                        : "never shows people whose identity the law protects"));
    // Both forms, to /search, with the page language kept.
    std::regex form(
        R"re(<form class="search" method="get" action="/search">\n<input type="hidden" name="lang" value="(\w+)">)re");
    auto forms =
        std::distance(std::sregex_iterator(body.begin(), body.end(), form), std::sregex_iterator());
    EXPECT_EQ(forms, 2);
    EXPECT_TRUE(Has(res, "<input type=\"hidden\" name=\"lang\" value=\"" + c.lang + "\">"));
    EXPECT_TRUE(Has(res, c.lang == "es" ? "<option value=\"MX\">México</option>"
                                        : "<option value=\"MX\">Mexico</option>"));
  }
}

TEST_F(WebPagesTest, FormLimitsAreTheApiLimits) {
  auto res = Get("/", "");
  ASSERT_EQ(res.result(), bhttp::status::ok);
  const std::string names = "maxlength=\"" + std::to_string(kMaxNameQueryChars) + "\"";
  for (const char* field : {"given_name", "family_name"}) {
    std::regex input("<input type=\"text\" id=\"" + std::string(field) + "\"[^>]*" + names);
    EXPECT_TRUE(std::regex_search(res.body(), input)) << field;
  }
  std::regex a_number("<input type=\"text\" id=\"a_number\"[^>]*maxlength=\"" +
                      std::to_string(kMaxANumberQueryChars) + "\"");
  EXPECT_TRUE(std::regex_search(res.body(), a_number));
}

TEST_F(WebPagesTest, EveryPageHasTheAccessibleSkeleton) {
  const std::vector<std::string> targets = {
      "/",
      "/?lang=es",
      ANumberTarget("200000001", "MX"),
      ANumberTarget("299999999", "MX"),
      "/search?lang=es&a_number=12&country_of_birth=MX",
      "/search?given_name=%ZZ",
  };
  std::regex control(R"re(<(input|select) (type="text" )?id="([^"]+)")re");
  for (const auto& target : targets) {
    SCOPED_TRACE(target);
    auto res = Get(target);
    const std::string& body = res.body();
    auto count = [&](const std::string& s) {
      size_t n = 0;
      for (size_t at = 0; (at = body.find(s, at)) != std::string::npos; ++at) ++n;
      return n;
    };
    EXPECT_EQ(count("<h1>"), 1u);
    EXPECT_EQ(count("<title>"), 1u);
    EXPECT_EQ(count("<main id=\"main\""), 1u);
    EXPECT_EQ(count("<header>"), 1u);
    EXPECT_EQ(count("<footer>"), 1u);
    EXPECT_EQ(count("<a class=\"skip\" href=\"#main\">"), 1u);
    EXPECT_GE(count(":focus"), 1u);  // a visible focus style
    // One same-origin script (the quick exit, which the page works
    // without); no external resource of any kind. The one outside address
    // is where "Leave this site" goes.
    EXPECT_EQ(count("<script"), 1u);
    EXPECT_EQ(count("<script src=\"/quick-exit.js\" defer></script>"), 1u);
    EXPECT_EQ(count("src="), 1u);
    EXPECT_EQ(count("http://"), 0u);
    EXPECT_EQ(count("https://"), 1u);
    EXPECT_EQ(count("<a class=\"exit\" id=\"quick-exit\" href=\"https://www.weather.gov/\""), 1u);
    // Every visible control has its label, and ids are unique.
    std::set<std::string> ids;
    for (auto it = std::sregex_iterator(body.begin(), body.end(), control);
         it != std::sregex_iterator(); ++it) {
      std::string id = (*it)[3];
      EXPECT_TRUE(ids.insert(id).second) << "duplicate id " << id;
      EXPECT_EQ(count("<label for=\"" + id + "\">"), 1u) << id;
    }
    EXPECT_GE(ids.size(), 6u);
  }
}

TEST_F(WebPagesTest, ResultsStateTheBasisInPlainWords) {
  struct Case {
    const char* a_number;
    const char* country;
    const char* lang;
    std::vector<std::string> shown;
  };
  for (const auto& c : std::vector<Case>{
           {"200000001",
            "MX",
            "en",
            {"<h3>María José Hernández Ávila</h3>", "<dd>1988</dd>", "<dd>Mexico</dd>",
             "<dd>In custody</dd>",
             "Held for a civil immigration matter — not charged with a crime",
             "Adelanto ICE Processing Center<br>Adelanto, CA",
             "<a href=\"tel:+17605550100\">(760) 555-0100</a>",
             "<time datetime=\"2026-08-01\">August 1, 2026</time>", "1 person found"}},
           {"200000001",
            "MX",
            "es",
            {"<dd>México</dd>", "<dd>Bajo custodia</dd>",
             "Detenido por un asunto migratorio civil — sin cargos penales",
             "<time datetime=\"2026-08-01\">1 de agosto de 2026</time>", "Se encontró 1 persona",
             "Última actualización", "Motivo de la custodia"}},
           {"200000002", "GT", "en", {"<dd>Guatemala</dd>", "Charged with a crime, not convicted"}},
           {"200000002", "GT", "es", {"Acusado de un delito, sin condena"}},
           {"200000003", "HN", "en", {"<dd>Honduras</dd>", "Convicted of a crime"}},
           {"200000003", "HN", "es", {"Condenado por un delito"}},
           {"200000005",
            "SV",
            "en",
            {"<h3>Óscar Méndez Ruiz</h3>", "<dd>Released from custody</dd>", "El Salvador",
             "November 12, 2026"}},
       }) {
    std::string target = ANumberTarget(c.a_number, c.country);
    target.replace(target.find("lang=en"), 7, std::string("lang=") + c.lang);
    auto res = Get(target);
    SCOPED_TRACE(target);
    ASSERT_EQ(res.result(), bhttp::status::ok);
    EXPECT_EQ(res[bhttp::field::content_language], c.lang);
    for (const auto& s : c.shown) EXPECT_TRUE(Has(res, s)) << s << "\n" << res.body();
    // Minimum disclosure (§2.6): never the full date of birth nor the facility's id.
    EXPECT_FALSE(Has(res, "1988-03-14"));
    EXPECT_FALSE(Has(res, ">ADL<"));
  }
  // The released person's facility is not shown.
  EXPECT_FALSE(Has(Get(ANumberTarget("200000005", "SV")), "Adelanto ICE"));
  // The language switch keeps the search.
  auto res = Get(ANumberTarget("200000001", "MX"));
  EXPECT_TRUE(Has(res,
                  "<a href=\"/search?a_number=A200000001&amp;country_of_birth=MX&amp;lang=es\" "
                  "lang=\"es\" hreflang=\"es\">Español</a>"));
  // And the form shows what was typed.
  EXPECT_TRUE(Has(res, "name=\"a_number\" value=\"A200000001\""));
  EXPECT_TRUE(Has(res, "<option value=\"MX\" selected>"));
}

TEST_F(WebPagesTest, EverythingInterpolatedIsEscaped) {
  auto res = Get(ANumberTarget("200000004", "SV"));
  ASSERT_EQ(res.result(), bhttp::status::ok);
  EXPECT_TRUE(Has(res,
                  "<h3>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; O&#39;Neil &amp; "
                  "&quot;Sons&quot;</h3>"))
      << res.body();
  EXPECT_TRUE(Has(res, "Casa &lt;b&gt;Esperanza&lt;/b&gt; &amp; &quot;Sur&quot;<br>El Paso, TX"));
  EXPECT_FALSE(Has(res, "<script>"));
  EXPECT_FALSE(Has(res, "alert('x')"));
  EXPECT_FALSE(Has(res, "<b>"));
  // What the visitor typed comes back inert, in the form and in the switch link.
  auto typed = Get(NameTarget("Ma\"><i>x</i>", "Sm'ith<", "MX"));
  EXPECT_EQ(typed.result(), bhttp::status::ok);
  EXPECT_TRUE(Has(typed, "value=\"Ma&quot;&gt;&lt;i&gt;x&lt;/i&gt;\""));
  EXPECT_TRUE(Has(typed, "value=\"Sm&#39;ith&lt;\""));
  EXPECT_TRUE(Has(typed, "given_name=Ma%22%3E%3Ci%3Ex%3C%2Fi%3E"));
  EXPECT_FALSE(Has(typed, "<i>"));
}

TEST_F(WebPagesTest, RefusedSearchesReRenderTheFormWith400) {
  struct Case {
    std::string target;
    std::string field_id;  // "" = the whole page
    std::string message;
  };
  const std::string name = "/search?lang=en&given_name=Rosa&family_name=Quintanilla";
  for (const auto& c : std::vector<Case>{
           {"/search?lang=en&given_name=R&family_name=Quintanilla&country_of_birth=GT",
            "given_name", "Type at least two letters of the given name."},
           {"/search?lang=es&given_name=Rosa&family_name=%25&country_of_birth=GT", "family_name",
            "Escriba al menos dos letras del apellido."},
           {name + "&country_of_birth=", "name-country", "Choose the country of birth."},
           {name + "&country_of_birth=XX", "name-country", "Choose the country of birth."},
           {name + "&country_of_birth=GT&birth_year=3000", "birth_year",
            "The year of birth must be between 1900 and 2026, or left empty."},
           {"/search?lang=es&a_number=12&country_of_birth=MX", "a_number",
            "Revise el número A: tiene 8 o 9 dígitos"},
           {"/search?lang=en&a_number=&country_of_birth=MX", "a_number", "Check the A-number"},
           {"/search?lang=en&a_number=A200000001&country_of_birth=", "anumber-country",
            "Choose the country of birth."},
           {name + "&country_of_birth=MX&name=Rosa", "",
            "We could not search with what was typed."},
           {"/search?lang=en&given_name=%ZZ", "", "We could not search with what was typed."},
           {"/search?lang=en&country_of_birth=MX", "given_name",
            "Type at least two letters of the given name."},
       }) {
    SCOPED_TRACE(c.target);
    auto res = Get(c.target);
    EXPECT_EQ(res.result(), bhttp::status::bad_request);
    EXPECT_EQ(res[bhttp::field::content_type], "text/html; charset=utf-8");
    EXPECT_TRUE(Has(res, "role=\"alert\">" + c.message)) << res.body();
    EXPECT_TRUE(Has(res, "<title>Error: ")) << res.body();
    const std::string& body = res.body();
    size_t alerts = 0;
    for (size_t at = 0; (at = body.find("role=\"alert\"", at)) != std::string::npos; ++at) ++alerts;
    EXPECT_EQ(alerts, 1u);
    if (!c.field_id.empty()) {
      // The summary at the top of the page leads to the field.
      EXPECT_TRUE(Has(res, "<p><a href=\"#" + c.field_id + "\">" + c.message)) << res.body();
      std::regex invalid(
          "id=\"" + c.field_id +
          "\"[^>]*aria-describedby=\"[^\"]*(name|anumber)-error\" aria-invalid=\"true\"");
      EXPECT_TRUE(std::regex_search(res.body(), invalid)) << res.body();
    }
  }
  // Nothing asked is the search page, not an error; an unreadable query keeps
  // only the language in the link to the other one.
  auto empty = Get("/search?lang=es");
  EXPECT_EQ(empty.result(), bhttp::status::ok);
  EXPECT_TRUE(Has(empty, "<h1>Buscar a una persona bajo custodia migratoria</h1>"));
  EXPECT_FALSE(Has(empty, "role=\"alert\""));
  EXPECT_TRUE(Has(Get("/search?lang=es&given_name=%ZZ"), "<a href=\"/?lang=en\" lang=\"en\""));
  // An empty optional field is not an error.
  auto res = Get(NameTarget("María José", "Hernández Ávila", "MX"));
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_TRUE(Has(res, "<h3>María José Hernández Ávila</h3>"));
  // What was typed stays in the form that failed.
  auto failed = Get("/search?lang=en&given_name=R&family_name=Quintanilla&country_of_birth=GT");
  EXPECT_TRUE(Has(failed, "name=\"family_name\" value=\"Quintanilla\""));
  EXPECT_TRUE(Has(failed, "<option value=\"GT\" selected>"));
}

TEST_F(WebPagesTest, RateLimitedSearchesGet429WithRetryAfter) {
  http::RateLimiter limiter(2, &clock_);
  World limited(dir_.File("limited.db"), &clock_, refs_.get(), Feed(false), &limiter);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(limited.Get(ANumberTarget("200000001", "MX"), "", "10.0.0.1").result(),
              bhttp::status::ok);
  }
  auto res = limited.Get("/search?lang=es&a_number=200000001&country_of_birth=MX", "", "10.0.0.1");
  EXPECT_EQ(res.result(), bhttp::status::too_many_requests);
  EXPECT_EQ(res[bhttp::field::retry_after], "30");
  EXPECT_EQ(res[bhttp::field::content_language], "es");
  EXPECT_TRUE(Has(res, "<h1>Demasiadas búsquedas</h1>"));
  EXPECT_TRUE(Has(res, "aproximadamente 1 minuto"));
  EXPECT_TRUE(Has(res, "llame al <a href=\"tel:911\">911</a>"));
  // The search page itself is not limited.
  EXPECT_EQ(limited.Get("/", "", "10.0.0.1").result(), bhttp::status::ok);
}

// §2.3 through the HTML pages. A results page shows the visitor's own query
// back in its form (so they can correct it) and in the language link, so a
// page for "Guadalupe Xiloj" can never equal a page for some other name.
// The comparison that means something is therefore between two worlds that
// differ only in the withheld person: the same request, answered once by a
// store holding everyone and once by a store in which the withheld people
// were never imported, must give the same status, headers (but the request
// id) and body, byte for byte. Visible people are found in the same pages,
// so the test would fail if the pages showed no one.
TEST_F(WebPagesTest, WithheldPeopleLookExactlyLikePeopleWhoDoNotExist) {
  World absent(dir_.File("absent.db"), &clock_, refs_.get(), Feed(false));
  int withheld = 0, visible = 0;
  for (const Planted& p : People()) {
    std::vector<std::string> targets = {ANumberTarget(p.a_number, p.country)};
    std::vector<std::string> kinds = {"A-number"};
    if (p.name_variants) {
      for (const auto& [kind, q] : Variants(p)) {
        targets.push_back(NameTarget(q.first, q.second, p.country));
        kinds.push_back(kind);
      }
      targets.push_back(NameTarget(p.given, p.family, p.country, p.dob.substr(0, 4)));
      kinds.push_back("exact with year");
    }
    for (size_t i = 0; i < targets.size(); ++i) {
      for (const char* lang : {"en", "es"}) {
        std::string target = targets[i];
        target.replace(target.find("lang=en"), 7, std::string("lang=") + lang);
        auto all = Get(target);
        if (p.visible) {
          EXPECT_EQ(all.result(), bhttp::status::ok) << target;
          EXPECT_TRUE(Has(all, "<h3>" + HtmlEscape(p.given + " " + p.family) + "</h3>"))
              << p.given << " " << p.family << " not found by " << kinds[i] << " (" << lang << ")";
          ++visible;
        } else {
          EXPECT_EQ(Observable(all), Observable(absent.Get(target)))
              << p.given << " " << p.family << " leaked by " << kinds[i] << " (" << lang << ")";
          EXPECT_TRUE(Has(all, lang == std::string("en")
                                   ? "<h2 id=\"results\">No one found</h2>"
                                   : "<h2 id=\"results\">No se encontró a nadie</h2>"));
          ++withheld;
        }
      }
    }
  }
  EXPECT_EQ(withheld, 8 * 8 * 2);
  EXPECT_EQ(visible, (4 * 8 + 1) * 2);
}

}  // namespace
}  // namespace vigil::api
