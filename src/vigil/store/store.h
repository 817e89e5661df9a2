// The Store: vigil's durable source of truth, split by what each part owns:
//
//   custody()        custody events, people, facilities, refused lines  custody_store.h
//   registrations()  registrations and their retention                   registration_store.h
//   outbox()         the notifications owed to registrations             outbox_store.h
//   controls()       agency keys, notification blocks, withheld matches  control_store.h
//   audit()          the audit log's entries and checkpoints             audit_store.h
//   reporting()      period scans and counts for reports                 reporting_store.h
//
// Callers work in transactions, which span every part: an import writes an
// event, a person and the notices owed for it, and they commit together. A
// StoreReader is a consistent read snapshot; a StoreTransaction is a reader
// whose parts can also write, and whose writes become visible (and durable)
// together at Commit(). Destroying an uncommitted transaction rolls it back.
// Backends: SQLite (embedded default) and PostgreSQL; callers never
// see which (no backend types in these headers). Each part has a contract
// suite (*_contract_test.cc) that every backend must pass in full.
//
// Thread safety: a Store is thread-safe — any thread may begin readers and
// transactions (writers are serialised; a second BeginWrite() waits). Each
// StoreReader/StoreTransaction, and the parts it hands out, is used by one
// thread at a time and lives no longer than it.
//
// Every operation returns kUnavailable when the backend fails (disk, lock
// timeout, connection), with a message naming the operation.
#ifndef VIGIL_STORE_STORE_H_
#define VIGIL_STORE_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/core/error.h"
#include "vigil/store/audit_store.h"
#include "vigil/store/control_store.h"
#include "vigil/store/custody_store.h"
#include "vigil/store/outbox_store.h"
#include "vigil/store/registration_store.h"
#include "vigil/store/reporting_store.h"

namespace vigil {

class StoreReader {
 public:
  virtual ~StoreReader() = default;

  virtual CustodyReads& custody() = 0;
  virtual RegistrationReads& registrations() = 0;
  virtual OutboxReads& outbox() = 0;
  virtual ControlReads& controls() = 0;
  virtual AuditReads& audit() = 0;
  virtual ReportingReads& reporting() = 0;
};

// What a writer is about to look up: people by A-number and events by
// (source, event_id). The importer names each chunk of lines before it
// applies them.
struct StoreLookahead {
  std::vector<ANumber> a_numbers;
  std::vector<std::pair<std::string, std::string>> events;  // (source, event_id)
  // People the caller read before and knows to be stored exactly so (the
  // store's subject change log has shown no writer since), by A-number
  // digits; a null Subject for one known to be absent. A store may take
  // them as read instead of reading them again. Valid during the call.
  std::vector<std::pair<std::string_view, const Subject*>> known_people;
};

class StoreTransaction : public StoreReader {
 public:
  // The same parts, writable.
  CustodyWrites& custody() override = 0;
  RegistrationWrites& registrations() override = 0;
  OutboxWrites& outbox() override = 0;
  ControlWrites& controls() override = 0;
  AuditWrites& audit() override = 0;

  // Makes every write of this transaction durable and visible. After Commit,
  // successful or not, the transaction may not be used again.
  virtual Result<void> Commit() = 0;

  // A hint, never a change of meaning: a backend across a network reads
  // everything `ahead` names in a round trip or two, answers those lookups
  // (and the duplicate checks of inserting those events) from what it read,
  // and may hold the resulting writes back until the next statement that
  // could see them or the commit, sending them together. A failure to write
  // held-back rows is then reported by that later call (and the transaction
  // must be rolled back, as after any store error). SQLite in process has
  // nothing to save and ignores it.
  virtual Result<void> Prefetch(const StoreLookahead& ahead) {
    (void)ahead;
    return {};
  }
};

// What a subscriber hears about (Store::Subscribe).
enum class StoreTopic {
  kSubjects,  // a subject was written (the subject change log grew)
  kOutbox,    // notifications were queued
};

// Held while a subscriber wants to hear; destroying it unsubscribes.
class StoreSubscription {
 public:
  virtual ~StoreSubscription() = default;
};

class Store {
 public:
  virtual ~Store() = default;

  // Calls `on_change` (on a thread of the store's; it must be quick and
  // must not call back into the subscription) soon after any process
  // commits a change of `topic`, and once after a lapse in hearing (a lost
  // connection), when changes may have been missed. A hint to wake up, no
  // more: subscribers still read their change sequence and still poll. nullptr
  // when the backend cannot tell (SQLite: readers poll the file).
  virtual std::unique_ptr<StoreSubscription> Subscribe(StoreTopic topic,
                                                       std::function<void()> on_change) {
    (void)topic;
    (void)on_change;
    return nullptr;
  }

  // A read snapshot. Never blocks on writers.
  virtual Result<std::unique_ptr<StoreReader>> BeginRead() = 0;
  // A write transaction; waits (bounded) for any other writer, even one in
  // another process, then kUnavailable.
  virtual Result<std::unique_ptr<StoreTransaction>> BeginWrite() = 0;
};

// What opening a PostgreSQL store does with a schema older than this
// binary's. A SQLite file is always brought up to date on open (one
// machine, one binary); a database that many nodes share changes only when
// the operator says so (`vigil migrate`), so every other command refuses it.
enum class SchemaUpgrade { kApply, kRefuse };

// Opens the store at `url`: "sqlite:PATH" (file created with its schema when
// missing) or "postgresql://..." (also postgres://). kInvalidArgument for an
// unknown scheme, kUnavailable when the store cannot be opened or migrated
// (or, with kRefuse, when its schema is behind: the message says to run
// `vigil migrate`).
Result<std::unique_ptr<Store>> OpenStore(std::string_view url,
                                         SchemaUpgrade postgres = SchemaUpgrade::kApply);

// `url` fit for a log line: a password in it is replaced by "***".
std::string ShowStoreUrl(std::string_view url);

}  // namespace vigil

#endif  // VIGIL_STORE_STORE_H_
