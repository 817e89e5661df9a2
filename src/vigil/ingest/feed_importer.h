// Imports feed files (JSON Lines or CSV) into the store (DESIGN.md §6-7).
//
// Lines are parsed, validated and applied in batches, each one store
// transaction: a batch ends after `batch_lines` lines or `batch_time`,
// whichever comes first, so big files import fast with full durability and a
// server beside the import sees its progress within a few seconds. A bad
// line is rejected (reported to the observer and stored with file, line,
// field and reason) and the rest still imports. Killing the import at any
// moment loses at most the open batch; importing again completes it.
//
// Thread-compatible: one FeedImporter per thread.
#ifndef VIGIL_INGEST_FEED_IMPORTER_H_
#define VIGIL_INGEST_FEED_IMPORTER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/clock.h"
#include "vigil/ingest/feed_applier.h"
#include "vigil/ingest/feed_record.h"
#include "vigil/store/store.h"

namespace vigil {

enum class FeedFormat { kAuto, kJsonLines, kCsv };

// "auto", "jsonl" or "csv".
Result<FeedFormat> ParseFeedFormat(std::string_view text);

struct ImportOptions {
  FeedFormat format = FeedFormat::kAuto;
  int64_t batch_lines = 100000;
  std::chrono::milliseconds batch_time{2000};
};

struct ImportCounts {
  int64_t accepted = 0;
  int64_t duplicate = 0;
  int64_t rejected = 0;

  ImportCounts& operator+=(const ImportCounts& o) {
    accepted += o.accepted;
    duplicate += o.duplicate;
    rejected += o.rejected;
    return *this;
  }
  bool operator==(const ImportCounts&) const = default;
};

// "accepted 3, duplicate 0, rejected 1"
std::string FormatCounts(const ImportCounts& counts);

struct RejectedLine {
  std::string origin;
  int64_t line = 0;
  FieldError error;
};

// "events.jsonl:17: subject.date_of_birth: no such calendar date ..."
std::string FormatReject(const RejectedLine& reject);

// Told what happens during an import. Called on the importing thread.
class ImportObserver {
 public:
  virtual ~ImportObserver() = default;
  virtual void OnReject(const RejectedLine& reject) {}
  // Called about every 100 ms of work and once at the end of each file.
  virtual void OnProgress(std::string_view origin, int64_t bytes_done, int64_t bytes_total,
                          const ImportCounts& counts) {}
};

// The outcome of one line of an in-memory batch (the agency API).
struct LineResult {
  int64_t line = 0;
  ApplyStatus status = ApplyStatus::kAccepted;
  FieldError error;
};

class FeedImporter {
 public:
  // `store` and `clock` are not owned and must outlive the importer.
  FeedImporter(Store* store, const Clock* clock, ImportOptions options = {});

  // Imports the file at `path`. kNotFound / kUnavailable (naming the file) if
  // it cannot be opened or read; kUnavailable if the store fails, after
  // rolling back the open batch (earlier batches stay committed).
  Result<ImportCounts> ImportFile(const std::string& path, ImportObserver* observer);

  // Imports `body` (all its lines) in one transaction: either every accepted
  // line is committed or, on a store failure, none. `origin` labels rejects.
  // `before_commit`, when set, runs in that transaction after the last line,
  // given the results (the agency API writes its audit entry there, so the
  // change and its record commit together); an error from it rolls back.
  using BeforeCommit =
      std::function<Result<void>(StoreTransaction&, const std::vector<LineResult>&)>;
  Result<std::vector<LineResult>> ImportText(std::string_view origin, std::string_view body,
                                             FeedFormat format, ImportObserver* observer,
                                             const BeforeCommit& before_commit = {});

 private:
  class Batch;
  class SubjectCacheScope;

  Store* store_;
  const Clock* clock_;
  ImportOptions options_;
  FeedApplier applier_;
};

}  // namespace vigil

#endif  // VIGIL_INGEST_FEED_IMPORTER_H_
