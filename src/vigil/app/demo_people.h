// Inside `vigil demo-data` (demo_data.h): the people, each a pure function
// of (seed, subject). Included only by demo_data.cc.
#ifndef VIGIL_APP_DEMO_PEOPLE_H_
#define VIGIL_APP_DEMO_PEOPLE_H_

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/app/demo_kit.h"
#include "vigil/app/demo_names.h"

namespace vigil::demo_detail {

// ---------------------------------------------------------------------------
// People: identity (who they are) is a pure function of (seed, subject), so
// the writer regenerates it for every event instead of keeping it in memory.

enum ProtectionBit : uint8_t {
  kSec1367 = 1,
  kAsylum = 2,
  kJuvenile = 4,
};

struct PoolTables {
  const NamePool* pool;
  WeightedTable male, female, family;
  bool has_native_script;
};

// A-numbers are an affine permutation of subject indexes modulo a prime, so
// they are unique without remembering which have been used.
inline constexpr uint64_t kANumberBase = 10'000'000;    // lowest: 010000000
inline constexpr uint64_t kANumberPrime = 989'999'993;  // highest: base + prime - 1 < 10^9

struct AgeBand {
  int low, high;
  uint32_t weight;
};
inline constexpr AgeBand kAdultAges[] = {
    {18, 24, 22}, {25, 34, 35}, {35, 44, 24}, {45, 54, 12}, {55, 64, 5}, {65, 80, 2},
};

// Everything about one person that the feed repeats on each of their events.
struct Identity {
  std::string subject_json;             // the "subject" object
  std::string protections_json;         // the "protections" array
  std::chrono::sys_days date_of_birth;  // the true date, even when written partially
  bool minor = false;
};

class PeopleGenerator {
 public:
  PeopleGenerator(uint64_t seed, std::chrono::sys_days as_of) : seed_(seed), as_of_(as_of) {
    std::span<const CountryProfile> countries = demo::Countries();
    country_table_ = WeightedTable(countries, [](const CountryProfile& c) { return c.weight; });
    adult_age_table_ = WeightedTable(kAdultAges, [](const AgeBand& b) { return b.weight; });
    auto weight = [](const NameEntry& e) { return e.weight; };
    for (int s = 0; s <= static_cast<int>(NameStyle::kTurkish); ++s) {
      const NamePool& pool = demo::Pool(static_cast<NameStyle>(s));
      bool native = std::any_of(pool.family.begin(), pool.family.end(),
                                [](const NameEntry& e) { return !e.latin.empty(); });
      pools_.push_back(PoolTables{&pool, WeightedTable(pool.male_given, weight),
                                  WeightedTable(pool.female_given, weight),
                                  WeightedTable(pool.family, weight), native});
    }
    Rng rng(StreamSeed(seed, Stream::kANumbers, 0));
    a_number_multiplier_ = 1 + rng.Below(kANumberPrime - 1);
    a_number_offset_ = rng.Below(kANumberPrime);
  }

  void Generate(uint32_t subject, Identity* out) const;

 private:
  // The chosen name parts of a person, before rendering.
  struct Name {
    NameStyle style;
    const NameEntry* given[2] = {nullptr, nullptr};
    const NameEntry* family[2] = {nullptr, nullptr};
    int given_count = 0;
    int family_count = 0;
    bool native = false;   // written in the pool's own script
    bool swapped = false;  // given and family written in each other's field
    bool han = false;      // Chinese characters: no spaces, family first
  };

  static std::string_view Render(const NameEntry* e, bool native) {
    return native || e->latin.empty() ? e->text : e->latin;
  }
  static std::string JoinParts(const NameEntry* const* parts, int count, bool native,
                               std::string_view separator) {
    std::string out;
    for (int i = 0; i < count; ++i) {
      if (i > 0) out.append(separator);
      out.append(Render(parts[i], native));
    }
    return out;
  }
  static std::string GivenText(const Name& n) {
    return JoinParts(n.given, n.given_count, n.native, n.han ? "" : " ");
  }
  static std::string FamilyText(const Name& n) {
    return JoinParts(n.family, n.family_count, n.native, n.han ? "" : " ");
  }
  // "given family", or for Chinese characters "familygiven".
  static std::string FullName(const Name& n) {
    if (n.han) return FamilyText(n) + GivenText(n);
    return GivenText(n) + " " + FamilyText(n);
  }

  void PickName(Rng& rng, const CountryProfile& country, bool male, Name* name) const;
  std::string Alias(Rng& rng, const Name& name, int kind) const;

