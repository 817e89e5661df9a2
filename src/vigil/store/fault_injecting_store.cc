#include "vigil/store/fault_injecting_store.h"

#include <thread>
#include <utility>

namespace vigil {

void FaultPlan::FailNthWrite(int64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_write_at_ = writes_ + n;
}

void FaultPlan::FailNthCommit(int64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_commit_at_ = commits_ + n;
}

void FaultPlan::FailOperation(std::string operation, int times) {
  std::lock_guard<std::mutex> lock(mu_);
  failing_[std::move(operation)] = times;
}

void FaultPlan::SetLatency(std::chrono::microseconds latency) {
  std::lock_guard<std::mutex> lock(mu_);
  latency_ = latency;
}

void FaultPlan::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  failing_.clear();
  fail_write_at_ = 0;
  fail_commit_at_ = 0;
  latency_ = std::chrono::microseconds{0};
}

int64_t FaultPlan::Calls(std::string_view operation) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = calls_.find(operation);
  return it == calls_.end() ? 0 : it->second;
}

int64_t FaultPlan::writes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return writes_;
}

int64_t FaultPlan::commits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return commits_;
}

int64_t FaultPlan::injected() const {
  std::lock_guard<std::mutex> lock(mu_);
  return injected_;
}

Result<void> FaultPlan::Before(std::string_view operation, StoreAccess access) {
  std::chrono::microseconds latency;
  bool fail = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    latency = latency_;
    auto c = calls_.find(operation);
    if (c == calls_.end()) c = calls_.emplace(std::string(operation), 0).first;
    ++c->second;
    if (access == StoreAccess::kWrite && ++writes_ == fail_write_at_) fail = true;
    if (operation == "Commit" && ++commits_ == fail_commit_at_) fail = true;
    auto f = failing_.find(operation);
    if (f != failing_.end() && f->second != 0) {
      if (f->second > 0) --f->second;
      fail = true;
    }
    if (fail) ++injected_;
  }
  if (latency.count() > 0) std::this_thread::sleep_for(latency);
  if (fail) return Unavailable("injected fault: " + std::string(operation) + " failed");
  return {};
}

namespace {

class FaultCustody final : public CustodyWrites {
 public:
  FaultCustody(FaultPlan& plan, CustodyReads* reads, CustodyWrites* writes)
      : plan_(plan), reads_(reads), writes_(writes) {}

