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

// A field of /proc/self/status in KiB: "VmRSS" (all resident memory) or
// "RssAnon" (the heap and stacks, without mapped files such as a database
// read through mmap). 0 where /proc is missing.
inline long StatusKb(const std::string& field = "VmRSS") {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return 0;
}
inline long RssKb() { return StatusKb("VmRSS"); }

}  // namespace vigil::bench

#endif  // VIGIL_BENCH_BENCH_STATS_H_
