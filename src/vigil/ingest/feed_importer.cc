#include "vigil/ingest/feed_importer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <span>
#include <thread>

#include "vigil/core/thread_name.h"
#include "vigil/ingest/record_parser.h"

namespace vigil {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr auto kProgressEvery = std::chrono::milliseconds(100);
constexpr size_t kReadChunk = 1 << 20;

// Reads newline-terminated lines from a file descriptor without ever holding
// more than one over-long line's worth of memory.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}

  // Returns false at end of input. On true, `*line` (without its line ending)
  // is valid until the next call; `*too_long` says the line exceeded the
  // limit and was skipped (then `*line` is empty).
  Result<bool> Next(std::string_view* line, bool* too_long) {
    *too_long = false;
    while (true) {
      size_t nl = buffer_.find('\n', scan_);
      if (nl != std::string::npos) {
        size_t begin = start_;
        start_ = scan_ = nl + 1;
        if (skipping_) {
          skipping_ = false;
          *too_long = true;
          *line = {};
          return true;
        }
        size_t end = nl;
        if (end > begin && buffer_[end - 1] == '\r') --end;
        *line = std::string_view(buffer_).substr(begin, end - begin);
        return true;
      }
      // No newline in what we hold: drop consumed bytes, then read more.
      if (skipping_) {
        consumed_ += buffer_.size() - start_;
        buffer_.clear();
        start_ = scan_ = 0;
      } else if (buffer_.size() - start_ > kMaxFeedLineBytes) {
        skipping_ = true;
        continue;
      } else if (start_ > 0) {
        buffer_.erase(0, start_);
        scan_ -= start_;
        start_ = 0;
      }
      scan_ = buffer_.size();
      if (eof_) {
        if (buffer_.empty() && !skipping_) return false;
        // A last line without a newline.
        buffer_.push_back('\n');
        continue;
      }
      size_t old = buffer_.size();
      buffer_.resize(old + kReadChunk);
      ssize_t n;
      do {
        n = ::read(fd_, buffer_.data() + old, kReadChunk);
      } while (n < 0 && errno == EINTR);
      if (n < 0) {
        buffer_.resize(old);
        return Unavailable(std::string("read failed: ") + std::strerror(errno));
      }
      buffer_.resize(old + static_cast<size_t>(n));
      bytes_read_ += n;
      if (n == 0) eof_ = true;
    }
  }

  int64_t bytes_read() const { return bytes_read_; }

 private:
  int fd_;
  std::string buffer_;
  size_t start_ = 0;  // first byte of the next line
  size_t scan_ = 0;   // where to continue looking for '\n'
  int64_t consumed_ = 0;
  int64_t bytes_read_ = 0;
  bool eof_ = false;
  bool skipping_ = false;
};

// Lines parsed on the reading thread, handed to the applying thread.
struct ParsedLine {
  int64_t number;
  ParsedRecord record;
  std::string event_hash;  // EventContentHash() of a valid event record
};
struct ParsedChunk {
  std::vector<ParsedLine> lines;
  int64_t bytes_read = 0;
  std::optional<Error> error;  // reading failed; no more chunks follow
  bool last = false;
};

// A bounded hand-off between one producer and one consumer. Cancel() wakes
// both and makes every later Push/Pop fail.
class ChunkQueue {
 public:
  explicit ChunkQueue(size_t capacity) : capacity_(capacity) {}

  bool Push(ParsedChunk chunk) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return cancelled_ || chunks_.size() < capacity_; });
    if (cancelled_) return false;
    chunks_.push_back(std::move(chunk));
    not_empty_.notify_one();
    return true;
  }

  bool Pop(ParsedChunk* out) {
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return cancelled_ || !chunks_.empty(); });
    if (cancelled_) return false;
    *out = std::move(chunks_.front());
    chunks_.pop_front();
    not_full_.notify_one();
    return true;
  }

  void Cancel() {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
    not_full_.notify_all();
    not_empty_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<ParsedChunk> chunks_;
  size_t capacity_;
  bool cancelled_ = false;
};

