#include "vigil/text/double_metaphone.h"

#include <initializer_list>

#include "vigil/text/detail/code_points.h"

namespace vigil::text {
namespace {

// Positions that hold non-ASCII code points get these bytes, which no rule
// mentions, so they code as nothing (Ç and Ñ have cases of their own).
constexpr char kCCedilla = '\x01';
constexpr char kNTilde = '\x02';
constexpr char kOtherNonAscii = '\x03';

// Rules look up to five characters past the end (e.g. "IER " at the last
// letter, " C" after "MAC"); padding with spaces makes those look-ups see a
// word boundary, as in Philips' implementation.
constexpr std::string_view kPadding = "     ";

std::string PrepareWord(std::string_view utf8) {
  std::string word;
  word.reserve(utf8.size() + kPadding.size());
  for (char32_t cp : detail::DecodeUtf8Lossy(utf8)) {
    if (cp >= 'a' && cp <= 'z') {
      word.push_back(static_cast<char>(cp - 'a' + 'A'));
    } else if (cp < 0x80) {
      word.push_back(static_cast<char>(cp));
    } else if (cp == U'Ç' || cp == U'ç') {
      word.push_back(kCCedilla);
    } else if (cp == U'Ñ' || cp == U'ñ') {
      word.push_back(kNTilde);
    } else {
      word.push_back(kOtherNonAscii);
    }
  }
  return word;
}

// One encoding run: the upper-cased word, a cursor and the two codes being
// built. Positions are ints because rules look behind the cursor (pos - 4)
// and out-of-range look-ups must simply fail.
class Encoder {
 public:
  Encoder(std::string word, size_t max_length)
      : length_(static_cast<int>(word.size())),
        last_(length_ - 1),
        max_length_(max_length),
        word_(std::move(word)) {
    word_.append(kPadding);
    slavo_germanic_ = word_.find('W') != std::string::npos ||
                      word_.find('K') != std::string::npos ||
                      word_.find("CZ") != std::string::npos;  // "WITZ" already has a W
  }

  DoubleMetaphoneCode Run() {
    int pos = 0;
    // Silent first letter: "Gnome", "Knight", "Pneumatic", "Wright", "Psalm".
    if (Match(0, {"GN", "KN", "PN", "WR", "PS"})) pos = 1;
    // Initial X sounds like S ("Xavier").
    if (At(0) == 'X') {
      Add("S");
      pos = 1;
    }
    while (!Full() && pos < length_) pos = Step(pos);
    if (max_length_ != 0) {
      if (primary_.size() > max_length_) primary_.resize(max_length_);
      if (alternate_.size() > max_length_) alternate_.resize(max_length_);
    }
    return {std::move(primary_), std::move(alternate_)};
  }

 private:
  bool Full() const {
    return max_length_ != 0 && primary_.size() >= max_length_ && alternate_.size() >= max_length_;
  }

  // The character at `pos`, or '\0' outside the padded word.
  char At(int pos) const {
    if (pos < 0 || pos >= static_cast<int>(word_.size())) return '\0';
    return word_[pos];
  }

  // Whether the text at `pos` begins with one of `options` (all the same
  // length in every call). False when `pos` is before the word.
  bool Match(int pos, std::initializer_list<std::string_view> options) const {
    if (pos < 0 || pos >= static_cast<int>(word_.size())) return false;
    std::string_view rest = std::string_view(word_).substr(pos);
    for (std::string_view option : options) {
      if (rest.starts_with(option)) return true;
    }
    return false;
  }

  bool IsVowel(int pos) const {
    switch (At(pos)) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
      case 'Y':
        return true;
      default:
        return false;
    }
  }

  bool StartsGermanic() const { return Match(0, {"VAN ", "VON "}) || Match(0, {"SCH"}); }

  void Add(std::string_view both) {
    primary_.append(both);
    alternate_.append(both);
  }
  void Add(std::string_view primary, std::string_view alternate) {
    primary_.append(primary);
    alternate_.append(alternate);
  }

