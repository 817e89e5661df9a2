#include "vigil/app/demo_data.h"

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
#include "vigil/app/demo_people.h"
#include "vigil/core/json_text.h"

namespace vigil {
namespace {
using namespace demo_detail;  // NOLINT: the generators of demo_kit.h and demo_people.h

// ---------------------------------------------------------------------------
// Lives: the custody events of each person.

enum class EventKind : uint8_t {
  kBooked,
  kTransferred,
  kReleased,
  kRemoved,
  kEscaped,
  kReturned,
  kDeceased,
  kUpdated,
};

std::string_view KindName(EventKind kind) {
  switch (kind) {
    case EventKind::kBooked:
      return "booked";
    case EventKind::kTransferred:
      return "transferred";
    case EventKind::kReleased:
      return "released";
    case EventKind::kRemoved:
      return "removed";
    case EventKind::kEscaped:
      return "escaped";
    case EventKind::kReturned:
      return "returned";
    case EventKind::kDeceased:
      return "deceased";
    case EventKind::kUpdated:
      return "updated";
  }
  return "updated";
}

enum class Basis : uint8_t { kCivilImmigration, kCriminalCharge, kCriminalConviction };

std::string_view BasisName(Basis basis) {
  switch (basis) {
    case Basis::kCivilImmigration:
      return "civil_immigration";
    case Basis::kCriminalCharge:
      return "criminal_charge";
    case Basis::kCriminalConviction:
      return "criminal_conviction";
  }
  return "civil_immigration";
}

// One event awaiting the global sort: 16 bytes, so millions fit easily.
struct PendingEvent {
  int32_t minute;  // minutes since the Unix epoch
  uint32_t subject;
  int32_t scheduled_release;  // minutes since the epoch; 0 when absent
  uint16_t facility;          // index into the facility list
  EventKind kind;
  Basis basis;
};
static_assert(sizeof(PendingEvent) == 16);

// Gaps between consecutive events of one person, in minutes: a choice of
// scale (minutes .. months), then uniform within it.
struct GapScale {
  int64_t low, high;
};
constexpr GapScale kGapScales[] = {
    {5, 180},                 // minutes to hours
    {180, 2 * 1440},          // hours to two days
    {2 * 1440, 14 * 1440},    // days to two weeks
    {14 * 1440, 60 * 1440},   // weeks to two months
    {60 * 1440, 150 * 1440},  // months
};
using GapWeights = std::array<uint32_t, std::size(kGapScales)>;
constexpr GapWeights kTransferGap = {5, 25, 40, 25, 5};
constexpr GapWeights kReleaseGap = {3, 10, 30, 37, 20};
constexpr GapWeights kRemovalGap = {2, 8, 25, 40, 25};
constexpr GapWeights kEscapeGap = {5, 10, 30, 35, 20};
constexpr GapWeights kReturnGap = {20, 40, 30, 10, 0};
constexpr GapWeights kRearrestGap = {0, 0, 10, 40, 50};
constexpr GapWeights kUpdateGap = {20, 30, 30, 20, 0};

int64_t Gap(Rng& rng, const GapWeights& weights) {
  uint32_t total = 0;
  for (uint32_t w : weights) total += w;
  uint64_t r = rng.Below(total);
  size_t scale = 0;
  while (r >= weights[scale]) r -= weights[scale++];
  return rng.Between(kGapScales[scale].low, kGapScales[scale].high);
}

class LifeGenerator {
 public:
  LifeGenerator(uint64_t seed, int64_t as_of_minute, const std::vector<Facility>& facilities)
      : seed_(seed), as_of_minute_(as_of_minute), facilities_(facilities) {
    facility_table_ = WeightedTable(facilities, [](const Facility& f) { return f.weight; });
    std::vector<uint32_t> family_weights;
    for (size_t i = 0; i < facilities.size(); ++i) {
      if (facilities[i].family_center) {
        family_centers_.push_back(static_cast<uint16_t>(i));
        family_weights.push_back(facilities[i].weight);
      }
    }
    family_table_ = WeightedTable(family_weights, [](uint32_t w) { return w; });
  }

  // Appends the events of `subject` to `events`.
  void Generate(uint32_t subject, const Identity& identity,
                std::vector<PendingEvent>* events) const;

 private:
  struct Step {
    EventKind kind;
    int64_t gap;  // minutes after the previous step
    uint16_t facility;
    Basis basis;
    bool scheduled;  // a booking that announces its release time
  };

