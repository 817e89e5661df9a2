// Inside `vigil demo-data` (demo_data.h): its constants, the seeded random
// numbers, text helpers and the facilities. Included only by demo_data.cc
// (through demo_people.h).
#ifndef VIGIL_APP_DEMO_KIT_H_
#define VIGIL_APP_DEMO_KIT_H_

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
#include "vigil/core/json_text.h"

namespace vigil::demo_detail {

using demo::CountryProfile;
using demo::FacilityPlace;
using demo::NameEntry;
using demo::NamePool;
using demo::NameStyle;
using demo::NameVariant;

inline constexpr int kFacilityCount = 200;
inline constexpr int kWindowDays = 730;
inline constexpr int64_t kMinutesPerDay = 1440;
inline constexpr int64_t kProgressEvery = 10000;
inline constexpr size_t kFlushBytes = 1 << 20;

// ---------------------------------------------------------------------------
// Randomness. Everything is integer arithmetic on our own generator, so the
// output is the same with every compiler, standard library and platform.

// The SplitMix64 finaliser: a bijective 64-bit mix.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Independent streams: one per (purpose, subject), so a subject's identity
// can be regenerated without replaying anyone else's draws.
enum class Stream : uint64_t { kFacilities = 1, kANumbers = 2, kIdentity = 3, kLife = 4 };

inline uint64_t StreamSeed(uint64_t seed, Stream stream, uint64_t index) {
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
inline constexpr AsciiFold kAsciiFolds[] = {
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

inline char32_t DecodeUtf8(std::string_view s, size_t* pos) {
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
inline std::string FoldToAscii(std::string_view s) {
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
inline void AppendPadded(std::string& out, int64_t value, int width) {
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

inline void AppendDate(std::string& out, std::chrono::sys_days day) {
  std::chrono::year_month_day ymd(day);
  AppendPadded(out, static_cast<int>(ymd.year()), 4);
  out.push_back('-');
  AppendPadded(out, static_cast<unsigned>(ymd.month()), 2);
  out.push_back('-');
  AppendPadded(out, static_cast<unsigned>(ymd.day()), 2);
}

// RFC 3339 UTC at minute resolution: "2025-03-04T14:03:00Z".
inline void AppendMinute(std::string& out, int64_t minutes_since_epoch) {
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

inline constexpr FacilityTemplate kFacilityTemplates[] = {
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

inline std::string ExpandTemplate(std::string_view pattern, const FacilityPlace& place) {
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

inline std::vector<Facility> MakeFacilities(uint64_t seed) {
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

inline void AppendFacilityLine(std::string& out, const Facility& f) {
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

}  // namespace vigil::demo_detail

#endif  // VIGIL_APP_DEMO_KIT_H_