  // Codes the sound starting at `pos`; returns the position after it.
  int Step(int pos) {
    switch (At(pos)) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
      case 'Y':
        // Vowels count only at the start of the word, all as "A".
        if (pos == 0) Add("A");
        return pos + 1;
      case 'B':
        Add("P");
        return At(pos + 1) == 'B' ? pos + 2 : pos + 1;
      case kCCedilla:
        Add("S");
        return pos + 1;
      case 'C':
        return StepC(pos);
      case 'D':
        return StepD(pos);
      case 'F':
        Add("F");
        return At(pos + 1) == 'F' ? pos + 2 : pos + 1;
      case 'G':
        return StepG(pos);
      case 'H':
        // Sounded only at the start or between vowels, and before a vowel.
        if ((pos == 0 || IsVowel(pos - 1)) && IsVowel(pos + 1)) {
          Add("H");
          return pos + 2;
        }
        return pos + 1;
      case 'J':
        return StepJ(pos);
      case 'K':
        Add("K");
        return At(pos + 1) == 'K' ? pos + 2 : pos + 1;
      case 'L':
        return StepL(pos);
      case 'M': {
        // "dumb", "thumbs", "plumber": the B after UM is silent.
        bool silent_b = Match(pos - 1, {"UMB"}) && (pos + 1 == last_ || Match(pos + 2, {"ER"}));
        Add("M");
        return silent_b || At(pos + 1) == 'M' ? pos + 2 : pos + 1;
      }
      case 'N':
        Add("N");
        return At(pos + 1) == 'N' ? pos + 2 : pos + 1;
      case kNTilde:
        Add("N");
        return pos + 1;
      case 'P':
        if (At(pos + 1) == 'H') {
          Add("F");
          return pos + 2;
        }
        Add("P");
        // "Campbell", "raspberry".
        return Match(pos + 1, {"P", "B"}) ? pos + 2 : pos + 1;
      case 'Q':
        Add("K");
        return At(pos + 1) == 'Q' ? pos + 2 : pos + 1;
      case 'R':
        // French final -ier ("Rogier") is silent in the primary, but not
        // after ME/MA ("Hochmeier").
        if (pos == last_ && !slavo_germanic_ && Match(pos - 2, {"IE"}) &&
            !Match(pos - 4, {"ME", "MA"})) {
          Add("", "R");
        } else {
          Add("R");
        }
        return At(pos + 1) == 'R' ? pos + 2 : pos + 1;
      case 'S':
        return StepS(pos);
      case 'T':
        return StepT(pos);
      case 'V':
        Add("F");
        return At(pos + 1) == 'V' ? pos + 2 : pos + 1;
      case 'W':
        return StepW(pos);
      case 'X':
        // French final -aux/-eaux/-oux is silent ("Breaux").
        if (!(pos == last_ && (Match(pos - 3, {"IAU", "EAU"}) || Match(pos - 2, {"AU", "OU"})))) {
          Add("KS");
        }
        return Match(pos + 1, {"C", "X"}) ? pos + 2 : pos + 1;
      case 'Z':
        if (At(pos + 1) == 'H') {  // Pinyin: "Zhao"
          Add("J");
          return pos + 2;
        }
        if (Match(pos + 1, {"ZO", "ZI", "ZA"}) ||
            (slavo_germanic_ && pos > 0 && At(pos - 1) != 'T')) {
          Add("S", "TS");
        } else {
          Add("S");
        }
        return At(pos + 1) == 'Z' ? pos + 2 : pos + 1;
      default:
        return pos + 1;
    }
  }