class FileCloser {
 public:
  explicit FileCloser(int fd) : fd_(fd) {}
  ~FileCloser() { ::close(fd_); }

 private:
  int fd_;
};

FeedFormat DetectFormat(const std::string& path, std::string_view first_bytes) {
  auto ends_with = [&](std::string_view suffix) {
    return path.size() >= suffix.size() &&
           std::equal(suffix.rbegin(), suffix.rend(), path.rbegin(), [](char a, char b) {
             return a == std::tolower(static_cast<unsigned char>(b));
           });
  };
  if (ends_with(".csv")) return FeedFormat::kCsv;
  if (ends_with(".jsonl") || ends_with(".ndjson") || ends_with(".json")) {
    return FeedFormat::kJsonLines;
  }
  if (first_bytes.starts_with("\xEF\xBB\xBF")) first_bytes.remove_prefix(3);
  for (char c : first_bytes) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' ? FeedFormat::kJsonLines : FeedFormat::kCsv;
  }
  return FeedFormat::kJsonLines;
}

}  // namespace

Result<FeedFormat> ParseFeedFormat(std::string_view text) {
  if (text == "auto") return FeedFormat::kAuto;
  if (text == "jsonl" || text == "ndjson") return FeedFormat::kJsonLines;
  if (text == "csv") return FeedFormat::kCsv;
  return InvalidArgument("unknown feed format \"" + std::string(text.substr(0, 20)) +
                         "\" (expected auto, jsonl or csv)");
}

std::string FormatCounts(const ImportCounts& c) {
  return "accepted " + std::to_string(c.accepted) + ", duplicate " + std::to_string(c.duplicate) +
         ", rejected " + std::to_string(c.rejected);
}

std::string FormatReject(const RejectedLine& r) {
  std::string out = r.origin + ":" + std::to_string(r.line) + ": ";
  if (!r.error.field.empty()) out += r.error.field + ": ";
  out += r.error.reason;
  return out;
}

// One store transaction's worth of lines.
class FeedImporter::Batch {
 public:
  Batch(FeedImporter* importer, std::string origin, ImportObserver* observer)
      : importer_(importer), origin_(std::move(origin)), observer_(observer) {}

  ~Batch() {
    if (txn_) {
      txn_.reset();  // rolls back
      importer_->applier_.EndTransaction(/*committed=*/false);
    }
  }

  // Applies one parsed line (or records its rejection). Store errors are
  // returned; the batch is then rolled back by the destructor.
  Result<LineResult> Add(int64_t line, ParsedRecord parsed, std::string event_hash = {}) {
    VIGIL_RETURN_IF_ERROR(Open());
    ++lines_;
    LineResult result{line, ApplyStatus::kRejected, {}};
    if (!parsed) {
      result.error = parsed.error();
    } else {
      auto outcome = importer_->applier_.Apply(*txn_, std::move(*parsed), std::move(event_hash));
      if (!outcome) return tl::unexpected(outcome.error());
      result.status = outcome->status;
      result.error = outcome->error;
    }
    switch (result.status) {
      case ApplyStatus::kAccepted:
        ++counts_.accepted;
        break;
      case ApplyStatus::kDuplicate:
        ++counts_.duplicate;
        break;
      case ApplyStatus::kRejected: {
        ++counts_.rejected;
        RejectRecord reject{0, now_, origin_, line, result.error.field, result.error.reason};
        auto stored = txn_->custody().InsertReject(reject);
        if (!stored) return tl::unexpected(stored.error());
        if (observer_) observer_->OnReject(RejectedLine{origin_, line, result.error});
        break;
      }
    }
    return result;
  }

  bool Full() const {
    return lines_ >= importer_->options_.batch_lines ||
           SteadyClock::now() - started_ >= importer_->options_.batch_time;
  }

