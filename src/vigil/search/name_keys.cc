#include "vigil/search/name_keys.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <unordered_set>
#include <utility>

#include "vigil/text/name_tables.h"

namespace vigil::search {
namespace {

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }
bool IsFront(char c) { return c == 'e' || c == 'i'; }

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
        continue;                             // silent h
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

uint8_t NameFamiliesOf(std::string_view country) {
  static constexpr std::string_view kCyrillic[] = {"RU", "UA", "BY", "KZ", "KG", "TJ", "UZ",
                                                   "TM", "MD", "AM", "AZ", "GE", "LV", "LT",
                                                   "EE", "BG", "RS", "MK", "ME", "BA", "MN"};
  static constexpr std::string_view kArabic[] = {
      "DZ", "BH", "TD", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR", "MA",
      "OM", "PS", "QA", "SA", "SO", "SD", "SY", "TN", "AE", "YE", "EH", "AF", "IR",
      "PK", "SN", "ML", "NE", "GN", "GM", "BF", "ER", "TR", "BD", "ID", "MY", "NG"};
  static constexpr std::string_view kChinese[] = {"CN", "TW", "HK", "MO", "SG", "MY"};
  static constexpr std::string_view kKorean[] = {"KR", "KP"};
  auto in = [&](const auto& list) {
    return std::find(std::begin(list), std::end(list), country) != std::end(list);
  };
  uint8_t families = 0;
  if (in(kCyrillic)) families |= kCyrillicNames;
  if (in(kArabic)) families |= kArabicNames;
  if (in(kChinese)) families |= kChineseNames;
  if (in(kKorean)) families |= kKoreanNames;
  return families;
}

namespace {

bool StartsWith(std::string_view s, size_t at, std::string_view p) {
  return s.substr(at, p.size()) == p;
}

// Keys built a symbol at a time, where a letter read differently by
// different schemes adds one key per reading (at most kMaxKeys).
class KeyBuilder {
 public:
  static constexpr size_t kMaxKeys = 8;
  // Appends one of `options` to every key ('\0': nothing). A symbol equal
  // to the last is not repeated unless a vowel came between them.
  // With `not_first`, a key still empty is left so (a name's first vowel,
  // which languages write differently: Oleksandr, Aleksandr).
  void Add(std::initializer_list<char> options, bool not_first = false) {
    std::vector<std::string> next;
    for (const auto& k : keys_) {
      for (char o : options) {
        std::string n = k;
        if (not_first && n.empty()) o = '\0';
        if (o != '\0' && (n.empty() || n.back() != o || separated_)) n += o;
        if (std::find(next.begin(), next.end(), n) == next.end()) next.push_back(std::move(n));
      }
    }
    if (next.size() > kMaxKeys) next.resize(kMaxKeys);
    keys_ = std::move(next);
    separated_ = false;
  }
  void Separate() { separated_ = true; }
  const std::vector<std::string>& keys() const { return keys_; }