  int StepC(int pos) {
    // Germanic "-ach-" ("Bacher", "Macher"), but not "-achi-"/"-ache-".
    if (pos > 1 && !IsVowel(pos - 2) && Match(pos - 1, {"ACH"}) && At(pos + 2) != 'I' &&
        (At(pos + 2) != 'E' || Match(pos - 2, {"BACHER", "MACHER"}))) {
      Add("K");
      return pos + 2;
    }
    if (pos == 0 && Match(pos, {"CAESAR"})) {
      Add("S");
      return pos + 2;
    }
    if (Match(pos, {"CHIA"})) {  // Italian "Chianti"
      Add("K");
      return pos + 2;
    }
    if (Match(pos, {"CH"})) return StepCh(pos);
    if (Match(pos, {"CZ"}) && !Match(pos - 2, {"WICZ"})) {  // "Czerny"
      Add("S", "X");
      return pos + 2;
    }
    if (Match(pos + 1, {"CIA"})) {  // "Focaccia"
      Add("X");
      return pos + 3;
    }
    // Double C, but not "McClellan".
    if (Match(pos, {"CC"}) && !(pos == 1 && At(0) == 'M')) {
      // "Bellocchio", but not "Bacchus".
      if (Match(pos + 2, {"I", "E", "H"}) && !Match(pos + 2, {"HU"})) {
        // "Accident", "accede", "succeed" versus Italian "Bacci", "Bertucci".
        if ((pos == 1 && At(pos - 1) == 'A') || Match(pos - 1, {"UCCEE", "UCCES"})) {
          Add("KS");
        } else {
          Add("X");
        }
        return pos + 3;
      }
      Add("K");  // Pierce's rule
      return pos + 2;
    }
    if (Match(pos, {"CK", "CG", "CQ"})) {
      Add("K");
      return pos + 2;
    }
    if (Match(pos, {"CI", "CE", "CY"})) {
      if (Match(pos, {"CIO", "CIE", "CIA"})) {  // Italian versus English
        Add("S", "X");
      } else {
        Add("S");
      }
      return pos + 2;
    }
    Add("K");
    // Names written apart: "Mac Caffrey", "Mac Gregor".
    if (Match(pos + 1, {" C", " Q", " G"})) return pos + 3;
    if (Match(pos + 1, {"C", "K", "Q"}) && !Match(pos + 1, {"CE", "CI"})) return pos + 2;
    return pos + 1;
  }

  int StepCh(int pos) {
    if (pos > 0 && Match(pos, {"CHAE"})) {  // "Michael"
      Add("K", "X");
      return pos + 2;
    }
    // Greek roots at the start: "chemistry", "chorus", "character", but not "chore".
    if (pos == 0 &&
        (Match(pos + 1, {"HARAC", "HARIS"}) || Match(pos + 1, {"HOR", "HYM", "HIA", "HEM"})) &&
        !Match(0, {"CHORE"})) {
      Add("K");
      return pos + 2;
    }
    // Germanic, Greek or otherwise a "kh" sound: "architect" and "orchestra"
    // but not "arch"; "Wachtler", "Wechsler" but not "Tichner".
    if (StartsGermanic() || Match(pos - 2, {"ORCHES", "ARCHIT", "ORCHID"}) ||
        Match(pos + 2, {"T", "S"}) ||
        ((Match(pos - 1, {"A", "O", "U", "E"}) || pos == 0) &&
         Match(pos + 2, {"L", "R", "N", "M", "B", "H", "F", "V", "W", " "}))) {
      Add("K");
    } else if (pos > 0) {
      if (Match(0, {"MC"})) {  // "McHugh"
        Add("K");
      } else {
        Add("X", "K");
      }
    } else {
      Add("X");
    }
    return pos + 2;
  }

  int StepD(int pos) {
    if (Match(pos, {"DG"})) {
      if (Match(pos + 2, {"I", "E", "Y"})) {  // "edge"
        Add("J");
        return pos + 3;
      }
      Add("TK");  // "Edgar"
      return pos + 2;
    }
    Add("T");
    return Match(pos, {"DT", "DD"}) ? pos + 2 : pos + 1;
  }

