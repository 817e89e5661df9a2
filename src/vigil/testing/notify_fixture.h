// Shared setup for tests and benchmarks of notifications: feed lines for one
// person's custody events, and a crowd of confirmed registrations for them.
// Users link vigil_notify and vigil_store.
#ifndef VIGIL_TESTING_NOTIFY_FIXTURE_H_
#define VIGIL_TESTING_NOTIFY_FIXTURE_H_

#include <string>

#include "vigil/notify/contact_vault.h"
#include "vigil/store/store.h"

namespace vigil::testutil {

// Two facilities, ADL (Adelanto, CA) and OTR (Otero, NM), as feed lines.
inline const char kTwoFacilities[] =
    R"({"record":"facility","facility_id":"ADL","name":"Adelanto ICE Processing Center","city":"Adelanto","state":"CA","phone":"+17605550100"})"
    "\n"
    R"({"record":"facility","facility_id":"OTR","name":"Otero County Processing Center","city":"Chaparral","state":"NM"})"
    "\n";

// One custody event line (source "s") for a person born 1980-05-05 in GT.
// `facility` may be empty (a release), `dob` empty for unknown.
inline std::string CustodyEventLine(const std::string& id, const std::string& type,
                                    const std::string& at, const std::string& facility,
                                    const std::string& a_number = "100000001",
                                    const std::string& given = "Rosa",
                                    const std::string& family = "Quintanilla",
                                    const std::string& protections = "[]",
                                    const std::string& dob = "1980-05-05") {
  return R"({"record":"custody_event","source":"s","event_id":")" + id + R"(","type":")" + type +
         R"(","occurred_at":")" + at + R"(","subject":{"a_number":")" + a_number +
         R"(","given_names":")" + given + R"(","family_names":")" + family +
         R"(","aliases":[],"date_of_birth":)" + (dob.empty() ? "null" : "\"" + dob + "\"") +
         R"(,"country_of_birth":"GT"},)" +
         (facility.empty() ? "" : R"("facility_id":")" + facility + R"(",)") +
         R"("custody_basis":"civil_immigration","protections":)" + protections + "}\n";
}

// `count` active email registrations (r0@example.org, r1@...) for the
// subject, sealed with `vault`, in one transaction. False on any failure.
inline bool SeedActiveRegistrations(Store* store, const notify::ContactVault& vault,
                                    int64_t subject_id, int count, Timestamp now) {
  auto w = store->BeginWrite();
  if (!w) return false;
  for (int i = 0; i < count; ++i) {
    std::string email = "r" + std::to_string(i) + "@example.org";
    Registration r;
    r.subject_id = subject_id;
    r.contact_sealed = vault.Seal(email);
    r.contact_index = vault.BlindIndex(DeliveryChannel::kEmail, email);
    r.state = RegistrationState::kActive;
    r.created_at = now;
    if (!(*w)->registrations().InsertRegistration(r)) return false;
  }
  return (*w)->Commit().has_value();
}

}  // namespace vigil::testutil

#endif  // VIGIL_TESTING_NOTIFY_FIXTURE_H_