  // Commits what is open; counts become final only then.
  Result<void> Commit() {
    if (!txn_) return {};
    if (auto flushed = importer_->applier_.FlushSubjects(*txn_); !flushed) {
      return tl::unexpected(flushed.error().WithContext("writing subjects of " + origin_));
    }
    auto r = txn_->Commit();
    txn_.reset();
    importer_->applier_.EndTransaction(/*committed=*/r.has_value());
    if (!r) return tl::unexpected(r.error().WithContext("committing " + origin_));
    committed_ += counts_;
    counts_ = {};
    lines_ = 0;
    return {};
  }

  // Names to the store the events of `lines` (StoreTransaction::Prefetch).
  template <typename Line>
  Result<void> Prefetch(std::span<Line> lines) {
    VIGIL_RETURN_IF_ERROR(Open());
    std::vector<const CustodyEvent*> events;
    events.reserve(lines.size());
    for (const auto& line : lines) {
      if (!line.record) continue;
      if (const auto* e = std::get_if<CustodyEvent>(&*line.record)) events.push_back(e);
    }
    if (events.empty()) return {};
    return importer_->applier_.Prefetch(*txn_, events);
  }

  // The open transaction (opened if need be).
  Result<StoreTransaction*> Transaction() {
    VIGIL_RETURN_IF_ERROR(Open());
    return txn_.get();
  }

  Timestamp now() const { return now_; }
  // Committed counts plus those of the open batch.
  ImportCounts counts() const {
    ImportCounts c = committed_;
    c += counts_;
    return c;
  }

 private:
  Result<void> Open() {
    if (txn_) return {};
    auto txn = importer_->store_->BeginWrite();
    if (!txn) return tl::unexpected(txn.error());
    txn_ = std::move(*txn);
    started_ = SteadyClock::now();
    now_ = importer_->clock_->Now();
    return {};
  }

  FeedImporter* importer_;
  std::string origin_;
  ImportObserver* observer_;
  std::unique_ptr<StoreTransaction> txn_;
  ImportCounts counts_, committed_;
  int64_t lines_ = 0;
  SteadyClock::time_point started_;
  Timestamp now_;
};

// Subjects stay cached from one batch to the next within one import only:
// an importer kept by a server holds no people between requests.
class FeedImporter::SubjectCacheScope {
 public:
  explicit SubjectCacheScope(FeedApplier* applier) : applier_(applier) {
    applier_->ForgetSubjects();
  }
  ~SubjectCacheScope() { applier_->ForgetSubjects(); }

 private:
  FeedApplier* applier_;
};

FeedImporter::FeedImporter(Store* store, const Clock* clock, ImportOptions options)
    : store_(store), clock_(clock), options_(options), applier_(clock) {}

