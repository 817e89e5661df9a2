#include "vigil/ingest/feed_applier.h"

#include <sodium.h>

#include <algorithm>

#include "vigil/core/custody.h"
#include "vigil/custody/takedown.h"

namespace vigil {
namespace {

ApplyOutcome Accepted() { return ApplyOutcome{ApplyStatus::kAccepted, {}}; }
ApplyOutcome Duplicate() { return ApplyOutcome{ApplyStatus::kDuplicate, {}}; }
ApplyOutcome Rejected(std::string field, std::string reason) {
  return ApplyOutcome{ApplyStatus::kRejected, FieldError{std::move(field), std::move(reason)}};
}

void AppendField(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
}

}  // namespace

std::string EventContentHash(const CustodyEvent& e) {
  // Length-prefixed fields, so no two different events serialise alike.
  std::string canonical;
  AppendField(canonical, e.source);
  AppendField(canonical, e.event_id);
  AppendField(canonical, Name(e.type));
  AppendField(canonical, std::to_string(ToUnixMicros(e.occurred_at)));
  if (e.subject) {
    const SubjectRecord& s = *e.subject;
    AppendField(canonical, s.a_number.digits());
    AppendField(canonical, s.given_names);
    AppendField(canonical, s.family_names);
    AppendField(canonical, std::to_string(s.aliases.size()));
    for (const auto& a : s.aliases) AppendField(canonical, a);
    AppendField(canonical, s.date_of_birth ? s.date_of_birth->ToString() : "-");
    AppendField(canonical, s.country_of_birth);
  } else {
    AppendField(canonical, "-");
  }
  AppendField(canonical, e.facility_id);
  AppendField(canonical, e.custody_basis ? Name(*e.custody_basis) : "-");
  AppendField(canonical, std::to_string(e.protections.bits()));
  AppendField(canonical,
              e.scheduled_release ? std::to_string(ToUnixMicros(*e.scheduled_release)) : "-");
  AppendField(canonical, e.retracts);
  unsigned char digest[16];
  crypto_generichash(digest, sizeof digest,
                     reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(),
                     nullptr, 0);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

FeedApplier::CachedState* FeedApplier::SubjectTable::Find(uint32_t key) {
  const uint32_t* at = index_.Find(key);
  return at == nullptr ? nullptr : &states_[*at];
}

FeedApplier::CachedState& FeedApplier::SubjectTable::Insert(uint32_t key, CachedState state) {
  index_.Set(key, static_cast<uint32_t>(states_.size()));
  return states_.emplace_back(std::move(state));
}

void FeedApplier::SubjectTable::Clear() {
  index_.Clear();
  states_.clear();
}

void FeedApplier::MarkDirty(CachedState& state) {
  if (state.dirty) return;
  state.dirty = true;
  dirty_.push_back(&state);
}

Result<void> FeedApplier::FlushSubjects(StoreTransaction& txn) {
  // In id order the writes walk the table's pages once, front to back.
  std::sort(dirty_.begin(), dirty_.end(), [](const CachedState* a, const CachedState* b) {
    return a->subject.subject_id < b->subject.subject_id;
  });
  for (CachedState* state : dirty_) {
    if (state->stored) {
      VIGIL_RETURN_IF_ERROR(txn.custody().UpdateSubject(state->subject));
    } else {
      auto id = txn.custody().InsertSubject(state->subject);
      if (!id) return tl::unexpected(id.error());
      state->stored = true;
    }
    state->dirty = false;
  }
  dirty_.clear();
  // Every subject row write is logged in the store (StoreReader::
  // SubjectChangesSince), ours included: if the log has not moved past
  // this point when the next transaction starts, nobody else wrote one and
  // the cached subjects are still exactly what the store holds.
  auto seq = txn.custody().LatestSubjectChange();
  if (!seq) return tl::unexpected(seq.error());
  flushed_seq_ = *seq;
  return {};
}

void FeedApplier::EndTransaction(bool committed) {
  known_facilities_.clear();
  unmatched_retractions_.reset();
  any_registrations_.reset();
  created_here_.clear();
  checked_cache_ = false;
  // Changes never flushed were never stored: the cache no longer matches.
  if (committed && !dirty_.empty()) committed = false;
  if (committed && subjects_.size() <= kMaxCachedSubjects) {
    cache_seq_ = flushed_seq_;
  } else {
    ForgetSubjects();
  }
}

void FeedApplier::ForgetSubjects() {
  cache_is_whole_ = false;
  asked_whole_ = false;
  never_public_.clear();
  subjects_.Clear();
  dirty_.clear();
  cache_seq_ = -1;
}

Result<ApplyOutcome> FeedApplier::Apply(StoreTransaction& txn, FeedRecord record,
                                        std::string event_hash) {
  if (const auto* facility = std::get_if<Facility>(&record)) return ApplyFacility(txn, *facility);
  auto& event = std::get<CustodyEvent>(record);
  if (event_hash.empty()) event_hash = EventContentHash(event);
  return ApplyEvent(txn, std::move(event), std::move(event_hash));
}

Result<ApplyOutcome> FeedApplier::ApplyFacility(StoreTransaction& txn, const Facility& facility) {
  auto existing = txn.custody().GetFacility(facility.facility_id);
  if (!existing) return tl::unexpected(existing.error());
  known_facilities_.insert(facility.facility_id);
  if (*existing && **existing == facility) return Duplicate();
  // A changed facility (a new phone number, say) is an update, not a conflict.
  VIGIL_RETURN_IF_ERROR(txn.custody().PutFacility(facility));
  return Accepted();
}

Result<bool> FeedApplier::FacilityKnown(StoreTransaction& txn, const std::string& facility_id) {
  if (known_facilities_.count(facility_id)) return true;
  auto f = txn.custody().GetFacility(facility_id);
  if (!f) return tl::unexpected(f.error());
  if (!*f) return false;
  known_facilities_.insert(facility_id);
  return true;
}

Result<void> FeedApplier::CheckCache(StoreTransaction& txn) {
  if (checked_cache_) return {};
  // Subjects cached by an earlier transaction are kept only if no subject
  // was written since (by another process, or a takedown in this one).
  if (!subjects_.empty() || cache_is_whole_) {
    auto seq = txn.custody().LatestSubjectChange();
    if (!seq) return tl::unexpected(seq.error());
    if (*seq != cache_seq_) ForgetSubjects();
  } else if (!asked_whole_) {
    // Every stored person was logged when stored, and the log is never
    // emptied: none logged, none stored, and the empty cache is whole.
    asked_whole_ = true;
    auto seq = txn.custody().LatestSubjectChange();
    if (!seq) return tl::unexpected(seq.error());
    if (*seq == 0) {
      cache_is_whole_ = true;
      cache_seq_ = 0;
    }
  }
  checked_cache_ = true;
  return {};
}

namespace {
// The A-number as a number: the cache's key.
uint32_t KeyOf(const ANumber& a_number) {
  uint32_t key = 0;
  for (char c : a_number.digits()) key = key * 10 + static_cast<uint32_t>(c - '0');
  return key;
}
}  // namespace

Result<void> FeedApplier::Prefetch(StoreTransaction& txn,
                                   std::span<const CustodyEvent* const> events) {
  VIGIL_RETURN_IF_ERROR(CheckCache(txn));
  StoreLookahead ahead;
  ahead.events.reserve(events.size());
  for (const CustodyEvent* e : events) {
    ahead.events.emplace_back(e->source, e->event_id);
    // Cached people too, so the store knows they exist and can hold back
    // their updates as well: those unchanged in this transaction as they
    // are (CheckCache has just confirmed the store holds exactly that), the
    // others by A-number.
    if (!e->subject) continue;
    const CachedState* cached = subjects_.Find(KeyOf(e->subject->a_number));
    if (cached && !cached->dirty) {
      ahead.known_people.emplace_back(e->subject->a_number.digits(),
                                      cached->stored ? &cached->subject : nullptr);
    } else if (!cached && cache_is_whole_) {
      ahead.known_people.emplace_back(e->subject->a_number.digits(), nullptr);  // absent
    } else {
      ahead.a_numbers.push_back(e->subject->a_number);
    }
  }
  return txn.Prefetch(ahead);
}

Result<FeedApplier::CachedState*> FeedApplier::CachedSubject(StoreTransaction& txn,
                                                             const ANumber& a_number) {
  VIGIL_RETURN_IF_ERROR(CheckCache(txn));
  const uint32_t key = KeyOf(a_number);
  if (CachedState* cached = subjects_.Find(key)) return cached;
  if (cache_is_whole_) {  // not in the store either
    CachedState absent;
    absent.subject.a_number = a_number;
    return &subjects_.Insert(key, std::move(absent));
  }
  auto stored = txn.custody().GetSubjectByANumber(a_number);
  if (!stored) return tl::unexpected(stored.error());
  CachedState state;
  if (*stored) {
    state.subject = std::move(**stored);
    state.stored = true;
  } else {
    state.subject.a_number = a_number;
  }
  return &subjects_.Insert(key, std::move(state));
}

Result<void> FeedApplier::Refold(StoreTransaction& txn, Subject& subject) {
  auto history = txn.custody().EventsOfSubject(subject.subject_id);
  if (!history) return tl::unexpected(history.error());
  std::vector<CustodyEvent> live;
  for (auto& stored : *history) {
    if (stored.retracted_by.empty() && stored.event.type != EventType::kRetracted) {
      live.push_back(std::move(stored.event));
    }
  }
  Subject folded = FoldCustody(std::move(live), subject);
  // Protections are sticky: no feed event, and no retraction, takes one away
  // (fail closed). Only an agency's explicit protection change can.
  folded.protections = folded.protections.Union(subject.protections);
  if (!folded.last_event_at) {
    // Every event was retracted: nothing stands, so the person has no state
    // (and nothing to show). Keep the identity they were booked under.
    folded.given_names = subject.given_names;
    folded.family_names = subject.family_names;
    folded.country_of_birth = subject.country_of_birth;
  }
  subject = std::move(folded);
  return {};
}

Result<ApplyOutcome> FeedApplier::ApplyEvent(StoreTransaction& txn, CustodyEvent incoming,
                                             std::string hash) {
  const CustodyEvent& event = incoming;
  if (event.type == EventType::kRetracted) {
    auto existing = txn.custody().GetEvent(event.source, event.event_id);
    if (!existing) return tl::unexpected(existing.error());
    if (*existing) return SameOrConflict(**existing, event, hash);
    return ApplyRetraction(txn, event, hash);
  }

  if (!event.facility_id.empty()) {
    auto known = FacilityKnown(txn, event.facility_id);
    if (!known) return tl::unexpected(known.error());
    if (!*known) {
      return Rejected("facility_id", "unknown facility \"" + event.facility_id.substr(0, 64) +
                                         "\" (not in the store or earlier in this feed)");
    }
  }
  auto cached = CachedSubject(txn, event.subject->a_number);
  if (!cached) return tl::unexpected(cached.error());
  CachedState& state = **cached;
  Subject& subject = state.subject;

  // A retraction may arrive before the event it withdraws. That is rare, so
  // look for one only when some retraction is still waiting.
  std::string retracted_by;
  if (!unmatched_retractions_) {
    auto any = txn.custody().HasUnmatchedRetractions();
    if (!any) return tl::unexpected(any.error());
    unmatched_retractions_ = *any;
  }
  if (*unmatched_retractions_) {
    auto retraction = txn.custody().FindRetractionOf(event.source, event.event_id);
    if (!retraction) return tl::unexpected(retraction.error());
    retracted_by = retraction->value_or("");
  }

  StoredEvent stored;
  stored.content_hash = std::move(hash);
  stored.retracted_by = retracted_by;
  stored.received_at = clock_->Now();
  stored.event = std::move(incoming);  // from here on, only `e`
  const CustodyEvent& e = stored.event;
  bool new_subject = subject.subject_id == 0;
  if (new_subject) {
    auto id = txn.custody().AllocateSubjectId();
    if (!id) return tl::unexpected(id.error());
    stored.subject_id = *id;
    created_here_.insert(*id);
  } else {
    stored.subject_id = subject.subject_id;
  }

  // The insert is also the duplicate check: when the event exists it writes
  // nothing, so the record is refused or counted without any partial state.
  auto pk = txn.custody().InsertEventIfAbsent(stored);
  if (!pk) return tl::unexpected(pk.error());
  if (!*pk) {
    auto existing = txn.custody().GetEvent(e.source, e.event_id);
    if (!existing) return tl::unexpected(existing.error());
    if (!*existing) return Internal("event " + e.event_id + " both exists and does not");
    return SameOrConflict(**existing, e, stored.content_hash);
  }

  if (new_subject) {
    // A new person: their state is this one event (unless it is withdrawn).
    const SubjectRecord& rec = *e.subject;
    subject.subject_id = stored.subject_id;
    subject.given_names = rec.given_names;
    subject.family_names = rec.family_names;
    subject.country_of_birth = rec.country_of_birth;
    if (retracted_by.empty()) vigil::ApplyEvent(e, subject);
  }
  // Protections are sticky even on an event that arrives already withdrawn:
  // a retraction corrects what happened, never whom the law protects.
  if (!retracted_by.empty() && !e.protections.empty()) {
    subject.protections = subject.protections.Union(e.protections);
    MarkDirty(state);
  }
  if (new_subject) {
    // Nobody can have registered for a person the store did not hold.
    if (!subject.protections.empty()) never_public_.insert(subject.subject_id);
    MarkDirty(state);
    return Accepted();
  }
  if (!retracted_by.empty()) {
    VIGIL_RETURN_IF_ERROR(UpdateOutbox(txn, subject, e, **pk, false, subject.scheduled_release));
    return Accepted();
  }

  bool sorts_last = !subject.last_event_at || e.occurred_at > *subject.last_event_at;
  const std::optional<Timestamp> previous_release = subject.scheduled_release;
  if (sorts_last) {
    vigil::ApplyEvent(e, subject);
  } else {
    VIGIL_RETURN_IF_ERROR(Refold(txn, subject));
  }
  MarkDirty(state);
  VIGIL_RETURN_IF_ERROR(UpdateOutbox(txn, subject, e, **pk, sorts_last, previous_release));
  return Accepted();
}

Result<void> FeedApplier::UpdateOutbox(StoreTransaction& txn, const Subject& subject,
                                       const CustodyEvent& e, int64_t event_pk, bool latest,
                                       const std::optional<Timestamp>& previous_release) {
  if (!subject.protections.empty()) {
    // The takedown, in this transaction (custody/takedown.h).
    if (e.protections.empty()) return {};  // already applied when it was set
    // On PostgreSQL each takedown statement also waits for the events sent
    // ahead; a person created in this transaction has nothing to take down.
    if (created_here_.count(subject.subject_id)) {
      never_public_.insert(subject.subject_id);
      return {};
    }
    if (never_public_.count(subject.subject_id)) return {};
    auto taken_down = custody::Takedown(txn, subject.subject_id, clock_->Now());
    if (!taken_down) return tl::unexpected(taken_down.error());
    return {};
  }
  if (!latest) return {};
  CustodyStatus ignored;
  bool custody_change = StatusAfter(e.type, &ignored);
  // Advance release notice (DESIGN.md §2.6): an event that brings a new
  // scheduled release date and no custody change is owed to verified
  // registrants only (a feed that restates the same date tells nobody
  // again). A custody change carrying a date tells everyone of the change;
  // only a verified registrant's notice also gives the date (policy/).
  bool advance = !custody_change && e.scheduled_release &&
                 e.scheduled_release != previous_release && *e.scheduled_release > clock_->Now() &&
                 subject.custody_status == CustodyStatus::kInCustody;
  if (!custody_change && !advance) return {};
  auto any = AnyRegistrations(txn);
  if (!any) return tl::unexpected(any.error());
  if (!*any) return {};
  auto queued = txn.outbox().QueueNotificationsForEvent(
      subject.subject_id, event_pk, custody_change ? Name(e.type) : "scheduled_release",
      clock_->Now(), /*verified_only=*/!custody_change);
  if (!queued) return tl::unexpected(queued.error());
  return {};
}

Result<bool> FeedApplier::AnyRegistrations(StoreTransaction& txn) {
  if (!any_registrations_) {
    auto any = txn.registrations().AnyActiveRegistrations();
    if (!any) return tl::unexpected(any.error());
    any_registrations_ = *any;
  }
  return *any_registrations_;
}

ApplyOutcome FeedApplier::SameOrConflict(const StoredEvent& existing, const CustodyEvent& event,
                                         const std::string& hash) {
  if (existing.content_hash == hash) return Duplicate();
  return Rejected("event_id", "event " + event.source + "/" + event.event_id +
                                  " was already imported with different content");
}

Result<ApplyOutcome> FeedApplier::ApplyRetraction(StoreTransaction& txn, const CustodyEvent& event,
                                                  const std::string& hash) {
  auto target = txn.custody().GetEvent(event.source, event.retracts);
  if (!target) return tl::unexpected(target.error());
  if (*target) {
    if ((*target)->event.type == EventType::kRetracted) {
      return Rejected("retracts", "event " + event.retracts + " is itself a retraction");
    }
    if (!(*target)->retracted_by.empty()) {
      return Rejected("retracts", "event " + event.retracts + " was already retracted by " +
                                      (*target)->retracted_by);
    }
  } else {
    // The target may come later; then it is stored already retracted. Two
    // retractions waiting for the same event would make that ambiguous.
    auto other = txn.custody().FindRetractionOf(event.source, event.retracts);
    if (!other) return tl::unexpected(other.error());
    if (*other) {
      return Rejected("retracts",
                      "event " + event.retracts + " is already retracted by " + **other);
    }
  }
  StoredEvent stored;
  stored.subject_id = *target ? (*target)->subject_id : 0;
  stored.event = event;
  stored.content_hash = hash;
  stored.received_at = clock_->Now();
  auto pk = txn.custody().InsertEvent(stored);
  if (!pk) return tl::unexpected(pk.error());
  if (!*target) {
    unmatched_retractions_ = true;
    return Accepted();
  }

  VIGIL_RETURN_IF_ERROR(txn.custody().SetRetractedBy(event.source, event.retracts, event.event_id));
  if (!(*target)->event.subject) return Internal("event " + event.retracts + " has no subject");
  auto cached = CachedSubject(txn, (*target)->event.subject->a_number);
  if (!cached) return tl::unexpected(cached.error());
  VIGIL_RETURN_IF_ERROR(Refold(txn, (*cached)->subject));
  MarkDirty(**cached);
  // Whoever was told about the withdrawn event is told it was an error;
  // what was not yet sent is not sent.
  auto any = AnyRegistrations(txn);
  if (!any) return tl::unexpected(any.error());
  if (*any && (*cached)->subject.protections.empty()) {
    auto corrected = txn.outbox().QueueCorrections((*target)->event_pk, *pk, clock_->Now());
    if (!corrected) return tl::unexpected(corrected.error());
  }
  return Accepted();
}

}  // namespace vigil