  uint64_t seed_;
  std::chrono::sys_days as_of_;
  WeightedTable country_table_;
  WeightedTable adult_age_table_;
  std::vector<PoolTables> pools_;
  uint64_t a_number_multiplier_ = 1;
  uint64_t a_number_offset_ = 0;
};

inline void PeopleGenerator::PickName(Rng& rng, const CountryProfile& country, bool male,
                                      Name* name) const {
  const PoolTables& t = pools_[static_cast<size_t>(country.style)];
  const NamePool& pool = *t.pool;
  name->style = country.style;
  name->native = t.has_native_script && rng.PerMille(country.native_script_per_mille);

  auto pick_given = [&]() -> const NameEntry* {
    return male ? &pool.male_given[t.male.Pick(rng)] : &pool.female_given[t.female.Pick(rng)];
  };
  auto pick_family = [&]() -> const NameEntry* {
    size_t i = t.family.Pick(rng);
    return !male && !pool.female_family.empty() ? &pool.female_family[i] : &pool.family[i];
  };

  name->given[0] = pick_given();
  name->given_count = 1;
  uint32_t second_given_per_mille = 0;
  switch (country.style) {
    case NameStyle::kHispanic:
    case NameStyle::kGuatemalan:
      second_given_per_mille = 350;
      break;
    case NameStyle::kBrazilian:
      second_given_per_mille = 250;
      break;
    case NameStyle::kHaitian:
    case NameStyle::kNigerian:
      second_given_per_mille = 120;
      break;
    default:
      break;
  }
  // Only single-word entries get a second given name ("María José" stays as is).
  if (name->given[0]->text.find(' ') == std::string_view::npos &&
      rng.PerMille(second_given_per_mille)) {
    const NameEntry* second = pick_given();
    if (second != name->given[0] && second->text.find(' ') == std::string_view::npos) {
      name->given[1] = second;
      name->given_count = 2;
    }
  }

  name->family[0] = pick_family();
  name->family_count = 1;
  uint32_t second_family_per_mille = 0;
  switch (country.style) {
    case NameStyle::kHispanic:
    case NameStyle::kGuatemalan:
      second_family_per_mille = 900;  // paternal + maternal
      break;
    case NameStyle::kBrazilian:
      second_family_per_mille = 600;
      break;
    default:
      break;
  }
  if (rng.PerMille(second_family_per_mille)) {
    const NameEntry* second = pick_family();
    if (second->text != name->family[0]->text) {
      name->family[1] = second;
      name->family_count = 2;
    }
  }

  if (country.style == NameStyle::kChinese) {
    if (name->native) {
      name->han = true;
    } else {
      // Romanised Chinese names reach records in either order.
      name->swapped = rng.PerMille(150);
    }
  }
}

// kind 0: spelling variant; 1: familiar form; 2: order swapped; 3: other script.
inline std::string PeopleGenerator::Alias(Rng& rng, const Name& name, int kind) const {
  const PoolTables& t = pools_[static_cast<size_t>(name.style)];
  if (name.han) {
    // Recorded also in Pinyin, in either order, or as one string.
    Name latin = name;
    latin.native = false;
    latin.han = false;
    switch (rng.Below(3)) {
      case 0:
        return FamilyText(latin) + " " + GivenText(latin);
      case 1:
        return GivenText(latin) + " " + FamilyText(latin);
      default:
        return FullName(name);
    }
  }
  if (kind == 3) {
    if (!t.has_native_script) {
      kind = 0;
    } else {
      Name other = name;
      other.native = !name.native;
      other.han = other.native && name.style == NameStyle::kChinese;
      return FullName(other);
    }
  }
  if (kind == 1) {
    std::string_view first = Render(name.given[0], name.native);
    std::vector<std::string_view> forms;
    for (const NameVariant& v : demo::Hypocorisms()) {
      if (v.name == first) forms.push_back(v.variant);
    }
    if (!forms.empty()) {
      std::string out(forms[rng.Below(forms.size())]);
      out += ' ';
      out += FamilyText(name);
      return out;
    }
    kind = 0;
  }
  if (kind == 0) {
    // A listed variant spelling of one part of the name.
    struct Candidate {
      bool given;
      int index;
      std::string_view variant;
    };
    std::vector<Candidate> candidates;
    for (int g = 0; g < 2; ++g) {
      const NameEntry* const* parts = g == 0 ? name.given : name.family;
      int count = g == 0 ? name.given_count : name.family_count;
      for (int i = 0; i < count; ++i) {
        std::string_view text = Render(parts[i], name.native);
        for (const NameVariant& v : demo::SpellingVariants()) {
          if (v.name == text) candidates.push_back({g == 0, i, v.variant});
        }
      }
    }
    if (!candidates.empty()) {
      const Candidate& c = candidates[rng.Below(candidates.size())];
      std::string given, family;
      for (int i = 0; i < name.given_count; ++i) {
        if (i > 0) given += ' ';
        given.append(c.given && c.index == i ? c.variant : Render(name.given[i], name.native));
      }
      for (int i = 0; i < name.family_count; ++i) {
        if (i > 0) family += ' ';
        family.append(!c.given && c.index == i ? c.variant : Render(name.family[i], name.native));
      }
      return given + " " + family;
    }
    std::string full = FullName(name);
    std::string folded = FoldToAscii(full);
    if (folded != full) return folded;
    // Only the paternal surname ("José García" for "José García López").
    if (name.family_count == 2) {
      std::string out = GivenText(name);
      out += ' ';
      out.append(Render(name.family[0], name.native));
      return out;
    }
  }
  return FamilyText(name) + " " + GivenText(name);
}

inline void PeopleGenerator::Generate(uint32_t subject, Identity* out) const {
  Rng rng(StreamSeed(seed_, Stream::kIdentity, subject));
  std::span<const CountryProfile> countries = demo::Countries();
  const CountryProfile& country = countries[country_table_.Pick(rng)];

  // Age on as_of, then a date of birth that gives exactly that age.
  out->minor = rng.Per10k(150);
  int age;
  if (out->minor) {
    age = static_cast<int>(rng.Below(18));
  } else {
    const AgeBand& band = kAdultAges[adult_age_table_.Pick(rng)];
    age = static_cast<int>(rng.Between(band.low, band.high));
  }
  using std::chrono::days;
  using std::chrono::sys_days;
  using std::chrono::year_month_day;
  using std::chrono::years;
  year_month_day today(as_of_);
  auto years_before = [&](int n) {
    year_month_day d{today.year() - years(n), today.month(), today.day()};
    if (!d.ok())
      d = std::chrono::year_month_day_last(d.year(), std::chrono::month_day_last(d.month()));
    return sys_days(d);
  };
  sys_days latest = years_before(age);
  sys_days earliest = years_before(age + 1) + days(1);
  // A newborn is at least a month old, so that it can have been booked.
  if (age == 0) latest = as_of_ - days(30);
  out->date_of_birth =
      earliest + days(rng.Below(static_cast<uint64_t>((latest - earliest).count() + 1)));

  bool male = rng.PerMille(out->minor ? 550 : 850);
  Name name;
  PickName(rng, country, male, &name);

  uint8_t protections = 0;
  bool protected_person = true;
  if (out->minor) {
    if (rng.PerMille(500)) {
      protections |= kJuvenile;
    } else {
      protected_person = false;  // left for the age rules to suppress
    }
  }
  if (protected_person && rng.Per10k(200)) {
    uint64_t r = rng.Below(100);
    protections |= r < 45 ? kSec1367 : r < 90 ? kAsylum : (kSec1367 | kAsylum);
  }

  uint64_t a_number =
      kANumberBase + (a_number_multiplier_ * subject + a_number_offset_) % kANumberPrime;
  uint64_t a_form = rng.Below(100);

  int alias_count = 0;
  if (rng.PerMille(100)) alias_count = rng.PerMille(150) ? 2 : 1;
  std::string full = FullName(name);
  std::vector<std::string> aliases;
  int previous_kind = -1;
  for (int i = 0; i < alias_count; ++i) {
    int kind;
    const PoolTables& t = pools_[static_cast<size_t>(name.style)];
    if (t.has_native_script && rng.PerMille(500)) {
      kind = 3;
    } else {
      uint64_t r = rng.Below(100);
      kind = r < 40 ? 0 : r < 70 ? 1 : 2;
    }
    if (kind == previous_kind) kind = (kind + 1) % 3;
    previous_kind = kind;
    std::string alias = Alias(rng, name, kind);
    if (alias != full && std::find(aliases.begin(), aliases.end(), alias) == aliases.end()) {
      aliases.push_back(std::move(alias));
    }
  }

  uint64_t dob_form = rng.Below(1000);

  // Serialise.
  std::string& s = out->subject_json;
  s.clear();
  s.append(R"({"a_number":")");
  std::string digits;
  AppendPadded(digits, static_cast<int64_t>(a_number), 9);
  if (a_form < 80) {
    s.append(digits);
  } else if (a_form < 92) {
    s.push_back('A');
    s.append(digits);
  } else {
    s.append("A-");
    s.append(digits, 0, 3);
    s.push_back('-');
    s.append(digits, 3, 3);
    s.push_back('-');
    s.append(digits, 6, 3);
  }
  s.append(R"(","given_names":)");
  AppendJsonString(s, name.swapped ? FamilyText(name) : GivenText(name));
  s.append(R"(,"family_names":)");
  AppendJsonString(s, name.swapped ? GivenText(name) : FamilyText(name));
  s.append(R"(,"aliases":[)");
  for (size_t i = 0; i < aliases.size(); ++i) {
    if (i > 0) s.push_back(',');
    AppendJsonString(s, aliases[i]);
  }
  s.append(R"(],"date_of_birth":)");
  if (dob_form < 20) {
    s.append("null");
  } else {
    std::string dob;
    AppendDate(dob, out->date_of_birth);
    if (dob_form < 35) {
      dob.resize(4);  // "YYYY"
    } else if (dob_form < 50) {
      dob.resize(7);  // "YYYY-MM"
    }
    AppendJsonString(s, dob);
  }
  s.append(R"(,"country_of_birth":)");
  AppendJsonString(s, country.code);
  s.push_back('}');

  // Wire order follows vigil::Protection: sec1367, asylum, sealed, juvenile.
  std::string& p = out->protections_json;
  p = "[";
  auto add = [&](std::string_view text) {
    if (p.size() > 1) p.push_back(',');
    p.append(text);
  };
  if (protections & kSec1367) add(R"("sec1367")");
  if (protections & kAsylum) add(R"("asylum")");
  if (protections & kJuvenile) add(R"("juvenile")");
  p.push_back(']');
}

}  // namespace vigil::demo_detail

#endif  // VIGIL_APP_DEMO_PEOPLE_H_
