#include "vigil/core/json_text.h"
#include "vigil/app/demo_data.h"

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

#include "vigil/app/demo_names.h"

namespace vigil {
namespace {

using demo::CountryProfile;
using demo::FacilityPlace;
using demo::NameEntry;
using demo::NamePool;
using demo::NameStyle;
using demo::NameVariant;

constexpr int kFacilityCount = 200;
constexpr int kWindowDays = 730;
constexpr int64_t kMinutesPerDay = 1440;
constexpr int64_t kProgressEvery = 10000;
constexpr size_t kFlushBytes = 1 << 20;

// ---------------------------------------------------------------------------
// Randomness. Everything is integer arithmetic on our own generator, so the
// output is the same with every compiler, standard library and platform.

// The SplitMix64 finaliser: a bijective 64-bit mix.
uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Independent streams: one per (purpose, subject), so a subject's identity
// can be regenerated without replaying anyone else's draws.
enum class Stream : uint64_t { kFacilities = 1, kANumbers = 2, kIdentity = 3, kLife = 4 };

uint64_t StreamSeed(uint64_t seed, Stream stream, uint64_t index) {
  return Mix64(Mix64(seed ^ Mix64(static_cast<uint64_t>(stream))) ^ Mix64(~index));
}

// SplitMix64 (Steele, Lea, Flood 2014).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n) for n > 0 (Lemire's multiply-and-reject, unbiased).
  uint64_t Below(uint64_t n) {
    unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < n) {
      uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(Next()) * n;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }

  // Uniform in [lo, hi], lo <= hi.
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }

  // True with probability per_mille / 1000.
  bool PerMille(uint32_t per_mille) { return Below(1000) < per_mille; }
  // True with probability per_10k / 10000.
  bool Per10k(uint32_t per_10k) { return Below(10000) < per_10k; }

 private:
  uint64_t state_;
};

// Picks an index with probability proportional to its weight.
class WeightedTable {
 public:
  WeightedTable() = default;
  template <typename Range, typename WeightOf>
  WeightedTable(const Range& items, WeightOf weight_of) {
    for (const auto& item : items) {
      total_ += weight_of(item);
      cumulative_.push_back(total_);
    }
  }

  size_t Pick(Rng& rng) const {
    uint64_t r = rng.Below(total_);
    return static_cast<size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), r) -
                               cumulative_.begin());
  }

 private:
  std::vector<uint64_t> cumulative_;
  uint64_t total_ = 0;
};

// ---------------------------------------------------------------------------
// Text helpers.