Result<ImportCounts> FeedImporter::ImportFile(const std::string& path, ImportObserver* observer) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    int err = errno;
    std::string msg = "cannot open " + path + ": " + std::strerror(err);
    if (err == ENOENT) return NotFound(std::move(msg));
    return Unavailable(std::move(msg));
  }
  FileCloser closer(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    return Unavailable("cannot read " + path + ": " +
                       (S_ISDIR(st.st_mode) ? "is a directory" : std::strerror(errno)));
  }
  int64_t total = S_ISREG(st.st_mode) ? st.st_size : 0;

  std::string origin = path.substr(path.find_last_of('/') + 1);
  SubjectCacheScope cache_scope(&applier_);
  Batch batch(this, origin, observer);
  auto last_progress = SteadyClock::now();
  auto progress = [&](int64_t done, bool force) {
    if (!observer) return;
    auto now = SteadyClock::now();
    if (!force && now - last_progress < kProgressEvery) return;
    last_progress = now;
    observer->OnProgress(origin, done, total, batch.counts());
  };

  FeedFormat format = options_.format;
  LineReader reader(fd);
  std::string_view line;
  bool too_long = false;
  int64_t line_no = 0;
  auto fail = [&](const Error& e) { return tl::unexpected(e.WithContext(path)); };

  if (format == FeedFormat::kAuto) {
    char head[512];
    ssize_t n = ::pread(fd, head, sizeof head, 0);
    format = DetectFormat(path, std::string_view(head, n > 0 ? static_cast<size_t>(n) : 0));
  }

  if (format == FeedFormat::kJsonLines) {
    // Parsing and validation (about half the work) run on a second thread,
    // so they overlap with the store writes on this one.
    // Lines go over in chunks of kChunkLines, each named to the store
    // ahead of applying it (Prefetch): on PostgreSQL a chunk is one read
    // of its events and people and one COPY of its events, sent while the
    // next chunk is applied. Larger chunks mean fewer waits for the server
    // (512: 0.45 of a bare COPY, 2,048: 0.48-0.67, 8,192: 0.58-0.59 in
    // interleaved runs of pg_ingest_bench; docs/performance.md).
    // Room for about 32,000 parsed lines: enough for the parser to keep
    // going while a batch commits (a 100,000-line commit takes ~0.3 s), so
    // that the two threads overlap there too.
    constexpr size_t kChunkLines = 8192;
    ChunkQueue queue(/*capacity=*/32768 / kChunkLines);
    std::thread parser([&] {
      NameThisThread("import-parser");
      ParsedChunk chunk;
      while (true) {
        auto more = reader.Next(&line, &too_long);
        if (!more) {
          chunk.error = more.error();
          queue.Push(std::move(chunk));
          return;
        }
        if (!*more) break;
        ++line_no;
        if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
        if (!too_long && line.find_first_not_of(" \t") == std::string_view::npos) continue;
        ParsedLine& parsed = chunk.lines.emplace_back(ParsedLine{
            line_no,
            too_long ? ParsedRecord(tl::unexpected(FieldError{
                           "", "line longer than " + std::to_string(kMaxFeedLineBytes) + " bytes"}))
                     : ParseJsonLine(line, clock_->Now()),
            {}});
        // The content hash is a pure function of the record: it costs this
        // thread rather than the one that writes.
        if (parsed.record) {
          if (const auto* event = std::get_if<CustodyEvent>(&*parsed.record)) {
            parsed.event_hash = EventContentHash(*event);
          }
        }
        if (chunk.lines.size() == kChunkLines) {
          chunk.bytes_read = reader.bytes_read();
          if (!queue.Push(std::move(chunk))) return;
          chunk = ParsedChunk();
        }
      }
      chunk.bytes_read = reader.bytes_read();
      chunk.last = true;
      queue.Push(std::move(chunk));
    });
    auto stop_parser = [&] {
      queue.Cancel();
      parser.join();
    };
    ParsedChunk chunk;
    while (queue.Pop(&chunk)) {
      if (chunk.error) {
        stop_parser();
        return fail(*chunk.error);
      }
      bool told_store = false;
      for (size_t i = 0; i < chunk.lines.size(); ++i) {
        // The store hears what the rest of the chunk names, once per
        // transaction (a commit mid-chunk starts a new one).
        if (!told_store) {
          if (auto p = batch.Prefetch(std::span(chunk.lines).subspan(i)); !p) {
            stop_parser();
            return fail(p.error());
          }
          told_store = true;
        }
        ParsedLine& parsed = chunk.lines[i];
        auto r = batch.Add(parsed.number, std::move(parsed.record), std::move(parsed.event_hash));
        if (!r) {
          stop_parser();
          return fail(r.error());
        }
        if (batch.Full()) {
          if (auto c = batch.Commit(); !c) {
            stop_parser();
            return fail(c.error());
          }
          told_store = false;
        }
      }
      progress(chunk.bytes_read, false);
      if (chunk.last) break;
    }
    stop_parser();
  } else {
    CsvSplitter splitter;
    std::vector<std::string> header;
    bool have_header = false;
    bool bad_header = false;
    std::vector<char> chunk(kReadChunk);
    int64_t done = 0;
    bool eof = false;
    CsvSplitter::Record record;
    while (!eof) {
      ssize_t n;
      do {
        n = ::read(fd, chunk.data(), chunk.size());
      } while (n < 0 && errno == EINTR);
      if (n < 0) return Unavailable("cannot read " + path + ": " + std::strerror(errno));
      if (n == 0) {
        eof = true;
        splitter.Finish();
      } else {
        done += n;
        splitter.Push(std::string_view(chunk.data(), static_cast<size_t>(n)));
      }
      while (splitter.Next(&record)) {
        if (!have_header) {
          have_header = true;
          header = std::move(record.cells);
          if (!record.error.empty()) {
            bad_header = true;
            auto r =
                batch.Add(record.line, tl::unexpected(FieldError{"", "header: " + record.error}));
            if (!r) return fail(r.error());
          }
          continue;
        }
        ParsedRecord parsed = bad_header ? ParsedRecord(tl::unexpected(FieldError{
                                               "", "cannot be read: the header row is malformed"}))
                              : record.error.empty()
                                  ? ParseCsvRow(header, record.cells, clock_->Now())
                                  : ParsedRecord(tl::unexpected(FieldError{"", record.error}));
        auto r = batch.Add(record.line, std::move(parsed));
        if (!r) return fail(r.error());
        if (batch.Full()) {
          if (auto c = batch.Commit(); !c) return fail(c.error());
        }
      }
      progress(done, false);
    }
  }
  if (auto c = batch.Commit(); !c) return fail(c.error());
  progress(total, true);
  return batch.counts();
}