  Result<std::vector<std::optional<Facility>>> GetFacilities(
      std::span<const std::string> facility_ids) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("GetFacilities", StoreAccess::kRead));
    return reads_->GetFacilities(facility_ids);
  }
  Result<std::optional<StoredEvent>> GetEvent(std::string_view source,
                                              std::string_view event_id) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("GetEvent", StoreAccess::kRead));
    return reads_->GetEvent(source, event_id);
  }
  Result<std::vector<StoredEvent>> EventsOfSubject(int64_t subject_id) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("EventsOfSubject", StoreAccess::kRead));
    return reads_->EventsOfSubject(subject_id);
  }
  Result<std::optional<std::string>> FindRetractionOf(std::string_view source,
                                                      std::string_view event_id) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("FindRetractionOf", StoreAccess::kRead));
    return reads_->FindRetractionOf(source, event_id);
  }
  Result<bool> HasUnmatchedRetractions() override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("HasUnmatchedRetractions", StoreAccess::kRead));
    return reads_->HasUnmatchedRetractions();
  }
  Result<bool> IsEventWithdrawn(int64_t event_pk) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("IsEventWithdrawn", StoreAccess::kRead));
    return reads_->IsEventWithdrawn(event_pk);
  }
  Result<std::optional<Subject>> GetSubjectByANumber(const ANumber& a_number) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("GetSubjectByANumber", StoreAccess::kRead));
    return reads_->GetSubjectByANumber(a_number);
  }
  Result<std::vector<std::optional<Subject>>> GetSubjects(
      std::span<const int64_t> subject_ids) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("GetSubjects", StoreAccess::kRead));
    return reads_->GetSubjects(subject_ids);
  }
  Result<void> ForEachSubject(const std::function<bool(const Subject&)>& fn) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("ForEachSubject", StoreAccess::kRead));
    return reads_->ForEachSubject(fn);
  }
  Result<std::vector<std::pair<int64_t, int64_t>>> SubjectChangesSince(int64_t after_seq,
                                                                       int limit) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("SubjectChangesSince", StoreAccess::kRead));
    return reads_->SubjectChangesSince(after_seq, limit);
  }
  Result<int64_t> LatestSubjectChange() override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("LatestSubjectChange", StoreAccess::kRead));
    return reads_->LatestSubjectChange();
  }
  Result<std::vector<RejectRecord>> RecentRejects(int limit) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("RecentRejects", StoreAccess::kRead));
    return reads_->RecentRejects(limit);
  }
  Result<void> PutFacility(const Facility& facility) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("PutFacility", StoreAccess::kWrite));
    return writes_->PutFacility(facility);
  }
  Result<int64_t> InsertEvent(const StoredEvent& event) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("InsertEvent", StoreAccess::kWrite));
    return writes_->InsertEvent(event);
  }
  Result<std::optional<int64_t>> InsertEventIfAbsent(const StoredEvent& event) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("InsertEventIfAbsent", StoreAccess::kWrite));
    return writes_->InsertEventIfAbsent(event);
  }
  Result<void> SetRetractedBy(std::string_view source, std::string_view event_id,
                              std::string_view retraction_id) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("SetRetractedBy", StoreAccess::kWrite));
    return writes_->SetRetractedBy(source, event_id, retraction_id);
  }
  Result<int64_t> AllocateSubjectId() override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("AllocateSubjectId", StoreAccess::kWrite));
    return writes_->AllocateSubjectId();
  }
  Result<int64_t> InsertSubject(const Subject& subject) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("InsertSubject", StoreAccess::kWrite));
    return writes_->InsertSubject(subject);
  }
  Result<void> UpdateSubject(const Subject& subject) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("UpdateSubject", StoreAccess::kWrite));
    return writes_->UpdateSubject(subject);
  }
  Result<int64_t> InsertReject(const RejectRecord& reject) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("InsertReject", StoreAccess::kWrite));
    return writes_->InsertReject(reject);
  }

 private:
  FaultPlan& plan_;
  CustodyReads* reads_;
  CustodyWrites* writes_;  // null in a reader
};

class FaultRegistration final : public RegistrationWrites {
 public:
  FaultRegistration(FaultPlan& plan, RegistrationReads* reads, RegistrationWrites* writes)
      : plan_(plan), reads_(reads), writes_(writes) {}

