// A deterministic generator of synthetic custody feeds (`vigil demo-data`).
//
// WriteDemoFeed writes a facility file and a custody-event file in the feed
// format of DESIGN.md §6, describing invented people and invented facilities:
// about 200 facilities across the US, and for every person a booking, perhaps
// transfers, and perhaps an ending (release, removal, escape and return,
// death), a few re-arrests, and the awkward cases the rest of vigil must
// handle — partial and unknown dates of birth, minors with and without the
// `juvenile` protection, `sec1367`/`asylum` protections, names in Cyrillic,
// Arabic and Chinese script, accents, compound surnames, aliases, A-numbers
// written in several forms.
//
// Output depends only on the options: the same options give byte-identical
// files on every run and platform (own PRNG, integer arithmetic only, no
// clock, locale or hash-order dependence). Memory is about 16 bytes per
// event; 1,000,000 subjects (about 2.5M events, about 1 GB of JSON) take a
// few seconds.
//
// Thread-safety: WriteDemoFeed has no shared state; concurrent calls are safe
// as long as they write to different directories.
#ifndef VIGIL_APP_DEMO_DATA_H_
#define VIGIL_APP_DEMO_DATA_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "vigil/core/error.h"

namespace vigil {

struct DemoOptions {
  int subjects = 1000;  // number of distinct people, 1 .. kMaxDemoSubjects
  uint64_t seed = 1;
  std::string out_dir;  // created (with parents) if missing
  // "Today" for the data: every event occurs in the 730 days before it
  // (strictly before its midnight UTC), and ages are taken on this day.
  // Must be a date in 2000-01-01 .. 2199-12-31; the default (1970) is rejected.
  std::chrono::sys_days as_of;
};

inline constexpr int kMaxDemoSubjects = 10'000'000;

struct DemoSummary {
  int facilities = 0;
  int subjects = 0;
  int64_t events = 0;
};

// Writes `options.out_dir`/facilities.jsonl and `options.out_dir`/events.jsonl,
// replacing existing files of those names. Each file is written under a
// temporary name and renamed into place when complete, so a reader never sees
// a partial file under the final name.
//
// facilities.jsonl: one {"record":"facility",...} line per facility, ids
// "F001", "F002", ... events.jsonl: {"record":"custody_event",...} lines in
// ascending occurred_at order, event ids "E-00000001", ... in the same order;
// every facility_id refers to a line of facilities.jsonl.
//
// Returns kInvalidArgument if subjects is outside 1..kMaxDemoSubjects, out_dir
// is empty or as_of is out of range; kUnavailable if a directory or file
// cannot be created, written or renamed (the message names the path and the
// system's reason), in which case the temporary files are removed.
//
// `progress`, if set, is called on the calling thread with the number of
// events written so far, about every 10,000 events and once at the end.
Result<DemoSummary> WriteDemoFeed(const DemoOptions& options,
                                  const std::function<void(int64_t)>& progress = {});

}  // namespace vigil

#endif  // VIGIL_APP_DEMO_DATA_H_