// Latin letters with diacritics and their plain ASCII forms: Latin-1,
// Latin Extended-A, Vietnamese horn letters, Romanian comma-below letters and
// the Vietnamese block of Latin Extended Additional. Sorted by code point.
struct AsciiFold {
  char32_t code_point;
  const char* ascii;
};
constexpr AsciiFold kAsciiFolds[] = {
    {0x00C0, "A"},  {0x00C1, "A"},  {0x00C2, "A"}, {0x00C3, "A"}, {0x00C4, "A"},  {0x00C5, "A"},
    {0x00C6, "AE"}, {0x00C7, "C"},  {0x00C8, "E"}, {0x00C9, "E"}, {0x00CA, "E"},  {0x00CB, "E"},
    {0x00CC, "I"},  {0x00CD, "I"},  {0x00CE, "I"}, {0x00CF, "I"}, {0x00D0, "D"},  {0x00D1, "N"},
    {0x00D2, "O"},  {0x00D3, "O"},  {0x00D4, "O"}, {0x00D5, "O"}, {0x00D6, "O"},  {0x00D8, "O"},
    {0x00D9, "U"},  {0x00DA, "U"},  {0x00DB, "U"}, {0x00DC, "U"}, {0x00DD, "Y"},  {0x00DE, "Th"},
    {0x00DF, "ss"}, {0x00E0, "a"},  {0x00E1, "a"}, {0x00E2, "a"}, {0x00E3, "a"},  {0x00E4, "a"},
    {0x00E5, "a"},  {0x00E6, "ae"}, {0x00E7, "c"}, {0x00E8, "e"}, {0x00E9, "e"},  {0x00EA, "e"},
    {0x00EB, "e"},  {0x00EC, "i"},  {0x00ED, "i"}, {0x00EE, "i"}, {0x00EF, "i"},  {0x00F0, "d"},
    {0x00F1, "n"},  {0x00F2, "o"},  {0x00F3, "o"}, {0x00F4, "o"}, {0x00F5, "o"},  {0x00F6, "o"},
    {0x00F8, "o"},  {0x00F9, "u"},  {0x00FA, "u"}, {0x00FB, "u"}, {0x00FC, "u"},  {0x00FD, "y"},
    {0x00FE, "th"}, {0x00FF, "y"},  {0x0100, "A"}, {0x0101, "a"}, {0x0102, "A"},  {0x0103, "a"},
    {0x0104, "A"},  {0x0105, "a"},  {0x0106, "C"}, {0x0107, "c"}, {0x0108, "C"},  {0x0109, "c"},
    {0x010A, "C"},  {0x010B, "c"},  {0x010C, "C"}, {0x010D, "c"}, {0x010E, "D"},  {0x010F, "d"},
    {0x0110, "D"},  {0x0111, "d"},  {0x0112, "E"}, {0x0113, "e"}, {0x0114, "E"},  {0x0115, "e"},
    {0x0116, "E"},  {0x0117, "e"},  {0x0118, "E"}, {0x0119, "e"}, {0x011A, "E"},  {0x011B, "e"},
    {0x011C, "G"},  {0x011D, "g"},  {0x011E, "G"}, {0x011F, "g"}, {0x0120, "G"},  {0x0121, "g"},
    {0x0122, "G"},  {0x0123, "g"},  {0x0124, "H"}, {0x0125, "h"}, {0x0126, "H"},  {0x0127, "h"},
    {0x0128, "I"},  {0x0129, "i"},  {0x012A, "I"}, {0x012B, "i"}, {0x012C, "I"},  {0x012D, "i"},
    {0x012E, "I"},  {0x012F, "i"},  {0x0130, "I"}, {0x0131, "i"}, {0x0132, "IJ"}, {0x0133, "ij"},
    {0x0134, "J"},  {0x0135, "j"},  {0x0136, "K"}, {0x0137, "k"}, {0x0138, "k"},  {0x0139, "L"},
    {0x013A, "l"},  {0x013B, "L"},  {0x013C, "l"}, {0x013D, "L"}, {0x013E, "l"},  {0x013F, "L"},
    {0x0140, "l"},  {0x0141, "L"},  {0x0142, "l"}, {0x0143, "N"}, {0x0144, "n"},  {0x0145, "N"},
    {0x0146, "n"},  {0x0147, "N"},  {0x0148, "n"}, {0x0149, "n"}, {0x014A, "N"},  {0x014B, "n"},
    {0x014C, "O"},  {0x014D, "o"},  {0x014E, "O"}, {0x014F, "o"}, {0x0150, "O"},  {0x0151, "o"},
    {0x0152, "OE"}, {0x0153, "oe"}, {0x0154, "R"}, {0x0155, "r"}, {0x0156, "R"},  {0x0157, "r"},
    {0x0158, "R"},  {0x0159, "r"},  {0x015A, "S"}, {0x015B, "s"}, {0x015C, "S"},  {0x015D, "s"},
    {0x015E, "S"},  {0x015F, "s"},  {0x0160, "S"}, {0x0161, "s"}, {0x0162, "T"},  {0x0163, "t"},
    {0x0164, "T"},  {0x0165, "t"},  {0x0166, "T"}, {0x0167, "t"}, {0x0168, "U"},  {0x0169, "u"},
    {0x016A, "U"},  {0x016B, "u"},  {0x016C, "U"}, {0x016D, "u"}, {0x016E, "U"},  {0x016F, "u"},
    {0x0170, "U"},  {0x0171, "u"},  {0x0172, "U"}, {0x0173, "u"}, {0x0174, "W"},  {0x0175, "w"},
    {0x0176, "Y"},  {0x0177, "y"},  {0x0178, "Y"}, {0x0179, "Z"}, {0x017A, "z"},  {0x017B, "Z"},
    {0x017C, "z"},  {0x017D, "Z"},  {0x017E, "z"}, {0x017F, "s"}, {0x01A0, "O"},  {0x01A1, "o"},
    {0x01AF, "U"},  {0x01B0, "u"},  {0x0218, "S"}, {0x0219, "s"}, {0x021A, "T"},  {0x021B, "t"},
    {0x1EA0, "A"},  {0x1EA1, "a"},  {0x1EA2, "A"}, {0x1EA3, "a"}, {0x1EA4, "A"},  {0x1EA5, "a"},
    {0x1EA6, "A"},  {0x1EA7, "a"},  {0x1EA8, "A"}, {0x1EA9, "a"}, {0x1EAA, "A"},  {0x1EAB, "a"},
    {0x1EAC, "A"},  {0x1EAD, "a"},  {0x1EAE, "A"}, {0x1EAF, "a"}, {0x1EB0, "A"},  {0x1EB1, "a"},
    {0x1EB2, "A"},  {0x1EB3, "a"},  {0x1EB4, "A"}, {0x1EB5, "a"}, {0x1EB6, "A"},  {0x1EB7, "a"},
    {0x1EB8, "E"},  {0x1EB9, "e"},  {0x1EBA, "E"}, {0x1EBB, "e"}, {0x1EBC, "E"},  {0x1EBD, "e"},
    {0x1EBE, "E"},  {0x1EBF, "e"},  {0x1EC0, "E"}, {0x1EC1, "e"}, {0x1EC2, "E"},  {0x1EC3, "e"},
    {0x1EC4, "E"},  {0x1EC5, "e"},  {0x1EC6, "E"}, {0x1EC7, "e"}, {0x1EC8, "I"},  {0x1EC9, "i"},
    {0x1ECA, "I"},  {0x1ECB, "i"},  {0x1ECC, "O"}, {0x1ECD, "o"}, {0x1ECE, "O"},  {0x1ECF, "o"},
    {0x1ED0, "O"},  {0x1ED1, "o"},  {0x1ED2, "O"}, {0x1ED3, "o"}, {0x1ED4, "O"},  {0x1ED5, "o"},
    {0x1ED6, "O"},  {0x1ED7, "o"},  {0x1ED8, "O"}, {0x1ED9, "o"}, {0x1EDA, "O"},  {0x1EDB, "o"},
    {0x1EDC, "O"},  {0x1EDD, "o"},  {0x1EDE, "O"}, {0x1EDF, "o"}, {0x1EE0, "O"},  {0x1EE1, "o"},
    {0x1EE2, "O"},  {0x1EE3, "o"},  {0x1EE4, "U"}, {0x1EE5, "u"}, {0x1EE6, "U"},  {0x1EE7, "u"},
    {0x1EE8, "U"},  {0x1EE9, "u"},  {0x1EEA, "U"}, {0x1EEB, "u"}, {0x1EEC, "U"},  {0x1EED, "u"},
    {0x1EEE, "U"},  {0x1EEF, "u"},  {0x1EF0, "U"}, {0x1EF1, "u"}, {0x1EF2, "Y"},  {0x1EF3, "y"},
    {0x1EF4, "Y"},  {0x1EF5, "y"},  {0x1EF6, "Y"}, {0x1EF7, "y"}, {0x1EF8, "Y"},  {0x1EF9, "y"},
};

