// The name and place lists behind the synthetic demo feed (app/demo_data.h).
//
// Everything here is constant data written for vigil: common given names and
// surnames per naming tradition, the countries of birth the demo draws from,
// familiar forms of given names, and invented places for facilities. No list
// describes a real person or a real facility. All functions return views of
// static storage that lives for the whole program; they are thread-safe.
//
// The order and weights of every list are part of the demo's determinism: the
// same seed gives the same feed only as long as these lists do not change.
#ifndef VIGIL_APP_DEMO_NAMES_H_
#define VIGIL_APP_DEMO_NAMES_H_

#include <cstdint>
#include <span>
#include <string_view>

namespace vigil::demo {

// One name as a record would write it.
struct NameEntry {
  std::string_view text;   // UTF-8, in the tradition's own script
  std::string_view latin;  // a Latin-script rendering when `text` is not Latin script, else empty
  uint32_t weight;         // relative frequency within its list (> 0)
};

// How a tradition composes a person's name.
enum class NameStyle {
  kHispanic,     // 1-2 given names; paternal + maternal surname ("García López")
  kGuatemalan,   // as kHispanic, with Mayan surnames among the Hispanic ones
  kBrazilian,    // 1-2 given names; 1-2 surnames ("Souza da Silva")
  kHaitian,      // French/Creole given names, one surname
  kIndian,       // Hindi/Punjabi names in Latin script, one surname
  kChinese,      // native script: Chinese characters; Latin rendering: Pinyin
  kVietnamese,   // family name; middle + given name ("Thị Hương")
  kRussian,      // native script: Cyrillic; family name has a feminine form
  kUkrainian,    // native script: Cyrillic; family name has a feminine form
  kArabic,       // native script: Arabic; Latin rendering as commonly transliterated
  kAfghan,       // Dari/Pashto names in Latin script
  kWestAfrican,  // francophone West Africa (SN, GN, ML, MR)
  kNigerian,     // anglophone West Africa (NG, GH)
  kRomanian,
  kTurkish,
};

struct NamePool {
  std::span<const NameEntry> male_given;
  std::span<const NameEntry> female_given;
  std::span<const NameEntry> family;
  // Feminine surname forms, index-aligned with `family`; empty when surnames
  // do not change with gender.
  std::span<const NameEntry> female_family;
};

// The pool for `style`.
const NamePool& Pool(NameStyle style);

struct CountryProfile {
  std::string_view code;  // ISO 3166-1 alpha-2
  uint32_t weight;        // people per 100000 born there
  NameStyle style;
  uint32_t native_script_per_mille;  // how often a name is written in the pool's native script
};

// Countries of birth in the demo population, weighted.
std::span<const CountryProfile> Countries();

// Another way a record may write a name: a familiar form ("José" -> "Pepe")
// or a variant spelling ("Mohammed" -> "Muhammad").
struct NameVariant {
  std::string_view name;
  std::string_view variant;
};

// Familiar forms of given names. A name may appear more than once.
std::span<const NameVariant> Hypocorisms();

// Variant spellings of given and family names. A name may appear more than once.
std::span<const NameVariant> SpellingVariants();

// An invented facility location.
struct FacilityPlace {
  std::string_view state;  // USPS code
  std::string_view city;
  std::string_view county;     // without the word "County" (or "Parish" in LA)
  std::string_view area_code;  // three digits, a real area code of the region
  uint32_t weight;             // how many facilities to expect there, relatively
};

std::span<const FacilityPlace> FacilityPlaces();

// Street names ("Industrial") and suffixes ("Parkway") for invented addresses.
std::span<const std::string_view> StreetNames();
std::span<const std::string_view> StreetSuffixes();

}  // namespace vigil::demo

#endif  // VIGIL_APP_DEMO_NAMES_H_
