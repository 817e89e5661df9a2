#include "vigil/core/identifiers.h"

#include <algorithm>
#include <array>

namespace vigil {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// ISO 3166-1 alpha-2, officially assigned codes (249), sorted.
constexpr std::array<std::string_view, 249> kCountries = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW"};

// USPS codes: 50 states, DC, and the inhabited territories.
constexpr std::array<std::string_view, 56> kUsStates = {
    "AK", "AL", "AR", "AS", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "GU", "HI",
    "IA", "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MP",
    "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA",
    "PR", "RI", "SC", "SD", "TN", "TX", "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY"};

template <size_t N>
Result<std::string> ParseCode(std::string_view text, const std::array<std::string_view, N>& table,
                              const char* what) {
  if (text.size() == 2) {
    std::string up(text);
    for (char& c : up) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    if (std::binary_search(table.begin(), table.end(), up)) return up;
  }
  return InvalidArgument(std::string("not ") + what);
}

}  // namespace

Result<ANumber> ANumber::ParseTyped(std::string_view text) {
  std::string digits;
  bool prefix_allowed = true;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (IsDigit(static_cast<char>(c))) {
      digits += static_cast<char>(c);
    } else if (c == 0xEF && i + 2 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0xBC &&
               static_cast<unsigned char>(text[i + 2]) >= 0x90 &&
               static_cast<unsigned char>(text[i + 2]) <= 0x99) {
      digits += static_cast<char>('0' + (static_cast<unsigned char>(text[i + 2]) - 0x90));  // ０-９
      i += 2;
    } else if ((c == 'A' || c == 'a') && prefix_allowed && digits.empty()) {
      prefix_allowed = false;
    } else if (c == ' ' || c == '\t' || c == '-' || c == '.' || c == '#' || c == ':') {
      continue;
    } else {
      return Parse(text);  // its message says what is wrong
    }
  }
  return Parse(digits);
}

Result<ANumber> ANumber::Parse(std::string_view text) {
  auto bad = [&](const char* why) {
    return InvalidArgument(std::string("not an A-number (") + why +
                           "; expected A012345678, A-012-345-678 or 8-9 digits)");
  };
  std::string_view s = text;
  if (!s.empty() && (s[0] == 'A' || s[0] == 'a')) {
    s.remove_prefix(1);
    if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  }
  std::string digits;
  if (s.find('-') != std::string_view::npos) {
    // Dashes only in the grouping ddd-ddd-ddd (or dd-ddd-ddd for eight digits).
    size_t first = s.find('-');
    if (!(first == 2 || first == 3) || s.size() != first + 8 || s[first + 4] != '-') {
      return bad("misplaced dashes");
    }
    for (size_t i = 0; i < s.size(); ++i) {
      if (i == first || i == first + 4) continue;
      if (!IsDigit(s[i])) return bad("not a digit");
      digits += s[i];
    }
  } else {
    for (char c : s) {
      if (!IsDigit(c)) return bad("not a digit");
    }
    digits = std::string(s);
  }
  if (digits.size() == 8) digits.insert(digits.begin(), '0');
  if (digits.size() != 9) return bad("wrong number of digits");
  if (digits == "000000000") return bad("all zeros");
  return ANumber(std::move(digits));
}

Result<std::string> ParseCountryCode(std::string_view text) {
  return ParseCode(text, kCountries, "an ISO 3166-1 alpha-2 country code");
}

Result<std::string> ParseUsStateCode(std::string_view text) {
  return ParseCode(text, kUsStates, "a US state code");
}

Result<std::string> ParseE164(std::string_view text) {
  bool ok = text.size() >= 9 && text.size() <= 16 && text[0] == '+' && text[1] != '0';
  for (size_t i = 1; ok && i < text.size(); ++i) ok = IsDigit(text[i]);
  if (!ok) return InvalidArgument("not an E.164 phone number (+ and 8-15 digits)");
  return std::string(text);
}

}  // namespace vigil