  int StepG(int pos) {
    if (At(pos + 1) == 'H') return StepGh(pos);
    if (At(pos + 1) == 'N') {
      if (pos == 1 && IsVowel(0) && !slavo_germanic_) {
        Add("KN", "N");
      } else if (!Match(pos + 2, {"EY"}) && At(pos + 1) != 'Y' && !slavo_germanic_) {
        // Not "Cagney".
        Add("N", "KN");
      } else {
        Add("KN");
      }
      return pos + 2;
    }
    if (Match(pos + 1, {"LI"}) && !slavo_germanic_) {  // "Tagliaro"
      Add("KL", "L");
      return pos + 2;
    }
    // -ges-, -gep-, -gel-, -gie- at the start.
    if (pos == 0 && (At(pos + 1) == 'Y' || Match(pos + 1, {"ES", "EP", "EB", "EL", "EY", "IB", "IL",
                                                           "IN", "IE", "EI", "ER"}))) {
      Add("K", "J");
      return pos + 2;
    }
    // -ger-, -gy-.
    if ((Match(pos + 1, {"ER"}) || At(pos + 1) == 'Y') &&
        !Match(0, {"DANGER", "RANGER", "MANGER"}) && !Match(pos - 1, {"E", "I"}) &&
        !Match(pos - 1, {"RGY", "OGY"})) {
      Add("K", "J");
      return pos + 2;
    }
    // Italian: "Biaggi".
    if (Match(pos + 1, {"E", "I", "Y"}) || Match(pos - 1, {"AGGI", "OGGI"})) {
      if (StartsGermanic() || Match(pos + 1, {"ET"})) {
        Add("K");
      } else if (Match(pos + 1, {"IER "})) {  // French ending: always soft
        Add("J");
      } else {
        Add("J", "K");
      }
      return pos + 2;
    }
    Add("K");
    return At(pos + 1) == 'G' ? pos + 2 : pos + 1;
  }

  int StepGh(int pos) {
    if (pos > 0 && !IsVowel(pos - 1)) {
      Add("K");
      return pos + 2;
    }
    if (pos == 0) {  // "Ghislane", "Ghiradelli"
      Add(At(pos + 2) == 'I' ? "J" : "K");
      return pos + 2;
    }
    // Parker's rule, refined: silent in "Hugh", "bough", "Broughton".
    if ((pos > 1 && Match(pos - 2, {"B", "H", "D"})) ||
        (pos > 2 && Match(pos - 3, {"B", "H", "D"})) || (pos > 3 && Match(pos - 4, {"B", "H"}))) {
      return pos + 2;
    }
    // "laugh", "McLaughlin", "cough", "Gough", "rough", "tough".
    if (pos > 2 && At(pos - 1) == 'U' && Match(pos - 3, {"C", "G", "L", "R", "T"})) {
      Add("F");
    } else if (pos > 0 && At(pos - 1) != 'I') {
      Add("K");
    }
    return pos + 2;
  }

  int StepJ(int pos) {
    // Spanish: "Jose", "San Jacinto".
    if (Match(pos, {"JOSE"}) || Match(0, {"SAN "})) {
      if ((pos == 0 && At(pos + 4) == ' ') || Match(0, {"SAN "})) {
        Add("H");
      } else {
        Add("J", "H");
      }
      return pos + 1;
    }
    if (pos == 0) {
      Add("J", "A");  // "Yankelovich" / "Jankelowicz"
    } else if (IsVowel(pos - 1) && !slavo_germanic_ && (At(pos + 1) == 'A' || At(pos + 1) == 'O')) {
      Add("J", "H");  // Spanish "bajador"
    } else if (pos == last_) {
      Add("J", "");
    } else if (!Match(pos + 1, {"L", "T", "K", "S", "N", "M", "B", "Z"}) &&
               !Match(pos - 1, {"S", "K", "L"})) {
      Add("J");
    }
    return At(pos + 1) == 'J' ? pos + 2 : pos + 1;
  }

  int StepL(int pos) {
    if (At(pos + 1) != 'L') {
      Add("L");
      return pos + 1;
    }
    // Spanish "Cabrillo", "Gallegos": the LL is silent in the alternate.
    if ((pos == length_ - 3 && Match(pos - 1, {"ILLO", "ILLA", "ALLE"})) ||
        ((Match(last_ - 1, {"AS", "OS"}) || Match(last_, {"A", "O"})) &&
         Match(pos - 1, {"ALLE"}))) {
      Add("L", "");
    } else {
      Add("L");
    }
    return pos + 2;
  }