  uint16_t PickFacility(Rng& rng) const { return static_cast<uint16_t>(facility_table_.Pick(rng)); }
  uint16_t PickOtherFacility(Rng& rng, uint16_t current) const {
    for (int i = 0; i < 16; ++i) {
      uint16_t f = PickFacility(rng);
      if (f != current) return f;
    }
    return static_cast<uint16_t>((current + 1) % facilities_.size());
  }
  static Basis PickBasis(Rng& rng) {
    uint64_t r = rng.Below(100);
    return r < 65   ? Basis::kCivilImmigration
           : r < 80 ? Basis::kCriminalCharge
                    : Basis::kCriminalConviction;
  }

  uint64_t seed_;
  int64_t as_of_minute_;
  const std::vector<Facility>& facilities_;
  WeightedTable facility_table_;
  std::vector<uint16_t> family_centers_;
  WeightedTable family_table_;
};

void LifeGenerator::Generate(uint32_t subject, const Identity& identity,
                             std::vector<PendingEvent>* events) const {
  Rng rng(StreamSeed(seed_, Stream::kLife, subject));
  std::vector<Step> steps;

  // One stay in custody: booked, transfers, perhaps an ending. Returns true
  // if the stay ended in a release (so the person can be re-arrested).
  auto stay = [&](int max_transfers, uint32_t ending_per_mille, int64_t booking_gap) {
    uint16_t facility;
    if (identity.minor && !family_centers_.empty() && rng.PerMille(800)) {
      facility = family_centers_[family_table_.Pick(rng)];
    } else {
      facility = PickFacility(rng);
    }
    Basis basis = PickBasis(rng);
    size_t booking = steps.size();
    steps.push_back({EventKind::kBooked, booking_gap, facility, basis, false});
    uint64_t r = rng.Below(100);
    int transfers = r < 50 ? 0 : r < 80 ? 1 : r < 93 ? 2 : 3;
    transfers = std::min(transfers, max_transfers);
    for (int i = 0; i < transfers; ++i) {
      facility = PickOtherFacility(rng, facility);
      steps.push_back({EventKind::kTransferred, Gap(rng, kTransferGap), facility, basis, false});
    }
    bool released = false;
    if (rng.PerMille(ending_per_mille)) {
      uint64_t e = rng.Below(10000);
      if (e < 8) {
        steps.push_back({EventKind::kDeceased, Gap(rng, kReleaseGap), facility, basis, false});
      } else if (e < 58) {
        steps.push_back({EventKind::kEscaped, Gap(rng, kEscapeGap), facility, basis, false});
        if (rng.PerMille(800)) {
          if (!rng.PerMille(600)) facility = PickOtherFacility(rng, facility);
          steps.push_back({EventKind::kReturned, Gap(rng, kReturnGap), facility, basis, false});
          if (rng.PerMille(500)) {
            bool removal = rng.PerMille(400);
            steps.push_back({removal ? EventKind::kRemoved : EventKind::kReleased,
                             Gap(rng, removal ? kRemovalGap : kReleaseGap), facility, basis,
                             false});
          }
        }
      } else if (e < 2158) {
        steps.push_back({EventKind::kRemoved, Gap(rng, kRemovalGap), facility, basis, false});
      } else {
        steps.push_back({EventKind::kReleased, Gap(rng, kReleaseGap), facility, basis, false});
        released = true;
      }
    }
    // Some bookings announce when the person is due out.
    bool ends_in_release = !steps.empty() && steps.back().kind == EventKind::kReleased;
    steps[booking].scheduled = rng.PerMille(ends_in_release ? 250 : 100);
    return released;
  };

  bool released = stay(3, 600, 0);
  size_t first_stay_end = steps.size();
  // A rare re-arrest after a release: the same person, booked again.
  if (released && rng.Per10k(110)) stay(1, 500, Gap(rng, kRearrestGap));

  // ~5% get an "updated" record during their first stay; a criminal charge
  // may turn into a conviction there.
  if (rng.PerMille(50)) {
    // Anywhere after the booking and before the stay's first ending.
    size_t end = 1;
    while (end < first_stay_end && (steps[end].kind == EventKind::kTransferred)) ++end;
    size_t pos = 1 + static_cast<size_t>(rng.Below(end));  // 1 .. end
    const Step& before = steps[pos - 1];
    Step update{EventKind::kUpdated, Gap(rng, kUpdateGap), before.facility, before.basis, false};
    if (before.basis == Basis::kCriminalCharge && rng.PerMille(500)) {
      for (size_t i = pos; i < steps.size() && steps[i].kind != EventKind::kBooked; ++i) {
        steps[i].basis = Basis::kCriminalConviction;
      }
      update.basis = Basis::kCriminalConviction;
    }
    steps.insert(steps.begin() + static_cast<std::ptrdiff_t>(pos), update);
  }

  // Place the whole life inside the window, after birth.
  int64_t window_start = as_of_minute_ - kWindowDays * kMinutesPerDay;
  int64_t born =
      std::chrono::sys_days(identity.date_of_birth).time_since_epoch().count() * kMinutesPerDay;
  window_start = std::max(window_start, born + kMinutesPerDay);
  int64_t span = as_of_minute_ - window_start;  // minutes available, > 0
  int64_t total = 0;
  for (size_t i = 1; i < steps.size(); ++i) total += steps[i].gap;
  if (total >= span) {
    // Too long for the window (or for a young child's life): compress it.
    for (size_t i = 1; i < steps.size(); ++i) {
      steps[i].gap = std::max<int64_t>(1, steps[i].gap * (span - 1) / total);
    }
  }
  total = 0;
  for (size_t i = 1; i < steps.size(); ++i) total += steps[i].gap;
  while (total >= span && steps.size() > 1) {
    total -= steps.back().gap;
    steps.pop_back();
  }
  int64_t minute =
      window_start + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(span - total)));