  Result<std::optional<Registration>> GetRegistration(int64_t registration_id) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("GetRegistration", StoreAccess::kRead));
    return reads_->GetRegistration(registration_id);
  }
  Result<std::optional<Registration>> FindRegistration(int64_t subject_id, DeliveryChannel channel,
                                                       std::string_view contact_index) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("FindRegistration", StoreAccess::kRead));
    return reads_->FindRegistration(subject_id, channel, contact_index);
  }
  Result<std::vector<Registration>> RegistrationsOf(int64_t subject_id,
                                                    RegistrationState state) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("RegistrationsOf", StoreAccess::kRead));
    return reads_->RegistrationsOf(subject_id, state);
  }
  Result<std::vector<Registration>> RegistrationsByContact(
      DeliveryChannel channel, std::string_view contact_index) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("RegistrationsByContact", StoreAccess::kRead));
    return reads_->RegistrationsByContact(channel, contact_index);
  }
  Result<int64_t> CountLiveRegistrationsByContact(std::string_view contact_index) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("CountLiveRegistrationsByContact", StoreAccess::kRead));
    return reads_->CountLiveRegistrationsByContact(contact_index);
  }
  Result<int64_t> CountLiveRegistrationsOfSubject(int64_t subject_id) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("CountLiveRegistrationsOfSubject", StoreAccess::kRead));
    return reads_->CountLiveRegistrationsOfSubject(subject_id);
  }
  Result<bool> AnyActiveRegistrations() override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("AnyActiveRegistrations", StoreAccess::kRead));
    return reads_->AnyActiveRegistrations();
  }
  Result<std::vector<Voicemail>> Voicemails(int limit) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("Voicemails", StoreAccess::kRead));
    return reads_->Voicemails(limit);
  }
  Result<int64_t> InsertRegistration(const Registration& registration) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("InsertRegistration", StoreAccess::kWrite));
    return writes_->InsertRegistration(registration);
  }
  Result<int64_t> InsertVoicemail(const Voicemail& voicemail) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("InsertVoicemail", StoreAccess::kWrite));
    return writes_->InsertVoicemail(voicemail);
  }
  Result<std::optional<ProtectionRequest>> GetProtectionRequest(int64_t request_id) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("GetProtectionRequest", StoreAccess::kRead));
    return reads_->GetProtectionRequest(request_id);
  }
  Result<std::vector<ProtectionRequest>> ProtectionRequests(std::string_view state,
                                                            int limit) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("ProtectionRequests", StoreAccess::kRead));
    return reads_->ProtectionRequests(state, limit);
  }
  Result<int64_t> InsertProtectionRequest(const ProtectionRequest& request) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("InsertProtectionRequest", StoreAccess::kWrite));
    return writes_->InsertProtectionRequest(request);
  }
  Result<bool> UpdateProtectionRequest(const ProtectionRequest& request) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("UpdateProtectionRequest", StoreAccess::kWrite));
    return writes_->UpdateProtectionRequest(request);
  }
  Result<void> UpdateRegistration(const Registration& registration) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("UpdateRegistration", StoreAccess::kWrite));
    return writes_->UpdateRegistration(registration);
  }
  Result<int64_t> SuspendRegistrationsOf(int64_t subject_id) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("SuspendRegistrationsOf", StoreAccess::kWrite));
    return writes_->SuspendRegistrationsOf(subject_id);
  }
  Result<int64_t> OptOut(DeliveryChannel channel, std::string_view contact_index, Timestamp now) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("OptOut", StoreAccess::kWrite));
    return writes_->OptOut(channel, contact_index, now);
  }
  Result<int64_t> OptIn(DeliveryChannel channel, std::string_view contact_index) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("OptIn", StoreAccess::kWrite));
    return writes_->OptIn(channel, contact_index);
  }
  Result<std::pair<int64_t, int64_t>> Purge(Timestamp contacts_before,
                                            Timestamp notifications_before) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("Purge", StoreAccess::kWrite));
    return writes_->Purge(contacts_before, notifications_before);
  }

 private:
  FaultPlan& plan_;
  RegistrationReads* reads_;
  RegistrationWrites* writes_;  // null in a reader
};

class FaultOutbox final : public OutboxWrites {
 public:
  FaultOutbox(FaultPlan& plan, OutboxReads* reads, OutboxWrites* writes)
      : plan_(plan), reads_(reads), writes_(writes) {}