Result<std::vector<LineResult>> FeedImporter::ImportText(std::string_view origin,
                                                         std::string_view body, FeedFormat format,
                                                         ImportObserver* observer,
                                                         const BeforeCommit& before_commit) {
  SubjectCacheScope cache_scope(&applier_);
  Batch batch(this, std::string(origin), observer);
  std::vector<LineResult> results;
  Timestamp now = clock_->Now();
  if (format == FeedFormat::kAuto) format = DetectFormat("", body.substr(0, 512));
  if (format == FeedFormat::kJsonLines) {
    int64_t line_no = 0;
    while (!body.empty()) {
      size_t nl = body.find('\n');
      std::string_view line = body.substr(0, nl);
      body.remove_prefix(nl == std::string_view::npos ? body.size() : nl + 1);
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
      auto r = batch.Add(line_no, ParseJsonLine(line, now));
      if (!r) return tl::unexpected(r.error());
      results.push_back(std::move(*r));
    }
  } else {
    CsvSplitter splitter;
    splitter.Push(body);
    splitter.Finish();
    CsvSplitter::Record record;
    std::vector<std::string> header;
    bool have_header = false;
    while (splitter.Next(&record)) {
      if (!have_header) {
        have_header = true;
        header = std::move(record.cells);
        if (record.error.empty()) continue;
        auto r = batch.Add(record.line, tl::unexpected(FieldError{"", "header: " + record.error}));
        if (!r) return tl::unexpected(r.error());
        results.push_back(std::move(*r));
        break;
      }
      ParsedRecord parsed = record.error.empty()
                                ? ParseCsvRow(header, record.cells, now)
                                : ParsedRecord(tl::unexpected(FieldError{"", record.error}));
      auto r = batch.Add(record.line, std::move(parsed));
      if (!r) return tl::unexpected(r.error());
      results.push_back(std::move(*r));
    }
  }
  if (before_commit) {
    auto txn = batch.Transaction();
    if (!txn) return tl::unexpected(txn.error());
    VIGIL_RETURN_IF_ERROR(before_commit(**txn, results));
  }
  VIGIL_RETURN_IF_ERROR(batch.Commit());
  return results;
}

}  // namespace vigil