  int StepS(int pos) {
    if (Match(pos - 1, {"ISL", "YSL"})) return pos + 1;  // "island", "Carlisle"
    if (pos == 0 && Match(pos, {"SUGAR"})) {
      Add("X", "S");
      return pos + 1;
    }
    if (Match(pos, {"SH"})) {
      // Germanic "-sheim", "-shoek", "-sholm", "-sholz".
      Add(Match(pos + 1, {"HEIM", "HOEK", "HOLM", "HOLZ"}) ? "S" : "X");
      return pos + 2;
    }
    if (Match(pos, {"SIO", "SIA"}) || Match(pos, {"SIAN"})) {  // Italian, Armenian
      if (slavo_germanic_) {
        Add("S");
      } else {
        Add("S", "X");
      }
      return pos + 3;
    }
    // German and anglicised: "Smith" matches "Schmidt", "Snider" matches
    // "Schneider"; Slavic -sz- (though Hungarian sz is "s").
    if ((pos == 0 && Match(pos + 1, {"M", "N", "L", "W"})) || Match(pos + 1, {"Z"})) {
      Add("S", "X");
      return Match(pos + 1, {"Z"}) ? pos + 2 : pos + 1;
    }
    if (Match(pos, {"SC"})) return StepSc(pos);
    // French final -ais/-ois: "Resnais", "Artois".
    if (pos == last_ && Match(pos - 2, {"AI", "OI"})) {
      Add("", "S");
    } else {
      Add("S");
    }
    return Match(pos + 1, {"S", "Z"}) ? pos + 2 : pos + 1;
  }

  int StepSc(int pos) {
    if (At(pos + 2) == 'H') {  // Schlesinger's rule
      // Dutch: "school", "schooner"; "Schermerhorn", "Schenker" either way.
      if (Match(pos + 3, {"OO", "ER", "EN", "UY", "ED", "EM"})) {
        if (Match(pos + 3, {"ER", "EN"})) {
          Add("X", "SK");
        } else {
          Add("SK");
        }
        return pos + 3;
      }
      if (pos == 0 && !IsVowel(3) && At(3) != 'W') {
        Add("X", "S");
      } else {
        Add("X");
      }
      return pos + 3;
    }
    Add(Match(pos + 2, {"I", "E", "Y"}) ? "S" : "SK");
    return pos + 3;
  }

  int StepT(int pos) {
    if (Match(pos, {"TION"})) {
      Add("X");
      return pos + 3;
    }
    if (Match(pos, {"TIA", "TCH"})) {
      Add("X");
      return pos + 3;
    }
    if (Match(pos, {"TH"}) || Match(pos, {"TTH"})) {
      // "Thomas", "Thames", or Germanic.
      if (Match(pos + 2, {"OM", "AM"}) || StartsGermanic()) {
        Add("T");
      } else {
        Add("0", "T");
      }
      return pos + 2;
    }
    Add("T");
    return Match(pos + 1, {"T", "D"}) ? pos + 2 : pos + 1;
  }

  int StepW(int pos) {
    if (Match(pos, {"WR"})) {
      Add("R");
      return pos + 2;
    }
    if (pos == 0 && (IsVowel(pos + 1) || Match(pos, {"WH"}))) {
      if (IsVowel(pos + 1)) {
        Add("A", "F");  // "Wasserman" matches "Vasserman"
      } else {
        Add("A");  // "Uomo" matches "Womo"
      }
    }
    // "Arnow" matches "Arnoff"; Polish -ewski/-owski.
    if ((pos == last_ && IsVowel(pos - 1)) ||
        Match(pos - 1, {"EWSKI", "EWSKY", "OWSKI", "OWSKY"}) || Match(0, {"SCH"})) {
      Add("", "F");
      return pos + 1;
    }
    if (Match(pos, {"WICZ", "WITZ"})) {  // Polish "Filipowicz"
      Add("TS", "FX");
      return pos + 4;
    }
    return pos + 1;
  }

  const int length_;  // of the word without padding
  const int last_;
  const size_t max_length_;
  std::string word_;  // upper-cased, padded
  bool slavo_germanic_ = false;
  std::string primary_;
  std::string alternate_;
};

}  // namespace

DoubleMetaphoneCode DoubleMetaphone(std::string_view word, size_t max_length) {
  return Encoder(PrepareWord(word), max_length).Run();
}

}  // namespace vigil::text
