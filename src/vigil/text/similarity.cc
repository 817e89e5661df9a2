#include "vigil/text/similarity.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "vigil/text/detail/code_points.h"

namespace vigil::text {
namespace {

struct JaroMatch {
  double similarity = 0;
  int matches = 0;
};

JaroMatch Jaro(const std::u32string& a, const std::u32string& b) {
  const int la = static_cast<int>(a.size());
  const int lb = static_cast<int>(b.size());
  if (la == 0 || lb == 0) return {};
  const int window = std::max(0, std::max(la, lb) / 2 - 1);
  std::vector<bool> a_matched(la), b_matched(lb);
  int matches = 0;
  for (int i = 0; i < la; ++i) {
    const int hi = std::min(i + window, lb - 1);
    for (int j = std::max(0, i - window); j <= hi; ++j) {
      if (!b_matched[j] && a[i] == b[j]) {
        a_matched[i] = b_matched[j] = true;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return {};
  int out_of_order = 0;
  for (int i = 0, j = 0; i < la; ++i) {
    if (!a_matched[i]) continue;
    while (!b_matched[j]) ++j;
    if (a[i] != b[j]) ++out_of_order;
    ++j;
  }
  const int transpositions = out_of_order / 2;
  const double m = matches;
  return {(m / la + m / lb + (m - transpositions) / m) / 3.0, matches};
}

}  // namespace

double JaroSimilarity(std::string_view a, std::string_view b) {
  return Jaro(detail::DecodeUtf8Lossy(a), detail::DecodeUtf8Lossy(b)).similarity;
}

double JaroWinklerSimilarity(std::string_view a, std::string_view b,
                             const JaroWinklerOptions& options) {
  const std::u32string ca = detail::DecodeUtf8Lossy(a);
  const std::u32string cb = detail::DecodeUtf8Lossy(b);
  const auto [jaro, matches] = Jaro(ca, cb);
  double weight = jaro;
  if (weight <= options.boost_threshold) return weight;
  const int min_len = static_cast<int>(std::min(ca.size(), cb.size()));
  const int prefix_limit = std::min(min_len, options.max_prefix);
  int prefix = 0;
  while (prefix < prefix_limit && ca[prefix] == cb[prefix]) ++prefix;
  weight += prefix * options.prefix_scale * (1.0 - weight);
  if (options.long_tolerance && min_len > 4 && matches > prefix + 1 &&
      2 * matches >= min_len + prefix) {
    const double total = static_cast<double>(ca.size() + cb.size());
    weight += (1.0 - weight) * (matches - prefix - 1) / (total - 2 * prefix + 2);
  }
  return weight;
}

int LevenshteinDistance(std::string_view a, std::string_view b) {
  const std::u32string ca = detail::DecodeUtf8Lossy(a);
  const std::u32string cb = detail::DecodeUtf8Lossy(b);
  // One row of the edit-distance matrix: row[j] is the distance between the
  // first i characters of `a` and the first j of `b`.
  std::vector<int> row(cb.size() + 1);
  for (size_t j = 0; j <= cb.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= ca.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= cb.size(); ++j) {
      const int above = row[j];
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (ca[i - 1] == cb[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[cb.size()];
}

int DamerauLevenshteinDistance(std::string_view a, std::string_view b) {
  // Lowrance and Wagner's algorithm. d(i, j) is the distance between the
  // first i characters of `a` and the first j of `b`, stored shifted by one
  // so that row and column 0 can hold a "too far" sentinel.
  const std::u32string ca = detail::DecodeUtf8Lossy(a);
  const std::u32string cb = detail::DecodeUtf8Lossy(b);
  const int la = static_cast<int>(ca.size());
  const int lb = static_cast<int>(cb.size());
  const int too_far = la + lb;
  const int width = lb + 2;
  std::vector<int> d(static_cast<size_t>(la + 2) * width);
  auto at = [&](int i, int j) -> int& { return d[static_cast<size_t>(i + 1) * width + (j + 1)]; };
  at(-1, -1) = too_far;
  for (int i = 0; i <= la; ++i) {
    at(i, -1) = too_far;
    at(i, 0) = i;
  }
  for (int j = 0; j <= lb; ++j) {
    at(-1, j) = too_far;
    at(0, j) = j;
  }
  // last_row_of[c]: the last row (1-based) of `a` holding character c so far.
  std::unordered_map<char32_t, int> last_row_of;
  for (int i = 1; i <= la; ++i) {
    int last_match_col = 0;  // last column (1-based) in this row where a[i] == b[j]
    for (int j = 1; j <= lb; ++j) {
      const auto found = last_row_of.find(cb[j - 1]);
      const int k = found == last_row_of.end() ? 0 : found->second;
      const int l = last_match_col;
      int cost = 1;
      if (ca[i - 1] == cb[j - 1]) {
        cost = 0;
        last_match_col = j;
      }
      at(i, j) = std::min({at(i - 1, j - 1) + cost, at(i, j - 1) + 1, at(i - 1, j) + 1,
                           // Transpose a[k] and a[i] with b[l] and b[j], editing
                           // the characters between them.
                           at(k - 1, l - 1) + (i - k - 1) + 1 + (j - l - 1)});
    }
    last_row_of[ca[i - 1]] = i;
  }
  return at(la, lb);
}

std::string ClosestSpelling(std::string_view typed, const std::vector<std::string>& known) {
  std::string best;
  int best_distance = 3;
  for (const auto& k : known) {
    const int d = DamerauLevenshteinDistance(typed, k);
    if (d < best_distance && 2 * static_cast<size_t>(d) < k.size()) {
      best = k;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace vigil::text