  Result<std::optional<Notification>> GetNotification(int64_t notification_id) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("GetNotification", StoreAccess::kRead));
    return reads_->GetNotification(notification_id);
  }
  Result<std::vector<Notification>> NotificationsOfRegistration(int64_t registration_id) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("NotificationsOfRegistration", StoreAccess::kRead));
    return reads_->NotificationsOfRegistration(registration_id);
  }
  Result<std::vector<std::pair<std::string, int64_t>>> NotificationStateCounts() override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("NotificationStateCounts", StoreAccess::kRead));
    return reads_->NotificationStateCounts();
  }
  Result<std::vector<Depth>> NotificationDepth() override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("NotificationDepth", StoreAccess::kRead));
    return reads_->NotificationDepth();
  }
  Result<std::optional<int64_t>> InsertNotification(const Notification& notification) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("InsertNotification", StoreAccess::kWrite));
    return writes_->InsertNotification(notification);
  }
  Result<int64_t> QueueNotificationsForEvent(int64_t subject_id, int64_t event_pk,
                                             std::string_view kind, Timestamp now,
                                             bool verified_only) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("QueueNotificationsForEvent", StoreAccess::kWrite));
    return writes_->QueueNotificationsForEvent(subject_id, event_pk, kind, now, verified_only);
  }
  Result<std::pair<int64_t, int64_t>> QueueCorrections(int64_t retracted_pk, int64_t retraction_pk,
                                                       Timestamp now) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("QueueCorrections", StoreAccess::kWrite));
    return writes_->QueueCorrections(retracted_pk, retraction_pk, now);
  }
  Result<std::vector<Notification>> ClaimDueNotifications(Timestamp now, Timestamp lease_until,
                                                          int limit) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("ClaimDueNotifications", StoreAccess::kWrite));
    return writes_->ClaimDueNotifications(now, lease_until, limit);
  }
  Result<bool> FinishNotification(int64_t notification_id, int attempt, NotificationState to,
                                  Timestamp now, Timestamp due_at,
                                  std::string_view error) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("FinishNotification", StoreAccess::kWrite));
    return writes_->FinishNotification(notification_id, attempt, to, now, due_at, error);
  }
  Result<bool> RecordReceipt(int64_t notification_id, NotificationState to, Timestamp now,
                             Timestamp due_at, std::string_view detail) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("RecordReceipt", StoreAccess::kWrite));
    return writes_->RecordReceipt(notification_id, to, now, due_at, detail);
  }
  Result<int64_t> SettleUnreceipted(Timestamp sent_before, Timestamp now,
                                    std::string_view detail) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("SettleUnreceipted", StoreAccess::kWrite));
    return writes_->SettleUnreceipted(sent_before, now, detail);
  }
  Result<int64_t> CancelNotificationsOf(int64_t subject_id, Timestamp now,
                                        bool verifications) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("CancelNotificationsOf", StoreAccess::kWrite));
    return writes_->CancelNotificationsOf(subject_id, now, verifications);
  }

 private:
  FaultPlan& plan_;
  OutboxReads* reads_;
  OutboxWrites* writes_;  // null in a reader
};

class FaultControl final : public ControlWrites {
 public:
  FaultControl(FaultPlan& plan, ControlReads* reads, ControlWrites* writes)
      : plan_(plan), reads_(reads), writes_(writes) {}

