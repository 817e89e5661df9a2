// The Store contract, as parameterised suites: one per part of the store
// (custody, registrations, outbox, controls, audit, reporting) and one for
// transactions. Each backend instantiates every suite with a factory that
// opens a fresh, empty store in a directory it is given; the assertions
// never name a backend. Every method of every part is exercised by its
// suite (store_contract_coverage checks that each is named there).
#ifndef VIGIL_STORE_STORE_CONTRACT_TEST_H_
#define VIGIL_STORE_STORE_CONTRACT_TEST_H_

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "vigil/store/store.h"
#include "vigil/testing/temp_dir.h"

namespace vigil {

struct StoreBackend {
  std::string name;
  // Opens a fresh empty store keeping its files under `dir`. A second call
  // with the same `dir` must reopen the same store (durability checks).
  std::function<Result<std::unique_ptr<Store>>(const std::string& dir)> open;
};

class StoreContractTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    auto s = GetParam().open(dir_.path().string());
    ASSERT_TRUE(s) << s.error().ToString();
    store_ = std::move(*s);
  }
  void Reopen() {
    store_.reset();
    auto s = GetParam().open(dir_.path().string());
    ASSERT_TRUE(s) << s.error().ToString();
    store_ = std::move(*s);
  }
  std::unique_ptr<StoreTransaction> Write() {
    auto w = store_->BeginWrite();
    EXPECT_TRUE(w) << w.error().ToString();
    return w ? std::move(*w) : nullptr;
  }
  std::unique_ptr<StoreReader> Read() {
    auto r = store_->BeginRead();
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? std::move(*r) : nullptr;
  }

  testutil::TempDir dir_;
  std::unique_ptr<Store> store_;
};

// One suite per part, so a backend's failures read by part.
class CustodyContractTest : public StoreContractTest {};
class RegistrationContractTest : public StoreContractTest {};
class OutboxContractTest : public StoreContractTest {};
class ControlContractTest : public StoreContractTest {};
class AuditContractTest : public StoreContractTest {};
class ReportingContractTest : public StoreContractTest {};

// Instantiates every suite for one list of backends.
#define VIGIL_INSTANTIATE_STORE_CONTRACT(prefix, backends, namer)              \
  INSTANTIATE_TEST_SUITE_P(prefix, StoreContractTest, backends, namer);        \
  INSTANTIATE_TEST_SUITE_P(prefix, CustodyContractTest, backends, namer);      \
  INSTANTIATE_TEST_SUITE_P(prefix, RegistrationContractTest, backends, namer); \
  INSTANTIATE_TEST_SUITE_P(prefix, OutboxContractTest, backends, namer);       \
  INSTANTIATE_TEST_SUITE_P(prefix, ControlContractTest, backends, namer);      \
  INSTANTIATE_TEST_SUITE_P(prefix, AuditContractTest, backends, namer);        \
  INSTANTIATE_TEST_SUITE_P(prefix, ReportingContractTest, backends, namer)

namespace contract {

inline Timestamp T(const char* text) { return *ParseRfc3339(text); }

inline Facility Adelanto() {
  // With a zone, so the round trip covers every column (migration 16).
  return Facility{"ADL",
                  "Adelanto ICE Processing Center",
                  "10400 Rancho Rd",
                  "Adelanto",
                  "CA",
                  "+17605550100",
                  "America/Los_Angeles"};
}

inline Subject MakeSubject(const char* a_number) {
  Subject s;
  s.a_number = *ANumber::Parse(a_number);
  s.given_names = "María del Carmen";
  s.family_names = "García López";
  s.aliases = {"Carmen García"};
  s.date_of_birth = *ParsePartialDate("1990-04");
  s.country_of_birth = "MX";
  s.custody_status = CustodyStatus::kInCustody;
  s.facility_id = "ADL";
  s.custody_basis = CustodyBasis::kCivilImmigration;
  s.protections.Add(Protection::kAsylum);
  s.last_event_at = T("2026-11-01T14:03:00Z");
  s.scheduled_release = T("2026-12-01T00:00:00Z");
  s.public_changed_at = T("2026-10-15T00:00:00Z");
  s.custody_since = T("2026-10-01T09:30:00Z");
  return s;
}

inline StoredEvent MakeEvent(int64_t subject_id, const char* id, const char* at) {
  StoredEvent s;
  s.subject_id = subject_id;
  s.event.source = "ice-ero";
  s.event.event_id = id;
  s.event.type = EventType::kBooked;
  s.event.occurred_at = T(at);
  SubjectRecord r;
  r.a_number = *ANumber::Parse("012345678");
  r.given_names = "José";
  r.family_names = "Núñez";
  r.country_of_birth = "GT";
  s.event.subject = r;
  s.event.facility_id = "ADL";
  s.event.custody_basis = CustodyBasis::kCriminalCharge;
  s.event.protections.Add(Protection::kSec1367);
  s.content_hash = std::string("\x01\x00\xff", 3);
  s.received_at = T("2026-11-02T00:00:00Z");
  return s;
}

inline StoredEvent MakeRetraction(const char* id, const char* retracts, const char* at) {
  StoredEvent r;
  r.event.source = "ice-ero";
  r.event.event_id = id;
  r.event.type = EventType::kRetracted;
  r.event.occurred_at = T(at);
  r.event.retracts = retracts;
  r.content_hash = "h";
  r.received_at = T(at);
  return r;
}

inline Registration MakeRegistration(int64_t subject_id, std::string index, RegistrationState state,
                                     DeliveryChannel channel = DeliveryChannel::kSms) {
  Registration r;
  r.subject_id = subject_id;
  r.channel = channel;
  r.contact_sealed = "sealed-" + index;
  r.contact_index = std::move(index);
  r.state = state;
  r.created_at = T("2026-11-22T12:00:00Z");
  return r;
}

inline Notification MakeNotification(std::optional<int64_t> event_pk, int64_t registration_id,
                                     std::string kind, Timestamp at) {
  Notification n;
  n.event_pk = event_pk;
  n.registration_id = registration_id;
  n.kind = std::move(kind);
  n.due_at = at;
  n.created_at = at;
  n.updated_at = at;
  return n;
}

}  // namespace contract
}  // namespace vigil

#endif  // VIGIL_STORE_STORE_CONTRACT_TEST_H_