char32_t DecodeUtf8(std::string_view s, size_t* pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char b = byte(*pos);
  size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  if (*pos + len > s.size()) len = 1;
  char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (size_t i = 1; i < len; ++i) cp = (cp << 6) | (byte(*pos + i) & 0x3F);
  *pos += len;
  return cp;
}

// `s` with accented Latin letters replaced by plain ones ("Núñez" -> "Nunez").
// Other scripts pass through unchanged.
std::string FoldToAscii(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    size_t start = pos;
    char32_t cp = DecodeUtf8(s, &pos);
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
      continue;
    }
    auto it = std::lower_bound(std::begin(kAsciiFolds), std::end(kAsciiFolds), cp,
                               [](const AsciiFold& f, char32_t c) { return f.code_point < c; });
    if (it != std::end(kAsciiFolds) && it->code_point == cp) {
      out.append(it->ascii);
    } else {
      out.append(s.substr(start, pos - start));
    }
  }
  return out;
}

// Appends `s` as a JSON string literal. Our text is valid UTF-8 from our own
// tables; only quote, backslash and control characters need escaping.
// Appends `value` in decimal, zero-padded to at least `width` digits.
void AppendPadded(std::string& out, int64_t value, int width) {
  char buf[24];
  int n = 0;
  uint64_t v = static_cast<uint64_t>(value);
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (int i = n; i < width; ++i) out.push_back('0');
  while (n > 0) out.push_back(buf[--n]);
}

void AppendDate(std::string& out, std::chrono::sys_days day) {
  std::chrono::year_month_day ymd(day);
  AppendPadded(out, static_cast<int>(ymd.year()), 4);
  out.push_back('-');
  AppendPadded(out, static_cast<unsigned>(ymd.month()), 2);
  out.push_back('-');
  AppendPadded(out, static_cast<unsigned>(ymd.day()), 2);
}

// RFC 3339 UTC at minute resolution: "2025-03-04T14:03:00Z".
void AppendMinute(std::string& out, int64_t minutes_since_epoch) {
  int64_t day = minutes_since_epoch >= 0
                    ? minutes_since_epoch / kMinutesPerDay
                    : -((-minutes_since_epoch + kMinutesPerDay - 1) / kMinutesPerDay);
  int64_t in_day = minutes_since_epoch - day * kMinutesPerDay;
  AppendDate(out, std::chrono::sys_days(std::chrono::days(day)));
  out.push_back('T');
  AppendPadded(out, in_day / 60, 2);
  out.push_back(':');
  AppendPadded(out, in_day % 60, 2);
  out.append(":00Z");
}