  Result<std::optional<ApiKey>> GetApiKey(std::string_view key_id) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("GetApiKey", StoreAccess::kRead));
    return reads_->GetApiKey(key_id);
  }
  Result<std::vector<ApiKey>> ListApiKeys() override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("ListApiKeys", StoreAccess::kRead));
    return reads_->ListApiKeys();
  }
  Result<bool> IsNotificationBlocked(int64_t subject_id) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("IsNotificationBlocked", StoreAccess::kRead));
    return reads_->IsNotificationBlocked(subject_id);
  }
  Result<std::vector<SuppressedMatch>> SuppressedMatchesOf(int64_t subject_id) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("SuppressedMatchesOf", StoreAccess::kRead));
    return reads_->SuppressedMatchesOf(subject_id);
  }
  Result<std::vector<std::pair<int64_t, SuppressedMatch>>> SuppressedMatchesAfter(
      int64_t after_id, int limit) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("SuppressedMatchesAfter", StoreAccess::kRead));
    return reads_->SuppressedMatchesAfter(after_id, limit);
  }
  Result<int64_t> LastSuppressedMatchId() override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("LastSuppressedMatchId", StoreAccess::kRead));
    return reads_->LastSuppressedMatchId();
  }
  Result<std::optional<std::string>> KeyFingerprint() override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("KeyFingerprint", StoreAccess::kRead));
    return reads_->KeyFingerprint();
  }
  Result<void> InsertApiKey(const ApiKey& key) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("InsertApiKey", StoreAccess::kWrite));
    return writes_->InsertApiKey(key);
  }
  Result<bool> RevokeApiKey(std::string_view name_or_id, Timestamp now) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("RevokeApiKey", StoreAccess::kWrite));
    return writes_->RevokeApiKey(name_or_id, now);
  }
  Result<bool> SetApiKeySources(std::string_view name_or_id,
                                const std::vector<std::string>& sources) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("SetApiKeySources", StoreAccess::kWrite));
    return writes_->SetApiKeySources(name_or_id, sources);
  }
  Result<bool> SetNotificationBlock(int64_t subject_id, std::optional<std::string_view> reason,
                                    Timestamp now) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("SetNotificationBlock", StoreAccess::kWrite));
    return writes_->SetNotificationBlock(subject_id, reason, now);
  }
  Result<void> RecordSuppressedMatches(std::span<const SuppressedMatch> matches) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("RecordSuppressedMatch", StoreAccess::kWrite));
    return writes_->RecordSuppressedMatches(matches);
  }
  Result<void> RecordKeyFingerprint(std::string_view fingerprint) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("RecordKeyFingerprint", StoreAccess::kWrite));
    return writes_->RecordKeyFingerprint(fingerprint);
  }
  Result<std::optional<StaffAccount>> GetStaffAccount(std::string_view name) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("GetStaffAccount", StoreAccess::kRead));
    return reads_->GetStaffAccount(name);
  }
  Result<std::vector<StaffAccount>> ListStaffAccounts() override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("ListStaffAccounts", StoreAccess::kRead));
    return reads_->ListStaffAccounts();
  }
  Result<void> InsertStaffAccount(const StaffAccount& account) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("InsertStaffAccount", StoreAccess::kWrite));
    return writes_->InsertStaffAccount(account);
  }
  Result<bool> UpdateStaffAccount(const StaffAccount& account) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("UpdateStaffAccount", StoreAccess::kWrite));
    return writes_->UpdateStaffAccount(account);
  }

 private:
  FaultPlan& plan_;
  ControlReads* reads_;
  ControlWrites* writes_;  // null in a reader
};

class FaultAudit final : public AuditWrites {
 public:
  FaultAudit(FaultPlan& plan, AuditReads* reads, AuditWrites* writes)
      : plan_(plan), reads_(reads), writes_(writes) {}

  Result<std::optional<AuditEntry>> LastAuditEntry() override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("LastAuditEntry", StoreAccess::kRead));
    return reads_->LastAuditEntry();
  }
  Result<std::vector<AuditEntry>> AuditEntriesAfter(int64_t after_seq, int limit) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("AuditEntriesAfter", StoreAccess::kRead));
    return reads_->AuditEntriesAfter(after_seq, limit);
  }
  Result<std::vector<AuditCheckpoint>> AuditCheckpoints() override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("AuditCheckpoints", StoreAccess::kRead));
    return reads_->AuditCheckpoints();
  }
  Result<std::optional<int64_t>> LastAuditCheckpointSeq() override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("LastAuditCheckpointSeq", StoreAccess::kRead));
    return reads_->LastAuditCheckpointSeq();
  }
  Result<void> AppendAuditEntries(std::span<const AuditEntry> entries) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("AppendAuditEntries", StoreAccess::kWrite));
    return writes_->AppendAuditEntries(entries);
  }
  Result<void> InsertAuditCheckpoint(const AuditCheckpoint& checkpoint) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("InsertAuditCheckpoint", StoreAccess::kWrite));
    return writes_->InsertAuditCheckpoint(checkpoint);
  }

 private:
  FaultPlan& plan_;
  AuditReads* reads_;
  AuditWrites* writes_;  // null in a reader
};