 private:
  std::vector<std::string> keys_{""};
  bool separated_ = false;
};

bool IsVowelOrY(char c) { return IsVowel(c) || c == 'y'; }

// Vowels as Cyrillic romanisations write them, by class: a (а, я), e (е,
// ё, э and o, which ё is written as after a sibilant: -schtschow), i (и,
// ы), u (у, ю, French ou). A y, i or j before a vowel is a glide that
// softens it (я, ю, е written ya, ia, ja); one after a vowel is й, which
// schemes write y, i, j, ï or not at all.
char CyrillicVowel(char c) {
  switch (c) {
    case 'a':
      return 'A';
    case 'e':
    case 'o':
      return 'E';
    case 'i':
    case 'y':
      return 'I';
    case 'u':
      return 'U';
    default:
      return 0;
  }
}

void CyrillicKeys(std::string_view t, std::vector<std::string>& out) {
  if (t.size() < 4) return;
  // French writes a mute e at the end (Eltsine, Kouzmine).
  if (t.size() > 4 && t.back() == 'e' && !IsVowelOrY(t[t.size() - 2])) t.remove_suffix(1);
  KeyBuilder b;
  size_t consonants = 0;
  auto consonant = [&](std::initializer_list<char> options) {
    b.Add(options);
    ++consonants;
  };
  for (size_t i = 0; i < t.size();) {
    auto at = [&](std::string_view p) { return StartsWith(t, i, p); };
    const char c = t[i];
    const char next = i + 1 < t.size() ? t[i + 1] : '\0';
    const bool after_vowel = i > 0 && CyrillicVowel(t[i - 1]) != 0;
    size_t n = 1;
    if (at("schtsch")) {
      consonant({'s'}), n = 7;
    } else if (at("shtsch")) {
      consonant({'s'}), n = 6;
    } else if (at("chtch")) {
      consonant({'s'}), n = 5;
    } else if (at("shch") || at("tsch")) {
      consonant({'s'}), n = 4;
    } else if (at("sch") || at("tch")) {
      consonant({'s'}), n = 3;
    } else if (at("sh") || at("zh") || at("ts") || at("tz") || at("ss")) {
      consonant({'s'}), n = 2;
    } else if (at("kh")) {
      consonant({'h'}), n = 2;
    } else if (at("ck")) {
      consonant({'k'}), n = 2;
    } else if (at("ph")) {
      consonant({'f'}), n = 2;
    } else if (at("ou")) {
      b.Add({'U'}, true), n = 2;  // French у
    } else if (at("gu") && i + 2 < t.size() && (t[i + 2] == 'e' || t[i + 2] == 'i')) {
      consonant({'h'}), n = 2;  // French gu for г before e, i (Sergueï)
    } else if (at("ff") && i + 2 == t.size()) {
      consonant({'v'}), n = 2;  // German and French -off for -ov
    } else if (at("ch")) {
      // English and French ch (ч, ш) or German ch (х); before a consonant
      // or at the end only the German reading is likely.
      char after = i + 2 < t.size() ? t[i + 2] : '\0';
      if (after != '\0' && IsVowelOrY(after)) {
        consonant({'s', 'h'});
      } else {
        consonant({'h'});
      }
      n = 2;
    } else if ((c == 'y' || c == 'j' || c == 'i') && CyrillicVowel(next) != 0 &&
               CyrillicVowel(next) != 'I') {
      // A glide before a vowel: the vowel carries the class. J may also be
      // Spanish х or French ж.
      if (c == 'j') {
        b.Add({'h', 's', '\0'});
      }
    } else if ((c == 'y' || c == 'j' || c == 'i') && after_vowel) {
      // й after a vowel (Sergey, Sergej, Sergei), or и after one (Mikhail).
      if (c == 'i') b.Add({'I', '\0'}, true);
    } else if (c == 'j') {
      consonant({'h'});  // Spanish х before a consonant (Jruschov)
    } else if (char v = CyrillicVowel(c); v != 0) {
      b.Add({v}, true);
    } else {
      switch (c) {
        case 'g':  // Ukrainian г is h
        case 'h':
          consonant({'h'});
          break;
        case 'c':  // ISO 9 ц and, without its caron, ч
        case 's':
        case 'z':  // German z is ц, French and English z is з
          consonant({'s'});
          break;
        case 'q':
          consonant({'k'});
          break;
        case 'x':
          consonant({'k'});
          consonant({'s'});
          break;
        case 'w':
        case 'v':
          consonant({'v'});
          break;
        default:
          consonant({c});
      }
    }
    i += n;
  }
  if (consonants < 2) return;
  for (const auto& k : b.keys()) out.push_back("c:" + k);
}

// The consonant an Arabic romanisation writes at t[i] as both Arabic keys
// read it: digraphs as one letter (kh, gh, sh and French ch, French dj, ph,
// ck), q and k one letter, c by what follows (Youcef), Egyptian g as j
// (Gamal), x as ks. `letters` is how many letters it took: 0 when t[i]
// starts none of these (vowels, y, w, h, t, d, th and dh, which each key
// reads its own way).
struct ArabicConsonant {
  char letter = 0, then = 0;  // `then`: a second consonant (x is k, s)
  size_t letters = 0;
};
ArabicConsonant ArabicConsonantAt(std::string_view t, size_t i) {
  auto at = [&](std::string_view p) { return StartsWith(t, i, p); };
  if (at("kh")) return {'x', 0, 2};
  if (at("gh")) return {'G', 0, 2};
  if (at("sh") || at("ch")) return {'S', 0, 2};  // French ch is English sh
  if (at("dj")) return {'j', 0, 2};              // French dj is English j
  if (at("ph")) return {'f', 0, 2};
  if (at("ck")) return {'k', 0, 2};
  const char next = i + 1 < t.size() ? t[i + 1] : '\0';
  switch (t[i]) {
    case 'q':
    case 'k':
      return {'k', 0, 1};
    case 'c':
      return {next == 'e' || next == 'i' ? 's' : 'k', 0, 1};
    case 'g':
      return {'j', 0, 1};
    case 'x':
      return {'k', 's', 1};
    default:
      return {};
  }
}

// Arabic script writes consonants and long vowels (و w, ي y, ا a) but no
// short vowels, doubled letters or ʿayn: the normaliser gives "ahmd",
// "bas" (عباس), "ywsf", "khdyjh". A record's token so written (no e, i, o
// or u) is keyed by its consonants, w and y kept, alef and a final ة
// dropped; a query's token by the consonants a Latin spelling may stand
// for: ou, ee, ei for w and y, a single u, o, i or e with or without one
// (Yusuf: ysf or ywsf), a dropped. So Abbas meets عباس, Mahmoud meets محمود
// and not محمد, Hussein meets حسين and not حسن.
void ArabicScriptKeys(std::string_view t, bool query, std::vector<std::string>& out) {
  // Written as from script: no e, i, o or u, and one a at most (long ā):
  // "hamd", "slman" — not Latin "Rachad", "Salman".
  auto script_like = [](std::string_view s) {
    if (std::any_of(s.begin(), s.end(),
                    [](char c) { return c == 'e' || c == 'i' || c == 'o' || c == 'u'; })) {
      return false;
    }
    // Not a vowel first either: script's alef and ʿayn give "ahmd" beside
    // "hmd", "mr" for عمر; Latin Amr and Ahmad are not read so.
    return std::count(s.begin(), s.end(), 'a') <= 1 && !IsVowel(s.front());
  };
  if (t.size() < 2 || StartsWith(t, 0, "abd")) return;
  if (!query && !script_like(t)) return;
  KeyBuilder b;
  size_t consonants = 0;
  auto consonant = [&](char c) {
    b.Add({c});
    ++consonants;
  };
  const bool script = script_like(t);
  // The article written joined (الحسيني: lhsyny, alhsyny).
  if (script && t.size() >= 5 && StartsWith(t, 0, "al")) t.remove_prefix(2);
  for (size_t i = 0; i < t.size();) {
    auto at = [&](std::string_view p) { return StartsWith(t, i, p); };
    const char c = t[i];
    const bool first = consonants == 0;
    const bool last = i + 1 == t.size();
    size_t n = 1;
    if (at("th")) {
      consonant('t'), n = 2;
    } else if (at("dh")) {
      consonant('d'), n = 2;
    } else if (auto k = ArabicConsonantAt(t, i); k.letters > 0) {
      consonant(k.letter);
      if (k.then != 0) consonant(k.then);
      n = k.letters;
    } else if (!script && (at("ou") || at("oo") || at("uu"))) {
      // Long ū, or French ou for a short u (Moustapha, Houcine).
      if (!first) b.Add({'w', '\0'});
      b.Separate();
      n = 2;
    } else if (!script && (at("ee") || at("ii") || at("ei") || at("ie") ||
                           ((at("ay") || at("ey") || at("ai")) &&
                            !IsVowel(i + 2 < t.size() ? t[i + 2] : '\0')))) {
      if (!first) b.Add({'y'});
      b.Separate();
      n = 2;
    } else {
      switch (c) {
        case 'a':
          b.Separate();
          break;
        case 'o':
        case 'u':
          if (!first && !last) b.Add({'w', '\0'});
          b.Separate();
          break;
        case 'i':
        case 'e':
          if (!first && !last) b.Add({'y', '\0'});
          b.Separate();
          break;
        case 'h':
        case 't':
          // ة at the end of a word romanised from script (khdyjh, asamt);
          // an h after a vowel at the end of a Latin one (Aishah).
          if (last && consonants > 0 && (script || IsVowel(t[i - 1]))) {
            if (script) b.Add({c, '\0'});
            break;
          }
          consonant(c);
          break;
        case 'y':
          // ى at the end of a word from script (slmy: Salma); Zaky.
          if (last && consonants > 0) {
            b.Add({'y', '\0'});
          } else {
            consonant('y');
          }
          break;
        default:
          consonant(c);
      }
    }
    i += n;
  }
  if (consonants < 2) return;
  for (const auto& k : b.keys()) {
    if (k.size() >= 2) out.push_back("s:" + k);
  }
}

// Arabic romanisations, by class: a (a, aa), i (i, ee, y as a vowel, ei,
// ey), u (u, o, ou, oo, w as a vowel); e stands for any short vowel
// (Youssef is Yusuf, Mehdi is Mahdi, Emad is Imad).
void ArabicKeys(std::string_view t, bool query, std::vector<std::string>& out) {
  // Abd-names meet through their one-token form (TheophoricName): Abdul
  // alone is not Abdallah.
  ArabicScriptKeys(t, query, out);  // for short script forms too ("mr": عمر)
  if (t.size() < 3 || StartsWith(t, 0, "abd")) return;
  // Without the h that ends a word after a vowel (Fatimah, Abdullah), and
  // the French mute e (Slimane).
  if (t.size() > 4 && t.back() == 'h' && IsVowel(t[t.size() - 2])) t.remove_suffix(1);
  if (t.size() > 4 && t.back() == 'e' && !IsVowel(t[t.size() - 2])) t.remove_suffix(1);
  // The silent waw of Amr written as a vowel (Egyptian Amro).
  if (t.size() >= 4 && t.back() == 'o' && !IsVowel(t[t.size() - 2]) && !IsVowel(t[t.size() - 3])) {
    t.remove_suffix(1);
  }
  KeyBuilder b;      // consonants and vowels
  std::string bare;  // consonants alone (w and y only where they are consonants)
  auto consonant = [&](char c) {
    b.Add({c});
    if (bare.empty() || bare.back() != c) bare += c;
  };
  auto vowel = [&](std::initializer_list<char> classes) { b.Add(classes); };
  for (size_t i = 0; i < t.size();) {
    auto at = [&](std::string_view p) { return StartsWith(t, i, p); };
    const char c = t[i];
    const char next = i + 1 < t.size() ? t[i + 1] : '\0';
    size_t n = 1;
    if (at("ou") || at("oo") || at("uu")) {
      vowel({'u'}), n = 2;
    } else if (at("ee") || at("ii") || at("ei") || at("ie")) {
      vowel({'i'}), n = 2;
    } else if ((at("ay") || at("ey")) && !IsVowel(i + 2 < t.size() ? t[i + 2] : '\0')) {
      vowel({'i'}), n = 2;  // the diphthong of Husayn, Zaydan, Seyf
    } else if (at("ai") && !IsVowel(i + 2 < t.size() ? t[i + 2] : '\0')) {
      // Two vowels (Said, Saeed) or the diphthong (Hussain, Hussein).
      b.Add({'a', '\0'});
      vowel({'i'}), n = 2;
    } else if (at("aa")) {
      vowel({'a'}), n = 2;
    } else if (at("th")) {
      consonant('s'), n = 2;  // Uthman, Osman
    } else if (at("dh")) {
      // ذ (Dhikr, Zikr) or the Gulf's ض (Fadhel, Fadel).
      b.Add({'z', 'd'});
      bare += 'd';
      n = 2;
    } else if (auto k = ArabicConsonantAt(t, i); k.letters > 0) {
      consonant(k.letter);
      if (k.then != 0) consonant(k.then);
      n = k.letters;
    } else {
      switch (c) {
        case 'a':
          vowel({'a'});
          break;
        case 'i':
          vowel({'i'});
          break;
        case 'e':
          vowel({'a', 'i', 'u'});
          break;
        case 'o':  // u, or the Maghreb's a (Zohra, Zahra)
          vowel({'u', 'a'});
          break;
        case 'u':
          vowel({'u'});
          break;
        case 'y':
          // A consonant at the start and between vowels (Yahya, Ayash), else
          // a long i or its glide (Husayn, Ranya, Rania, Samiya, Samia).
          if (i == 0 || (i > 0 && IsVowel(t[i - 1]) && IsVowel(next))) {
            consonant(c);
          } else if (!(i > 0 && t[i - 1] == 'i')) {
            vowel({'i'});
          }
          break;
        case 'w':
          // A consonant at the start or before a vowel (Walid, Marwan), else
          // part of a long vowel (Dawud).
          if (i == 0 || IsVowel(next)) {
            consonant(c);
          } else {
            vowel({'u'});
          }
          break;
        default:
          consonant(c);
      }
    }
    i += n;
  }
  // One consonant is enough for a short name (Ali, Aly), not a long one.
  if (bare.size() < (t.size() <= 4 ? 1u : 2u)) return;
  for (const auto& k : b.keys()) out.push_back("a:" + k);
}

// Pinyin with the aspiration of the initial folded: ch'ang and chang are
// one spelling once the apostrophe is gone, so zhang and chang, ji and qi,
// ge and ke meet.
std::string LoosePinyin(std::string_view s) {
  std::string out(s);
  if (StartsWith(s, 0, "zh") || StartsWith(s, 0, "ch")) {
    out.replace(0, 2, "zh");
  } else if (StartsWith(s, 0, "sh")) {
  } else if (!s.empty()) {
    switch (s[0]) {
      case 'c':
        out[0] = 'z';
        break;
      case 'q':
        out[0] = 'j';
        break;
      case 'p':
        out[0] = 'b';
        break;
      case 't':
        out[0] = 'd';
        break;
      case 'k':
        out[0] = 'g';
        break;
      default:
        break;
    }
  }
  return out;
}

void ChineseKeys(std::string_view t, std::vector<std::string>& out) {
  const auto& tables = text::NameTables::BuiltIn();
  size_t before = out.size();
  auto add = [&](std::string key) {
    key.insert(0, "h:");
    if (std::find(out.begin() + static_cast<long>(before), out.end(), key) == out.end()) {
      out.push_back(std::move(key));
    }
  };
  for (const auto& s : tables.HanSurnames(t)) {
    if (StartsWith(s, 0, "zh:")) add(LoosePinyin(std::string_view(s).substr(3)));
  }
  // The fewest syllables that spell the token, the longer first syllable
  // on a tie (xian, not xi an).
  constexpr size_t kMaxLetters = 24;
  const size_t n = t.size();
  if (n == 0 || n > kMaxLetters) return;
  const size_t longest = tables.MaxSyllableLetters();
  std::array<uint8_t, kMaxLetters + 1> fewest, last;
  fewest.fill(UINT8_MAX);
  fewest[0] = 0;
  for (size_t i = 0; i < n; ++i) {
    if (fewest[i] == UINT8_MAX) continue;
    for (size_t len = std::min(longest, n - i); len >= 1; --len) {
      if (tables.SyllableReadings(t.substr(i, len)) == nullptr) continue;
      if (fewest[i] + 1 < fewest[i + len]) {
        fewest[i + len] = static_cast<uint8_t>(fewest[i] + 1);
        last[i + len] = static_cast<uint8_t>(len);
      }
    }
  }
  if (fewest[n] == UINT8_MAX) return;
  std::vector<std::string_view> syllables;
  for (size_t end = n; end > 0; end -= last[end])
    syllables.push_back(t.substr(end - last[end], last[end]));
  std::reverse(syllables.begin(), syllables.end());
  std::vector<std::string> keys{""};
  for (auto syllable : syllables) {
    std::vector<std::string> readings;
    for (const auto& r : *tables.SyllableReadings(syllable)) {
      std::string loose = LoosePinyin(r);
      if (std::find(readings.begin(), readings.end(), loose) == readings.end()) {
        readings.push_back(std::move(loose));
      }
    }
    std::vector<std::string> next;
    for (const auto& k : keys) {
      for (const auto& r : readings) {
        if (next.size() < 4) next.push_back(k + r);
      }
    }
    keys = std::move(next);
  }
  for (auto& k : keys) add(std::move(k));
}

void KoreanKeys(std::string_view t, std::vector<std::string>& out) {
  for (const auto& s : text::NameTables::BuiltIn().HanSurnames(t)) {
    if (StartsWith(s, 0, "ko:")) out.push_back("k:" + s.substr(3));
  }
}

// An Abd-name's divine name, folded: long vowels and doubled letters
// single, e for i, q and Maghrebi g for k, a final e dropped (Rahmane).
std::string FoldDivineName(std::string_view name) {
  // The consonants as Arabic script writes them: no short vowels, no
  // doubled letters, w and y dropped (long vowels there, written or not in
  // Latin), q, k and Maghrebi g one letter. So Rahman, Rahmane and the
  // script's rhmn are one; Rahim (rhm) is another.
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    char next = i + 1 < name.size() ? name[i + 1] : '\0';
    if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'w' || c == 'y') continue;
    if ((c == 'd' || c == 't' || c == 'k' || c == 's' || c == 'g') && next == 'h') {
      c = c == 'd' ? 'd' : c == 't' ? 't' : c == 'k' ? 'x' : c == 's' ? 'S' : 'G';
      ++i;
    } else if (c == 'q' || c == 'g' || c == 'c') {
      c = 'k';
    }
    if (out.empty() || out.back() != c) out += c;
  }
  return out;
}