// ---------------------------------------------------------------------------
// Facilities.

struct Facility {
  std::string id;  // "F001"
  std::string name;
  std::string address;
  std::string city;
  std::string state;
  std::string phone;
  uint32_t weight;  // relative share of bookings and transfers
  bool family_center;
};

struct FacilityTemplate {
  std::string_view pattern;  // "{city}" / "{county}" are replaced
  uint32_t weight;
  uint32_t min_capacity, max_capacity;
  bool family_center;
};

constexpr FacilityTemplate kFacilityTemplates[] = {
    {"{city} ICE Processing Center", 30, 20, 80, false},
    {"{county} County Jail", 50, 1, 8, false},
    {"{county} County Detention Center", 30, 3, 15, false},
    {"{city} Detention Facility", 30, 8, 30, false},
    {"{city} Service Processing Center", 10, 20, 60, false},
    {"{city} Correctional Center", 20, 5, 25, false},
    {"{county} County Correctional Facility", 20, 2, 10, false},
    {"{city} Contract Detention Facility", 10, 10, 40, false},
    {"{city} Regional Detention Center", 10, 8, 30, false},
    {"{city} Immigration Processing Center", 10, 15, 50, false},
    {"{city} Family Residential Center", 4, 10, 30, true},
};

std::string ExpandTemplate(std::string_view pattern, const FacilityPlace& place) {
  std::string out;
  size_t pos = 0;
  while (pos < pattern.size()) {
    if (pattern.compare(pos, 6, "{city}") == 0) {
      out.append(place.city);
      pos += 6;
    } else if (pattern.compare(pos, 8, "{county}") == 0) {
      out.append(place.county);
      pos += 8;
      // Louisiana has parishes where other states have counties.
      if (place.state == "LA" && pattern.compare(pos, 7, " County") == 0) {
        out.append(" Parish");
        pos += 7;
      }
    } else {
      out.push_back(pattern[pos++]);
    }
  }
  return out;
}

std::vector<Facility> MakeFacilities(uint64_t seed) {
  Rng rng(StreamSeed(seed, Stream::kFacilities, 0));
  std::span<const FacilityPlace> places = demo::FacilityPlaces();
  WeightedTable place_table(places, [](const FacilityPlace& p) { return p.weight; });
  WeightedTable template_table(kFacilityTemplates,
                               [](const FacilityTemplate& t) { return t.weight; });
  std::span<const std::string_view> streets = demo::StreetNames();
  std::span<const std::string_view> suffixes = demo::StreetSuffixes();

  std::vector<Facility> facilities;
  std::set<std::string> names;
  for (int i = 0; i < kFacilityCount; ++i) {
    const FacilityPlace* place = nullptr;
    const FacilityTemplate* tmpl = nullptr;
    std::string name;
    for (int attempt = 0;; ++attempt) {
      place = &places[place_table.Pick(rng)];
      tmpl = &kFacilityTemplates[template_table.Pick(rng)];
      name = ExpandTemplate(tmpl->pattern, *place);
      if (names.count(name) == 0) break;
      if (attempt >= 100) {
        name += " Annex " + std::to_string(i + 1);
        break;
      }
    }
    names.insert(name);

    Facility f;
    f.id = "F";
    AppendPadded(f.id, i + 1, 3);
    f.name = std::move(name);
    f.address = std::to_string(rng.Between(100, 29999));
    f.address += ' ';
    f.address.append(streets[rng.Below(streets.size())]);
    f.address += ' ';
    f.address.append(suffixes[rng.Below(suffixes.size())]);
    f.city = std::string(place->city);
    f.state = std::string(place->state);
    // 555-0100 through 555-0199 are reserved for fiction in every area code.
    f.phone = "+1";
    f.phone.append(place->area_code);
    f.phone.append("55501");
    AppendPadded(f.phone, static_cast<int64_t>(rng.Below(100)), 2);
    f.weight = static_cast<uint32_t>(rng.Between(tmpl->min_capacity, tmpl->max_capacity));
    f.family_center = tmpl->family_center;
    facilities.push_back(std::move(f));
  }
  return facilities;
}

