#include "vigil/search/name_keys.h"

#include <algorithm>
#include <utility>

namespace vigil::search {
namespace {

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }
bool IsFront(char c) { return c == 'e' || c == 'i'; }

// Hypocorisms in common use in Mexico and Central America, with the formal
// names they shorten. Written for vigil from general knowledge of Spanish
// naming; a weaker match than the name itself.
constexpr std::pair<std::string_view, std::string_view> kHypocorisms[] = {
    {"beto", "alberto"},     {"beto", "roberto"},     {"beto", "humberto"},
    {"chabela", "isabel"},   {"chago", "santiago"},   {"charo", "rosario"},
    {"chava", "salvador"},   {"chayo", "rosario"},    {"chela", "graciela"},
    {"chelo", "consuelo"},   {"chema", "jose"},       {"chente", "vicente"},
    {"chepe", "jose"},       {"cholo", "marcelo"},    {"chucho", "jesus"},
    {"chuy", "jesus"},       {"concha", "concepcion"}, {"conchita", "concepcion"},
    {"fito", "adolfo"},      {"fito", "rodolfo"},     {"goyo", "gregorio"},
    {"juancho", "juan"},     {"kike", "enrique"},
    {"lalo", "eduardo"},     {"lencho", "lorenzo"},   {"lola", "dolores"},
    {"lupe", "guadalupe"},   {"lupita", "guadalupe"}, {"manolo", "manuel"},
    {"meche", "mercedes"},   {"memo", "guillermo"},   {"moncho", "ramon"},
    {"nacho", "ignacio"},    {"nando", "fernando"},   
    {"neto", "ernesto"},     {"paco", "francisco"},   {"pancho", "francisco"},
    {"pablito", "pablo"},    {"pepa", "josefa"},      {"pepe", "jose"},
    {"pili", "pilar"},       {"poncho", "alfonso"},   {"quique", "enrique"},
    {"rafa", "rafael"},      {"rosy", "rosa"},        {"santi", "santiago"},
    {"tere", "teresa"},      {"tito", "alberto"},     {"tona", "antonia"},
    {"tono", "antonio"},     {"toni", "antonio"},     
    {"vicho", "vicente"},    {"yeyo", "aurelio"},     {"lucho", "luis"},
    {"licha", "alicia"},     {"mague", "margarita"},  {"maggie", "margarita"},
    {"tavo", "gustavo"},     {"cuca", "refugio"},
};

}  // namespace

std::string SpanishKey(std::string_view t) {
  std::string out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    char next = i + 1 < t.size() ? t[i + 1] : '\0';
    char after = i + 2 < t.size() ? t[i + 2] : '\0';
    switch (c) {
      case 'h':
        if (i > 0 && t[i - 1] == 'c') break;  // part of "ch", handled at 'c'
        continue;                            // silent h
      case 'c':
        if (next == 'h') {
          out += 'x';
          ++i;
          continue;
        }
        c = IsFront(next) ? 's' : 'k';
        break;
      case 'q':
        c = 'k';
        if (next == 'u' && IsFront(after)) ++i;  // "que", "qui": the u is silent
        break;
      case 'g':
        if (IsFront(next)) {
          c = 'j';
        } else if (next == 'u' && IsFront(after)) {
          ++i;  // "gue", "gui": hard g, silent u
        }
        break;
      case 'x':
        if (i == 0) c = 'j';  // Ximénez, Xavier
        break;
      case 'z':
        c = 's';
        break;
      case 'v':
      case 'w':
        c = 'b';
        break;
      case 'l':
        if (next == 'l') {  // ll sounds like y
          c = out.empty() ? 'y' : 'i';
          ++i;
        }
        break;
      case 'y':
        // Except at the start, y is a vowel or a glide: Eloy, Mayra, and the
        // BGN spellings Mariya, Sergey, Dmitriy beside Maria, Sergei, Dmitri.
        if (i > 0) c = 'i';
        break;
      default:
        break;
    }
    if (out.empty() || out.back() != c) out += c;
  }
  return out;
}

std::string Skeleton(std::string_view t) {
  std::string out;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (i > 0 && (IsVowel(c) || c == 'y')) continue;
    if (out.empty() || out.back() != c) out += c;
  }
  return out;
}

bool SkeletonComparable(std::string_view a, std::string_view b) {
  auto vowelless = [](std::string_view s) {
    return std::none_of(s.begin(), s.end(), [](char c) { return IsVowel(c); });
  };
  if (Skeleton(a).size() < 4 || a.empty() || b.empty()) return false;
  if (vowelless(a) || vowelless(b)) return true;
  // Spanish marks gender in the last letter (Gabriel, Gabriela; Patricio,
  // Patricia): long spellings of one name end alike (Mohammed, Muhammad).
  return a.size() >= 7 && b.size() >= 7 && a.back() == b.back();
}

const std::vector<std::string>& HypocorismTargets(std::string_view token) {
  static const auto* table = [] {
    auto* m = new std::vector<std::pair<std::string, std::vector<std::string>>>();
    for (const auto& entry : kHypocorisms) {
      std::string_view nick = entry.first, formal = entry.second;
      auto it = std::find_if(m->begin(), m->end(), [&](const auto& e) { return e.first == nick; });
      if (it == m->end()) {
        m->push_back({std::string(nick), {}});
        it = m->end() - 1;
      }
      it->second.emplace_back(formal);
    }
    return m;
  }();
  static const std::vector<std::string> kNone;
  for (const auto& [nick, formal] : *table) {
    if (nick == token) return formal;
  }
  return kNone;
}

}  // namespace vigil::search