// Whether `word` (an article written joined to it taken off) is a divine
// name as Latin or Arabic-script romanisations spell it.
bool IsDivineSpelling(std::string_view word) {
  static const std::unordered_set<std::string>* skeletons = [] {
    auto* set = new std::unordered_set<std::string>();
    for (const auto& name : text::NameTables::BuiltIn().DivineNames()) {
      set->insert(FoldDivineName(name));
    }
    return set;
  }();
  if (text::NameTables::BuiltIn().IsDivineName(word)) return true;
  return word.size() >= 2 && skeletons->count(FoldDivineName(word)) > 0;
}

// Whether `rest` (what follows Abd, linking vowel included) spells Allah:
// ullah, allah, ellah, illah, alla, ulla.
bool IsAllah(std::string_view rest) {
  if (rest.size() < 4 || rest.find("ll") == std::string_view::npos) return false;
  if (rest.back() == 'h') rest.remove_suffix(1);
  if (rest.back() != 'a') return false;
  return std::all_of(rest.begin(), rest.end(),
                     [](char c) { return c == 'l' || c == 'h' || IsVowel(c); });
}

}  // namespace

void RomanisationKeys(std::string_view token, uint8_t families, std::vector<std::string>& out,
                      bool query) {
  if (families & kCyrillicNames) CyrillicKeys(token, out);
  if (families & kArabicNames) ArabicKeys(token, query, out);
  if (families & kChineseNames) ChineseKeys(token, out);
  if (families & kKoreanNames) KoreanKeys(token, out);
}