  // Scheduled release: the real release time when there is one, otherwise a
  // date some months ahead (which may be after as_of).
  for (size_t i = 0; i < steps.size(); ++i) {
    minute += steps[i].gap;
    steps[i].gap = minute;  // from here on, the absolute minute
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& step = steps[i];
    int64_t scheduled = 0;
    if (step.kind == EventKind::kBooked && step.scheduled) {
      int64_t release = 0;
      for (size_t j = i + 1; j < steps.size() && steps[j].kind != EventKind::kBooked; ++j) {
        if (steps[j].kind == EventKind::kReleased) release = steps[j].gap;
      }
      if (release == 0) release = step.gap + rng.Between(30, 365) * kMinutesPerDay;
      // Announced as a day at 09:00 UTC, never before the booking.
      scheduled = release - release % kMinutesPerDay + 9 * 60;
      if (scheduled <= step.gap) scheduled += kMinutesPerDay;
    }
    events->push_back(PendingEvent{static_cast<int32_t>(step.gap), subject,
                                   static_cast<int32_t>(scheduled), step.facility, step.kind,
                                   step.basis});
  }
}

// ---------------------------------------------------------------------------
// Output files.

std::string SystemReason(int error) { return std::strerror(error); }

// A file written through a large buffer; reports failures as kUnavailable
// naming the path.
class OutputFile {
 public:
  explicit OutputFile(std::string path) : path_(std::move(path)) {}
  ~OutputFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  Result<void> Open() {
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_ == nullptr) return Unavailable("cannot create " + path_ + ": " + SystemReason(errno));
    buffer_.reserve(kFlushBytes + 4096);
    return {};
  }

  std::string& buffer() { return buffer_; }

  Result<void> MaybeFlush() {
    if (buffer_.size() < kFlushBytes) return {};
    return Flush();
  }

  Result<void> Close() {
    VIGIL_RETURN_IF_ERROR(Flush());
    FILE* f = file_;
    file_ = nullptr;
    if (std::fclose(f) != 0)
      return Unavailable("cannot write " + path_ + ": " + SystemReason(errno));
    return {};
  }

  const std::string& path() const { return path_; }

 private:
  Result<void> Flush() {
    if (!buffer_.empty() &&
        std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      return Unavailable("cannot write " + path_ + ": " + SystemReason(errno));
    }
    buffer_.clear();
    if (std::fflush(file_) != 0)
      return Unavailable("cannot write " + path_ + ": " + SystemReason(errno));
    return {};
  }

  std::string path_;
  FILE* file_ = nullptr;
  std::string buffer_;
};

Result<void> Rename(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) {
    return Unavailable("cannot rename " + from + " to " + to + ": " + SystemReason(errno));
  }
  return {};
}

