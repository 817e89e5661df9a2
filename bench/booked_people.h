// Benchmark support: a store of N people booked at one facility, with
// A-numbers of one series, for the benchmarks that time requests about
// known people (audit, takedown).
#ifndef VIGIL_BENCH_BOOKED_PEOPLE_H_
#define VIGIL_BENCH_BOOKED_PEOPLE_H_

#include <cstdio>
#include <string>

#include "vigil/ingest/feed_importer.h"
#include "vigil/testing/notify_fixture.h"

namespace vigil::bench {

// The A-number of person `i` (1-based) of `series` (a digit 1-9).
inline std::string SeriesANumber(int series, int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%d%08d", series, i);
  return buf;
}

// Books people 1..count ("Persona Numero", or "Persona Numero<i>" with
// `distinct_surnames`) at ADL; false if the import fails.
inline bool BookPeople(Store* store, const Clock* clock, int series, int count,
                       bool distinct_surnames) {
  std::string feed = testutil::kTwoFacilities;
  for (int i = 1; i <= count; ++i) {
    feed += testutil::CustodyEventLine(
        "B" + std::to_string(i), "booked", "2026-11-01T00:00:00Z", "ADL", SeriesANumber(series, i),
        "Persona", distinct_surnames ? "Numero" + std::to_string(i) : "Numero");
  }
  FeedImporter importer(store, clock);
  return importer.ImportText("setup", feed, FeedFormat::kJsonLines, nullptr).has_value();
}

}  // namespace vigil::bench

#endif  // VIGIL_BENCH_BOOKED_PEOPLE_H_