void AppendFacilityLine(std::string& out, const Facility& f) {
  out.append(R"({"record":"facility","facility_id":)");
  AppendJsonString(out, f.id);
  out.append(R"(,"name":)");
  AppendJsonString(out, f.name);
  out.append(R"(,"address":)");
  AppendJsonString(out, f.address);
  out.append(R"(,"city":)");
  AppendJsonString(out, f.city);
  out.append(R"(,"state":)");
  AppendJsonString(out, f.state);
  out.append(R"(,"phone":)");
  AppendJsonString(out, f.phone);
  out.append("}\n");
}

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
constexpr uint64_t kANumberBase = 10'000'000;    // lowest: 010000000
constexpr uint64_t kANumberPrime = 989'999'993;  // highest: base + prime - 1 < 10^9

struct AgeBand {
  int low, high;
  uint32_t weight;
};
constexpr AgeBand kAdultAges[] = {
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

void PeopleGenerator::PickName(Rng& rng, const CountryProfile& country, bool male,
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
std::string PeopleGenerator::Alias(Rng& rng, const Name& name, int kind) const {
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

void PeopleGenerator::Generate(uint32_t subject, Identity* out) const {
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

// ---------------------------------------------------------------------------
// Lives: the custody events of each person.

enum class EventKind : uint8_t {
  kBooked,
  kTransferred,
  kReleased,
  kRemoved,
  kEscaped,
  kReturned,
  kDeceased,
  kUpdated,
};

std::string_view KindName(EventKind kind) {
  switch (kind) {
    case EventKind::kBooked:
      return "booked";
    case EventKind::kTransferred:
      return "transferred";
    case EventKind::kReleased:
      return "released";
    case EventKind::kRemoved:
      return "removed";
    case EventKind::kEscaped:
      return "escaped";
    case EventKind::kReturned:
      return "returned";
    case EventKind::kDeceased:
      return "deceased";
    case EventKind::kUpdated:
      return "updated";
  }
  return "updated";
}

enum class Basis : uint8_t { kCivilImmigration, kCriminalCharge, kCriminalConviction };

std::string_view BasisName(Basis basis) {
  switch (basis) {
    case Basis::kCivilImmigration:
      return "civil_immigration";
    case Basis::kCriminalCharge:
      return "criminal_charge";
    case Basis::kCriminalConviction:
      return "criminal_conviction";
  }
  return "civil_immigration";
}

// One event awaiting the global sort: 16 bytes, so millions fit easily.
struct PendingEvent {
  int32_t minute;  // minutes since the Unix epoch
  uint32_t subject;
  int32_t scheduled_release;  // minutes since the epoch; 0 when absent
  uint16_t facility;          // index into the facility list
  EventKind kind;
  Basis basis;
};
static_assert(sizeof(PendingEvent) == 16);

// Gaps between consecutive events of one person, in minutes: a choice of
// scale (minutes .. months), then uniform within it.
struct GapScale {
  int64_t low, high;
};
constexpr GapScale kGapScales[] = {
    {5, 180},                 // minutes to hours
    {180, 2 * 1440},          // hours to two days
    {2 * 1440, 14 * 1440},    // days to two weeks
    {14 * 1440, 60 * 1440},   // weeks to two months
    {60 * 1440, 150 * 1440},  // months
};
using GapWeights = std::array<uint32_t, std::size(kGapScales)>;
constexpr GapWeights kTransferGap = {5, 25, 40, 25, 5};
constexpr GapWeights kReleaseGap = {3, 10, 30, 37, 20};
constexpr GapWeights kRemovalGap = {2, 8, 25, 40, 25};
constexpr GapWeights kEscapeGap = {5, 10, 30, 35, 20};
constexpr GapWeights kReturnGap = {20, 40, 30, 10, 0};
constexpr GapWeights kRearrestGap = {0, 0, 10, 40, 50};
constexpr GapWeights kUpdateGap = {20, 30, 30, 20, 0};

int64_t Gap(Rng& rng, const GapWeights& weights) {
  uint32_t total = 0;
  for (uint32_t w : weights) total += w;
  uint64_t r = rng.Below(total);
  size_t scale = 0;
  while (r >= weights[scale]) r -= weights[scale++];
  return rng.Between(kGapScales[scale].low, kGapScales[scale].high);
}

class LifeGenerator {
 public:
  LifeGenerator(uint64_t seed, int64_t as_of_minute, const std::vector<Facility>& facilities)
      : seed_(seed), as_of_minute_(as_of_minute), facilities_(facilities) {
    facility_table_ = WeightedTable(facilities, [](const Facility& f) { return f.weight; });
    std::vector<uint32_t> family_weights;
    for (size_t i = 0; i < facilities.size(); ++i) {
      if (facilities[i].family_center) {
        family_centers_.push_back(static_cast<uint16_t>(i));
        family_weights.push_back(facilities[i].weight);
      }
    }
    family_table_ = WeightedTable(family_weights, [](uint32_t w) { return w; });
  }

  // Appends the events of `subject` to `events`.
  void Generate(uint32_t subject, const Identity& identity,
                std::vector<PendingEvent>* events) const;

 private:
  struct Step {
    EventKind kind;
    int64_t gap;  // minutes after the previous step
    uint16_t facility;
    Basis basis;
    bool scheduled;  // a booking that announces its release time
  };

  uint16_t PickFacility(Rng& rng) const { return static_cast<uint16_t>(facility_table_.Pick(rng)); }
  uint16_t PickOtherFacility(Rng& rng, uint16_t current) const {
    for (int i = 0; i < 16; ++i) {
      uint16_t f = PickFacility(rng);
      if (f != current) return f;
    }
    return static_cast<uint16_t>((current + 1) % facilities_.size());
  }
  static Basis PickBasis(Rng& rng) {
    uint64_t r = rng.Below(100);
    return r < 65   ? Basis::kCivilImmigration
           : r < 80 ? Basis::kCriminalCharge
                    : Basis::kCriminalConviction;
  }

  uint64_t seed_;
  int64_t as_of_minute_;
  const std::vector<Facility>& facilities_;
  WeightedTable facility_table_;
  std::vector<uint16_t> family_centers_;
  WeightedTable family_table_;
};

void LifeGenerator::Generate(uint32_t subject, const Identity& identity,
                             std::vector<PendingEvent>* events) const {
  Rng rng(StreamSeed(seed_, Stream::kLife, subject));
  std::vector<Step> steps;

  // One stay in custody: booked, transfers, perhaps an ending. Returns true
  // if the stay ended in a release (so the person can be re-arrested).
  auto stay = [&](int max_transfers, uint32_t ending_per_mille, int64_t booking_gap) {
    uint16_t facility;
    if (identity.minor && !family_centers_.empty() && rng.PerMille(800)) {
      facility = family_centers_[family_table_.Pick(rng)];
    } else {
      facility = PickFacility(rng);
    }
    Basis basis = PickBasis(rng);
    size_t booking = steps.size();
    steps.push_back({EventKind::kBooked, booking_gap, facility, basis, false});
    uint64_t r = rng.Below(100);
    int transfers = r < 50 ? 0 : r < 80 ? 1 : r < 93 ? 2 : 3;
    transfers = std::min(transfers, max_transfers);
    for (int i = 0; i < transfers; ++i) {
      facility = PickOtherFacility(rng, facility);
      steps.push_back({EventKind::kTransferred, Gap(rng, kTransferGap), facility, basis, false});
    }
    bool released = false;
    if (rng.PerMille(ending_per_mille)) {
      uint64_t e = rng.Below(10000);
      if (e < 8) {
        steps.push_back({EventKind::kDeceased, Gap(rng, kReleaseGap), facility, basis, false});
      } else if (e < 58) {
        steps.push_back({EventKind::kEscaped, Gap(rng, kEscapeGap), facility, basis, false});
        if (rng.PerMille(800)) {
          if (!rng.PerMille(600)) facility = PickOtherFacility(rng, facility);
          steps.push_back({EventKind::kReturned, Gap(rng, kReturnGap), facility, basis, false});
          if (rng.PerMille(500)) {
            bool removal = rng.PerMille(400);
            steps.push_back({removal ? EventKind::kRemoved : EventKind::kReleased,
                             Gap(rng, removal ? kRemovalGap : kReleaseGap), facility, basis,
                             false});
          }
        }
      } else if (e < 2158) {
        steps.push_back({EventKind::kRemoved, Gap(rng, kRemovalGap), facility, basis, false});
      } else {
        steps.push_back({EventKind::kReleased, Gap(rng, kReleaseGap), facility, basis, false});
        released = true;
      }
    }
    // Some bookings announce when the person is due out.
    bool ends_in_release = !steps.empty() && steps.back().kind == EventKind::kReleased;
    steps[booking].scheduled = rng.PerMille(ends_in_release ? 250 : 100);
    return released;
  };

  bool released = stay(3, 600, 0);
  size_t first_stay_end = steps.size();
  // A rare re-arrest after a release: the same person, booked again.
  if (released && rng.Per10k(110)) stay(1, 500, Gap(rng, kRearrestGap));

  // ~5% get an "updated" record during their first stay; a criminal charge
  // may turn into a conviction there.
  if (rng.PerMille(50)) {
    // Anywhere after the booking and before the stay's first ending.
    size_t end = 1;
    while (end < first_stay_end && (steps[end].kind == EventKind::kTransferred)) ++end;
    size_t pos = 1 + static_cast<size_t>(rng.Below(end));  // 1 .. end
    const Step& before = steps[pos - 1];
    Step update{EventKind::kUpdated, Gap(rng, kUpdateGap), before.facility, before.basis, false};
    if (before.basis == Basis::kCriminalCharge && rng.PerMille(500)) {
      for (size_t i = pos; i < steps.size() && steps[i].kind != EventKind::kBooked; ++i) {
        steps[i].basis = Basis::kCriminalConviction;
      }
      update.basis = Basis::kCriminalConviction;
    }
    steps.insert(steps.begin() + static_cast<std::ptrdiff_t>(pos), update);
  }

  // Place the whole life inside the window, after birth.
  int64_t window_start = as_of_minute_ - kWindowDays * kMinutesPerDay;
  int64_t born =
      std::chrono::sys_days(identity.date_of_birth).time_since_epoch().count() * kMinutesPerDay;
  window_start = std::max(window_start, born + kMinutesPerDay);
  int64_t span = as_of_minute_ - window_start;  // minutes available, > 0
  int64_t total = 0;
  for (size_t i = 1; i < steps.size(); ++i) total += steps[i].gap;
  if (total >= span) {
    // Too long for the window (or for a young child's life): compress it.
    for (size_t i = 1; i < steps.size(); ++i) {
      steps[i].gap = std::max<int64_t>(1, steps[i].gap * (span - 1) / total);
    }
  }
  total = 0;
  for (size_t i = 1; i < steps.size(); ++i) total += steps[i].gap;
  while (total >= span && steps.size() > 1) {
    total -= steps.back().gap;
    steps.pop_back();
  }
  int64_t minute =
      window_start + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(span - total)));

  // Scheduled release: the real release time when there is one, otherwise a
  // date some months ahead (which may be after as_of).
  for (size_t i = 0; i < steps.size(); ++i) {
    minute += steps[i].gap;
    steps[i].gap = minute;  // from here on, the absolute minute
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& step = steps[i];
    int64_t scheduled = 0;
    if (step.kind == EventKind::kBooked && step.scheduled) {
      int64_t release = 0;
      for (size_t j = i + 1; j < steps.size() && steps[j].kind != EventKind::kBooked; ++j) {
        if (steps[j].kind == EventKind::kReleased) release = steps[j].gap;
      }
      if (release == 0) release = step.gap + rng.Between(30, 365) * kMinutesPerDay;
      // Announced as a day at 09:00 UTC, never before the booking.
      scheduled = release - release % kMinutesPerDay + 9 * 60;
      if (scheduled <= step.gap) scheduled += kMinutesPerDay;
    }
    events->push_back(PendingEvent{static_cast<int32_t>(step.gap), subject,
                                   static_cast<int32_t>(scheduled), step.facility, step.kind,
                                   step.basis});
  }
}

// ---------------------------------------------------------------------------
// Output files.

std::string SystemReason(int error) { return std::strerror(error); }

// A file written through a large buffer; reports failures as kUnavailable
// naming the path.
class OutputFile {
 public:
  explicit OutputFile(std::string path) : path_(std::move(path)) {}
  ~OutputFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  Result<void> Open() {
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_ == nullptr) return Unavailable("cannot create " + path_ + ": " + SystemReason(errno));
    buffer_.reserve(kFlushBytes + 4096);
    return {};
  }

  std::string& buffer() { return buffer_; }

  Result<void> MaybeFlush() {
    if (buffer_.size() < kFlushBytes) return {};
    return Flush();
  }

  Result<void> Close() {
    VIGIL_RETURN_IF_ERROR(Flush());
    FILE* f = file_;
    file_ = nullptr;
    if (std::fclose(f) != 0)
      return Unavailable("cannot write " + path_ + ": " + SystemReason(errno));
    return {};
  }

  const std::string& path() const { return path_; }

 private:
  Result<void> Flush() {
    if (!buffer_.empty() &&
        std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      return Unavailable("cannot write " + path_ + ": " + SystemReason(errno));
    }
    buffer_.clear();
    if (std::fflush(file_) != 0)
      return Unavailable("cannot write " + path_ + ": " + SystemReason(errno));
    return {};
  }

  std::string path_;
  FILE* file_ = nullptr;
  std::string buffer_;
};

Result<void> Rename(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) {
    return Unavailable("cannot rename " + from + " to " + to + ": " + SystemReason(errno));
  }
  return {};
}