std::vector<std::string> ParticleStems(std::string_view token, size_t min_particle_letters) {
  std::vector<std::string> out;
  const auto& tables = text::NameTables::BuiltIn();
  auto strip = [&](auto& self, std::string_view rest, int depth) -> void {
    if (depth == 0) return;
    for (const auto& p : tables.JoinablePrefixes()) {
      if (p.size() < std::max<size_t>(min_particle_letters, 2) || !StartsWith(rest, 0, p) ||
          rest.size() < p.size() + 4) {
        continue;
      }
      std::string_view stem = rest.substr(p.size());
      if (std::find(out.begin(), out.end(), stem) == out.end()) out.emplace_back(stem);
      self(self, stem, depth - 1);
    }
  };
  strip(strip, token, 3);
  return out;
}

std::vector<std::string> DiminutiveBases(std::string_view token) {
  struct Suffix {
    std::string_view suffix;
    std::initializer_list<std::string_view> endings;  // what replaces it
  };
  static const Suffix kSuffixes[] = {
      {"citos", {"", "o", "os"}},
      {"citas", {"", "a", "as"}},
      {"cito", {"", "o", "e"}},
      {"cita", {"", "a", "e"}},
      {"itos", {"os", "o"}},
      {"itas", {"as", "a"}},
      {"ito", {"o", "e", ""}},
      {"ita", {"a", "e", ""}},
      {"illo", {"o", ""}},
      {"illa", {"a", ""}},
      {"zinho", {""}},
      {"zinha", {""}},
      {"inho", {"o", ""}},
      {"inha", {"a", ""}},
  };
  std::vector<std::string> out;
  for (const auto& [suffix, endings] : kSuffixes) {
    if (token.size() < suffix.size() + 2 || token.substr(token.size() - suffix.size()) != suffix) {
      continue;
    }
    std::string_view stem = token.substr(0, token.size() - suffix.size());
    for (auto ending : endings) {
      std::string base = std::string(stem) + std::string(ending);
      if (base.size() >= 3 && std::find(out.begin(), out.end(), base) == out.end()) {
        out.push_back(std::move(base));
      }
    }
  }
  return out;
}