Result<DemoSummary> WriteFiles(const DemoOptions& options, const std::string& facilities_tmp,
                               const std::string& events_tmp,
                               const std::function<void(int64_t)>& progress) {
  const uint64_t seed = options.seed;
  const int64_t as_of_minute = options.as_of.time_since_epoch().count() * kMinutesPerDay;
  const uint32_t subjects = static_cast<uint32_t>(options.subjects);

  std::vector<Facility> facilities = MakeFacilities(seed);
  {
    OutputFile out(facilities_tmp);
    VIGIL_RETURN_IF_ERROR(out.Open());
    for (const Facility& f : facilities) AppendFacilityLine(out.buffer(), f);
    VIGIL_RETURN_IF_ERROR(out.Close());
  }

  PeopleGenerator people(seed, options.as_of);
  LifeGenerator lives(seed, as_of_minute, facilities);
  std::vector<PendingEvent> events;
  events.reserve(static_cast<size_t>(subjects) * 5 / 2 + 16);
  Identity identity;
  for (uint32_t s = 0; s < subjects; ++s) {
    people.Generate(s, &identity);
    lives.Generate(s, identity, &events);
  }
  // Times strictly increase per person, so (minute, subject) is a total order.
  std::sort(events.begin(), events.end(), [](const PendingEvent& a, const PendingEvent& b) {
    return a.minute != b.minute ? a.minute < b.minute : a.subject < b.subject;
  });

  OutputFile out(events_tmp);
  VIGIL_RETURN_IF_ERROR(out.Open());
  int64_t written = 0;
  for (const PendingEvent& e : events) {
    people.Generate(e.subject, &identity);
    std::string& line = out.buffer();
    line.append(R"({"record":"custody_event","source":"ice-ero","event_id":"E-)");
    AppendPadded(line, written + 1, 8);
    line.append(R"(","type":")");
    line.append(KindName(e.kind));
    line.append(R"(","occurred_at":")");
    AppendMinute(line, e.minute);
    line.append(R"(","subject":)");
    line.append(identity.subject_json);
    line.append(R"(,"facility_id":")");
    line.append(facilities[e.facility].id);
    line.append(R"(","custody_basis":")");
    line.append(BasisName(e.basis));
    line.append(R"(","protections":)");
    line.append(identity.protections_json);
    if (e.scheduled_release != 0) {
      line.append(R"(,"scheduled_release":")");
      AppendMinute(line, e.scheduled_release);
      line.push_back('"');
    }
    line.append("}\n");
    ++written;
    VIGIL_RETURN_IF_ERROR(out.MaybeFlush());
    if (progress && written % kProgressEvery == 0) progress(written);
  }
  VIGIL_RETURN_IF_ERROR(out.Close());
  if (progress && written % kProgressEvery != 0) progress(written);

  DemoSummary summary;
  summary.facilities = static_cast<int>(facilities.size());
  summary.subjects = options.subjects;
  summary.events = written;
  return summary;
}

}  // namespace

Result<DemoSummary> WriteDemoFeed(const DemoOptions& options,
                                  const std::function<void(int64_t)>& progress) {
  namespace fs = std::filesystem;
  if (options.subjects <= 0 || options.subjects > kMaxDemoSubjects) {
    return InvalidArgument("subjects must be between 1 and " + std::to_string(kMaxDemoSubjects) +
                           ", got " + std::to_string(options.subjects));
  }
  if (options.out_dir.empty()) return InvalidArgument("out_dir must not be empty");
  std::chrono::year as_of_year = std::chrono::year_month_day(options.as_of).year();
  if (as_of_year < std::chrono::year(2000) || as_of_year > std::chrono::year(2199)) {
    return InvalidArgument("as_of must be a date in 2000-01-01 .. 2199-12-31, got year " +
                           std::to_string(static_cast<int>(as_of_year)));
  }

  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) return Unavailable("cannot create directory " + options.out_dir + ": " + ec.message());
  if (!fs::is_directory(options.out_dir, ec)) {
    return Unavailable("cannot create directory " + options.out_dir + ": " + SystemReason(ENOTDIR));
  }

  fs::path dir(options.out_dir);
  std::string facilities_path = (dir / "facilities.jsonl").string();
  std::string events_path = (dir / "events.jsonl").string();
  std::string facilities_tmp = facilities_path + ".tmp";
  std::string events_tmp = events_path + ".tmp";

  Result<DemoSummary> summary = WriteFiles(options, facilities_tmp, events_tmp, progress);
  if (summary) {
    Result<void> renamed = Rename(facilities_tmp, facilities_path);
    if (renamed) renamed = Rename(events_tmp, events_path);
    if (!renamed) summary = tl::unexpected(renamed.error());
  }
  if (!summary) {
    std::remove(facilities_tmp.c_str());
    std::remove(events_tmp.c_str());
  }
  return summary;
}

}  // namespace vigil