Result<DemoSummary> WriteFiles(const DemoOptions& options, const std::string& facilities_tmp,
                               const std::string& events_tmp,
                               const std::function<void(int64_t)>& progress) {
  const uint64_t seed = options.seed;
  const int64_t as_of_minute = options.as_of.time_since_epoch().count() * kMinutesPerDay;
  const uint32_t subjects = static_cast<uint32_t>(options.subjects);

  std::vector<Facility> facilities = MakeFacilities(seed);
  {
    OutputFile out(facilities_tmp);
    VIGIL_RETURN_IF_ERROR(out.Open());
    for (const Facility& f : facilities) AppendFacilityLine(out.buffer(), f);
    VIGIL_RETURN_IF_ERROR(out.Close());
  }

  PeopleGenerator people(seed, options.as_of);
  LifeGenerator lives(seed, as_of_minute, facilities);
  std::vector<PendingEvent> events;
  events.reserve(static_cast<size_t>(subjects) * 5 / 2 + 16);
  Identity identity;
  for (uint32_t s = 0; s < subjects; ++s) {
    people.Generate(s, &identity);
    lives.Generate(s, identity, &events);
  }
  // Times strictly increase per person, so (minute, subject) is a total order.
  std::sort(events.begin(), events.end(), [](const PendingEvent& a, const PendingEvent& b) {
    return a.minute != b.minute ? a.minute < b.minute : a.subject < b.subject;
  });

  OutputFile out(events_tmp);
  VIGIL_RETURN_IF_ERROR(out.Open());
  int64_t written = 0;
  for (const PendingEvent& e : events) {
    people.Generate(e.subject, &identity);
    std::string& line = out.buffer();
    line.append(R"({"record":"custody_event","source":"ice-ero","event_id":"E-)");
    AppendPadded(line, written + 1, 8);
    line.append(R"(","type":")");
    line.append(KindName(e.kind));
    line.append(R"(","occurred_at":")");
    AppendMinute(line, e.minute);
    line.append(R"(","subject":)");
    line.append(identity.subject_json);
    line.append(R"(,"facility_id":")");
    line.append(facilities[e.facility].id);
    line.append(R"(","custody_basis":")");
    line.append(BasisName(e.basis));
    line.append(R"(","protections":)");
    line.append(identity.protections_json);
    if (e.scheduled_release != 0) {
      line.append(R"(,"scheduled_release":")");
      AppendMinute(line, e.scheduled_release);
      line.push_back('"');
    }
    line.append("}\n");
    ++written;
    VIGIL_RETURN_IF_ERROR(out.MaybeFlush());
    if (progress && written % kProgressEvery == 0) progress(written);
  }
  VIGIL_RETURN_IF_ERROR(out.Close());
  if (progress && written % kProgressEvery != 0) progress(written);

  DemoSummary summary;
  summary.facilities = static_cast<int>(facilities.size());
  summary.subjects = options.subjects;
  summary.events = written;
  return summary;
}

}  // namespace