std::string TheophoricName(const std::vector<std::string>& words, size_t at, size_t* used) {
  *used = 0;
  if (at >= words.size()) return "";
  const auto& tables = text::NameTables::BuiltIn();
  const std::string& first = words[at];
  auto without_article = [](std::string_view w) {
    if (w.size() >= 5 && StartsWith(w, 0, "al")) return w.substr(2);
    if (w.size() >= 4 && StartsWith(w, 0, "l")) return w.substr(1);
    return w;
  };
  // Abd and the divine name as two words: "abdul rahman", "abd al rahman"
  // (the article is a particle, gone), and from Arabic script "bd alzyz"
  // (ʿayn lost, the article joined).
  if ((tables.IsAbdPrefix(first) || first == "bd") && at + 1 < words.size()) {
    std::string_view second = words[at + 1];
    std::string_view bare = without_article(second);
    if (tables.IsDivineName(second) || (first == "bd" && IsDivineSpelling(bare)) ||
        (bare != second && IsDivineSpelling(bare))) {
      *used = 2;
      return "abd" + FoldDivineName(IsAllah(second) ? "allah" : bare);
    }
  }
  if (first.size() > 5 && StartsWith(first, 0, "abd")) {
    std::string_view rest = std::string_view(first).substr(3);
    if (IsAllah(rest)) {
      *used = 1;
      return "abd" + FoldDivineName("allah");
    }
    // Abd, a linking vowel and article as written, then the divine name.
    static constexpr std::string_view kLinks[] = {"oul", "ul", "ol", "al", "el", "il", "ur",
                                                  "ar",  "er", "us", "as", "un", "an", "ou",
                                                  "u",   "e",  "i",  "a",  "o",  ""};
    for (auto link : kLinks) {
      if (!StartsWith(rest, 0, link)) continue;
      std::string_view divine = rest.substr(link.size());
      if (tables.IsDivineName(divine)) {
        *used = 1;
        return "abd" + FoldDivineName(divine);
      }
    }
  }
  // Compounds with al-Din (Nur al-Din, Nureddin, Nuruddin, Salaheddine):
  // the first name's consonants and "din".
  static constexpr std::string_view kDin[] = {"din", "dine", "deen", "dyn"};
  auto is_din = [&](std::string_view w) {
    w = without_article(w);
    for (auto d : kDin) {
      if (w == d) return true;
    }
    for (std::string_view link : {"ed", "ud", "id", "ad", "od", "el", "ul", "al"}) {
      for (auto d : kDin) {
        if (w.size() == link.size() + d.size() && StartsWith(w, 0, link) &&
            w.substr(link.size()) == d) {
          return true;
        }
      }
    }
    return false;
  };
  if (first.size() >= 2 && at + 1 < words.size() && is_din(words[at + 1])) {
    *used = 2;
    return FoldDivineName(first) + "din";
  }
  for (std::string_view tail : {"eddine", "uddine", "addine", "iddine", "eddin", "uddin", "addin",
                                "iddin", "uddeen", "eddeen", "aldin", "eldin", "uldin"}) {
    if (first.size() >= tail.size() + 2 && first.substr(first.size() - tail.size()) == tail) {
      *used = 1;
      return FoldDivineName(std::string_view(first).substr(0, first.size() - tail.size())) + "din";
    }
  }
  return "";
}

bool IsTheophoricToken(std::string_view token) {
  if (!StartsWith(token, 0, "abd") || token.size() < 5) return false;
  size_t used = 0;
  return IsDivineSpelling(token.substr(3)) ||
         !TheophoricName(std::vector<std::string>{std::string(token)}, 0, &used).empty();
}

}  // namespace vigil::search