class FaultReporting final : public ReportingReads {
 public:
  FaultReporting(FaultPlan& plan, ReportingReads* reads) : plan_(plan), reads_(reads) {}

  Result<void> ForEachEventBetween(Timestamp from, Timestamp to,
                                   const std::function<bool(const StoredEvent&)>& fn) override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("ForEachEventBetween", StoreAccess::kRead));
    return reads_->ForEachEventBetween(from, to, fn);
  }
  Result<StoreCounts> Counts() override {
    VIGIL_RETURN_IF_ERROR(plan_.Before("Counts", StoreAccess::kRead));
    return reads_->Counts();
  }

 private:
  FaultPlan& plan_;
  ReportingReads* reads_;
};

// A reader or a writer over the wrapped store's, every part passing through
// the plan. A reader's parts have no writer to forward to; they are handed
// out only as the read interfaces, so no write can reach them.
class FaultTransaction final : public StoreTransaction {
 public:
  FaultTransaction(FaultPlan& plan, std::unique_ptr<StoreReader> reader, StoreTransaction* writer)
      : plan_(plan),
        reader_(std::move(reader)),
        writer_(writer),
        custody_(plan, &reader_->custody(), writer ? &writer->custody() : nullptr),
        registrations_(plan, &reader_->registrations(),
                       writer ? &writer->registrations() : nullptr),
        outbox_(plan, &reader_->outbox(), writer ? &writer->outbox() : nullptr),
        controls_(plan, &reader_->controls(), writer ? &writer->controls() : nullptr),
        audit_(plan, &reader_->audit(), writer ? &writer->audit() : nullptr),
        reporting_(plan, &reader_->reporting()) {}

  FaultCustody& custody() override { return custody_; }
  FaultRegistration& registrations() override { return registrations_; }
  FaultOutbox& outbox() override { return outbox_; }
  FaultControl& controls() override { return controls_; }
  FaultAudit& audit() override { return audit_; }
  FaultReporting& reporting() override { return reporting_; }

  Result<void> Commit() override {
    if (ended_) return Internal("store transaction committed twice");
    ended_ = true;
    // A failed commit leaves the wrapped transaction uncommitted; it rolls
    // back when this one is destroyed.
    VIGIL_RETURN_IF_ERROR(plan_.Before("Commit", StoreAccess::kBegin));
    return writer_->Commit();
  }

 private:
  FaultPlan& plan_;
  std::unique_ptr<StoreReader> reader_;
  StoreTransaction* writer_;  // reader_ itself, or null for a reader
  bool ended_ = false;
  FaultCustody custody_;
  FaultRegistration registrations_;
  FaultOutbox outbox_;
  FaultControl controls_;
  FaultAudit audit_;
  FaultReporting reporting_;
};

}  // namespace

FaultInjectingStore::FaultInjectingStore(std::unique_ptr<Store> inner,
                                         std::shared_ptr<FaultPlan> plan)
    : inner_(std::move(inner)), plan_(std::move(plan)) {}

Result<std::unique_ptr<StoreReader>> FaultInjectingStore::BeginRead() {
  VIGIL_RETURN_IF_ERROR(plan_->Before("BeginRead", StoreAccess::kBegin));
  auto r = inner_->BeginRead();
  if (!r) return tl::unexpected(r.error());
  return std::unique_ptr<StoreReader>(
      std::make_unique<FaultTransaction>(*plan_, std::move(*r), nullptr));
}

Result<std::unique_ptr<StoreTransaction>> FaultInjectingStore::BeginWrite() {
  VIGIL_RETURN_IF_ERROR(plan_->Before("BeginWrite", StoreAccess::kBegin));
  auto w = inner_->BeginWrite();
  if (!w) return tl::unexpected(w.error());
  StoreTransaction* writer = w->get();
  return std::unique_ptr<StoreTransaction>(std::make_unique<FaultTransaction>(
      *plan_, std::unique_ptr<StoreReader>(std::move(*w)), writer));
}

}  // namespace vigil
