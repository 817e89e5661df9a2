// Small measuring helpers the benchmarks share: a percentile of a sample and
// this process's resident memory.
#ifndef VIGIL_BENCH_BENCH_STATS_H_
#define VIGIL_BENCH_BENCH_STATS_H_

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace vigil::bench {

// The p-quantile (0..1) of `v` by the nearest rank below; 0 when empty.
inline double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// VmRSS of this process, in KiB (0 where /proc is missing).
inline long RssKb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

}  // namespace vigil::bench

#endif  // VIGIL_BENCH_BENCH_STATS_H_
