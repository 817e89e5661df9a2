// Registrations (DESIGN.md §5): who asked to be told about whom, on which
// delivery channel, sealed; their life from pending to ended; retention.
#ifndef VIGIL_STORE_REGISTRATION_STORE_H_
#define VIGIL_STORE_REGISTRATION_STORE_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/core/domain.h"
#include "vigil/core/error.h"

namespace vigil {

class RegistrationReads {
 public:
  virtual ~RegistrationReads() = default;

  virtual Result<std::optional<Registration>> GetRegistration(int64_t registration_id) = 0;
  // The registration of this contact (by blind index) for this subject and channel.
  virtual Result<std::optional<Registration>> FindRegistration(int64_t subject_id, DeliveryChannel channel,
                                                               std::string_view contact_index) = 0;
  // Registrations of a subject in `state`, in id order.
  virtual Result<std::vector<Registration>> RegistrationsOf(int64_t subject_id,
                                                            RegistrationState state) = 0;
  // Every registration of this contact (by blind index) on `channel`, in id order.
  virtual Result<std::vector<Registration>> RegistrationsByContact(
      DeliveryChannel channel, std::string_view contact_index) = 0;
  // How many pending or active registrations hold this contact / this subject.
  virtual Result<int64_t> CountLiveRegistrationsByContact(std::string_view contact_index) = 0;
  virtual Result<int64_t> CountLiveRegistrationsOfSubject(int64_t subject_id) = 0;
  // Whether any registration is active at all (importers skip the outbox
  // lookup per event when none is).
  virtual Result<bool> AnyActiveRegistrations() = 0;
  // The newest `limit` voicemails left on the hotline, newest first.
  virtual Result<std::vector<Voicemail>> Voicemails(int limit) = 0;
  // Protection requests (docs/staff.md): one by id; and those in `state`
  // ("queued", "provisional", "confirmed", "rejected"; empty for every
  // state), oldest first, at most `limit`.
  virtual Result<std::optional<ProtectionRequest>> GetProtectionRequest(int64_t request_id) = 0;
  virtual Result<std::vector<ProtectionRequest>> ProtectionRequests(std::string_view state,
                                                                    int limit) = 0;
};

class RegistrationWrites : public RegistrationReads {
 public:
  // Returns the new id; kConflict when (subject, channel, contact_index) exists.
  virtual Result<int64_t> InsertRegistration(const Registration& registration) = 0;
  // Replaces everything but the id, subject, channel and contact.
  virtual Result<void> UpdateRegistration(const Registration& registration) = 0;
  // Sets every pending or active registration of the subject to kSuspended.
  // Returns how many.
  virtual Result<int64_t> SuspendRegistrationsOf(int64_t subject_id) = 0;
  // The contact's own opt-out (SMS STOP): its pending registrations on
  // `channel` end, its active ones end with opted_out set. Returns how many.
  virtual Result<int64_t> OptOut(DeliveryChannel channel, std::string_view contact_index,
                                 Timestamp now) = 0;
  // Undoes OptOut (SMS START): its opted-out registrations become active
  // again. Returns how many.
  virtual Result<int64_t> OptIn(DeliveryChannel channel, std::string_view contact_index) = 0;
  // Stores a hotline voicemail; returns its id.
  virtual Result<int64_t> InsertVoicemail(const Voicemail& voicemail) = 0;
  // Stores a protection request (its request_id ignored); returns its id.
  virtual Result<int64_t> InsertProtectionRequest(const ProtectionRequest& request) = 0;
  // Replaces state, decided_by, decided_at, decision_note and outcome_sent; false when
  // there is no request of that id.
  virtual Result<bool> UpdateProtectionRequest(const ProtectionRequest& request) = 0;
  // Retention: deletes the sealed contact of every registration that ended
  // (unsubscribed, bounced) before `contacts_before`, and its blind index
  // too unless it ended by the contact's own STOP (which must keep being
  // honoured), every voicemail received before then and the contact of
  // every protection request decided before then; wipes sealed
  // payloads of notifications settled before `notifications_before`.
  // Returns {contacts and voicemails purged, notifications wiped}.
  virtual Result<std::pair<int64_t, int64_t>> Purge(Timestamp contacts_before,
                                                    Timestamp notifications_before) = 0;
};

}  // namespace vigil

#endif  // VIGIL_STORE_REGISTRATION_STORE_H_