Result<DemoSummary> WriteDemoFeed(const DemoOptions& options,
                                  const std::function<void(int64_t)>& progress) {
  namespace fs = std::filesystem;
  if (options.subjects <= 0 || options.subjects > kMaxDemoSubjects) {
    return InvalidArgument("subjects must be between 1 and " + std::to_string(kMaxDemoSubjects) +
                           ", got " + std::to_string(options.subjects));
  }
  if (options.out_dir.empty()) return InvalidArgument("out_dir must not be empty");
  std::chrono::year as_of_year = std::chrono::year_month_day(options.as_of).year();
  if (as_of_year < std::chrono::year(2000) || as_of_year > std::chrono::year(2199)) {
    return InvalidArgument("as_of must be a date in 2000-01-01 .. 2199-12-31, got year " +
                           std::to_string(static_cast<int>(as_of_year)));
  }

  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) return Unavailable("cannot create directory " + options.out_dir + ": " + ec.message());
  if (!fs::is_directory(options.out_dir, ec)) {
    return Unavailable("cannot create directory " + options.out_dir + ": " + SystemReason(ENOTDIR));
  }

  fs::path dir(options.out_dir);
  std::string facilities_path = (dir / "facilities.jsonl").string();
  std::string events_path = (dir / "events.jsonl").string();
  std::string facilities_tmp = facilities_path + ".tmp";
  std::string events_tmp = events_path + ".tmp";

  Result<DemoSummary> summary = WriteFiles(options, facilities_tmp, events_tmp, progress);
  if (summary) {
    Result<void> renamed = Rename(facilities_tmp, facilities_path);
    if (renamed) renamed = Rename(events_tmp, events_path);
    if (!renamed) summary = tl::unexpected(renamed.error());
  }
  if (!summary) {
    std::remove(facilities_tmp.c_str());
    std::remove(events_tmp.c_str());
  }
  return summary;
}

}  // namespace vigil
