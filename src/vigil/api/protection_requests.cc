#include "vigil/api/protection_requests.h"

#include <algorithm>

#include "vigil/api/agency_keys.h"
#include "vigil/core/identifiers.h"
#include "vigil/core/utf8.h"
#include "vigil/custody/takedown.h"
#include "vigil/ingest/feed_importer.h"

namespace vigil::api {
namespace {

std::string ProtectionNames(ProtectionSet set) {
  std::string names;
  for (const auto& n : set.Names()) names += (names.empty() ? "" : ",") + n;
  return "[" + names + "]";
}

// Sets the subject's protections to `next` in `txn` and, when that
// withholds them, takes down what is queued about them. Returns the audit
// detail's tail.
Result<std::string> ApplyProtections(const ProtectionDesk& desk, StoreTransaction& txn,
                                     int64_t subject_id, ProtectionSet next) {
  auto subject = txn.custody().GetSubject(subject_id);
  if (!subject) return tl::unexpected(subject.error());
  if (!*subject) return NotFound("no such person");
  Subject s = std::move(**subject);
  const bool was_public_protected = !s.protections.empty();
  s.protections = next;
  VIGIL_RETURN_IF_ERROR(txn.custody().UpdateSubject(s));
  std::string detail = "set " + ProtectionNames(next);
  if (!next.empty() && !was_public_protected) {
    auto counts = custody::Takedown(txn, subject_id, desk.clock->Now());
    if (!counts) return tl::unexpected(counts.error());
    detail += "; cancelled " + std::to_string(counts->cancelled_notifications) +
              " notices; suspended " + std::to_string(counts->suspended_registrations) +
              " registrations";
  }
  return detail;
}

Result<void> Audit(const ProtectionDesk& desk, StoreTransaction& txn, std::string kind,
                   std::string_view actor, std::optional<int64_t> subject_id, std::string detail) {
  if (desk.audit_log == nullptr) return {};
  auto logged = desk.audit_log->Append(
      txn, {std::move(kind), std::string(actor), subject_id, std::move(detail)}, desk.clock->Now());
  if (!logged) return tl::unexpected(logged.error());
  return {};
}

std::string OneLine(std::string_view text) {
  std::string out(text);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return out;
}

}  // namespace

Protection ProtectionFor(std::string_view reason) {
  if (reason == "vawa") return Protection::kSec1367;
  if (reason == "asylum") return Protection::kAsylum;
  if (reason == "minor") return Protection::kJuvenile;
  return Protection::kSealed;
}

Result<int64_t> ResolveIdentifier(const ProtectionDesk& desk, StoreReader& reader,
                                  std::string_view identifier) {
  if (auto a_number = ANumber::ParseTyped(identifier)) {
    auto subject = reader.custody().GetSubjectByANumber(*a_number);
    if (!subject) return tl::unexpected(subject.error());
    return *subject ? (*subject)->subject_id : 0;
  }
  if (desk.refs != nullptr) {
    if (auto id = desk.refs->Decode(identifier)) {
      auto subject = reader.custody().GetSubject(*id);
      if (!subject) return tl::unexpected(subject.error());
      return *subject ? *id : 0;
    }
  }
  return 0;
}

Result<int64_t> SubmitProtectionRequest(const ProtectionDesk& desk,
                                        const NewProtectionRequest& in) {
  if (std::find(kRequestReasons.begin(), kRequestReasons.end(), in.reason) ==
      kRequestReasons.end()) {
    return InvalidArgument("reason: choose one of the reasons listed");
  }
  const bool looks_like_ref = in.identifier.size() == policy::RefCodec::kRefChars;
  if (!ANumber::ParseTyped(in.identifier) && !looks_like_ref) {
    return InvalidArgument(
        "identifier: an A-number (nine digits, like A012345678) or the reference shown with a "
        "search result");
  }
  if (FindInvalidUtf8(in.details) != std::string_view::npos || in.details.size() > 1000) {
    return InvalidArgument("details: at most 1,000 characters");
  }
  if (in.contact.size() > 254) return InvalidArgument("contact: at most 254 characters");
  auto txn = desk.store->BeginWrite();
  if (!txn) return tl::unexpected(txn.error());
  auto subject_id = ResolveIdentifier(desk, **txn, in.identifier);
  if (!subject_id) return tl::unexpected(subject_id.error());
  const Timestamp now = desk.clock->Now();
  ProtectionRequest r;
  r.identifier = in.identifier;
  r.subject_id = *subject_id;
  r.reason = in.reason;
  r.details = OneLine(in.details);
  r.contact_sealed = in.contact.empty() ? "" : desk.vault->Seal(in.contact);
  r.requested_by = in.requested_by;
  r.state = "queued";
  r.language = in.language;
  r.created_at = now;
  r.due_at = now + std::chrono::duration_cast<std::chrono::microseconds>(desk.target);
  std::string detail = "reason " + in.reason + "; by " + in.requested_by;
  bool withheld = false;
  if (in.provisional) {
    // Recorded as provisional even for nobody, so staff see the request as
    // the advocate meant it and the store's answer cannot differ by person.
    r.state = "provisional";
    if (*subject_id != 0) {
      auto subject = (**txn).custody().GetSubject(*subject_id);
      if (!subject) return tl::unexpected(subject.error());
      ProtectionSet next = (*subject)->protections;
      if (!next.Has(Protection::kProvisional)) {
        next.Add(Protection::kProvisional);
        auto applied = ApplyProtections(desk, **txn, *subject_id, next);
        if (!applied) return tl::unexpected(applied.error());
        detail += "; withheld provisionally: " + *applied;
        withheld = true;
      }
    }
  }
  auto id = (**txn).registrations().InsertProtectionRequest(r);
  if (!id) return tl::unexpected(id.error());
  VIGIL_RETURN_IF_ERROR(Audit(desk, **txn, "protection_request", in.requested_by,
                              *subject_id != 0 ? std::optional<int64_t>(*subject_id) : std::nullopt,
                              "request " + std::to_string(*id) + "; " + detail));
  VIGIL_RETURN_IF_ERROR((**txn).Commit());
  if (withheld && desk.changed) desk.changed();
  return *id;
}

Result<void> DecideProtectionRequest(const ProtectionDesk& desk, int64_t request_id,
                                     Decision decision, std::string_view actor,
                                     std::string_view note) {
  auto txn = desk.store->BeginWrite();
  if (!txn) return tl::unexpected(txn.error());
  auto found = (**txn).registrations().GetProtectionRequest(request_id);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return NotFound("no protection request " + std::to_string(request_id));
  ProtectionRequest r = std::move(**found);
  if (r.state != "queued" && r.state != "provisional") {
    return Conflict("request " + std::to_string(request_id) + " was decided already (" + r.state +
                    ")");
  }
  std::string detail = "request " + std::to_string(request_id) + "; ";
  bool changed = false;
  if (r.subject_id != 0) {
    auto subject = (**txn).custody().GetSubject(r.subject_id);
    if (!subject) return tl::unexpected(subject.error());
    if (*subject) {
      ProtectionSet next = (*subject)->protections;
      if (decision == Decision::kConfirm) {
        next.Add(ProtectionFor(r.reason));
      }
      // The provisional withholding ends with this decision unless another
      // undecided provisional request for the same person still holds it.
      auto pending = (**txn).registrations().ProtectionRequests("provisional", 10000);
      if (!pending) return tl::unexpected(pending.error());
      const bool another = std::any_of(pending->begin(), pending->end(), [&](const auto& p) {
        return p.subject_id == r.subject_id && p.request_id != r.request_id;
      });
      if (!another) next.Remove(Protection::kProvisional);
      if (next != (*subject)->protections) {
        auto applied = ApplyProtections(desk, **txn, r.subject_id, next);
        if (!applied) return tl::unexpected(applied.error());
        detail += *applied + "; ";
        changed = true;
      }
    }
  }
  r.state = decision == Decision::kConfirm ? "confirmed" : "rejected";
  r.decided_by = std::string(actor);
  r.decided_at = desk.clock->Now();
  r.decision_note = OneLine(note).substr(0, 1000);
  auto updated = (**txn).registrations().UpdateProtectionRequest(r);
  if (!updated) return tl::unexpected(updated.error());
  VIGIL_RETURN_IF_ERROR(
      Audit(desk, **txn, "protection_decision", actor,
            r.subject_id != 0 ? std::optional<int64_t>(r.subject_id) : std::nullopt,
            detail + r.state + "; note: " + r.decision_note));
  VIGIL_RETURN_IF_ERROR((**txn).Commit());
  if (changed && desk.changed) desk.changed();
  return {};
}

Result<void> SetProtectionsByStaff(const ProtectionDesk& desk, int64_t subject_id,
                                   ProtectionSet protections, std::string_view actor,
                                   std::string_view reason) {
  if (reason.empty() || reason.size() > 500) return InvalidArgument("reason: 1 to 500 characters");
  auto txn = desk.store->BeginWrite();
  if (!txn) return tl::unexpected(txn.error());
  auto applied = ApplyProtections(desk, **txn, subject_id, protections);
  if (!applied) return tl::unexpected(applied.error());
  VIGIL_RETURN_IF_ERROR(Audit(desk, **txn, "protection", actor, subject_id,
                              *applied + "; reason: " + OneLine(reason)));
  VIGIL_RETURN_IF_ERROR((**txn).Commit());
  if (desk.changed) desk.changed();
  return {};
}

Result<void> SetBlockByStaff(const ProtectionDesk& desk, int64_t subject_id,
                             std::optional<std::string_view> reason, std::string_view actor) {
  if (reason && (reason->empty() || reason->size() > 500)) {
    return InvalidArgument("reason: 1 to 500 characters");
  }
  auto txn = desk.store->BeginWrite();
  if (!txn) return tl::unexpected(txn.error());
  const Timestamp now = desk.clock->Now();
  auto changed = (**txn).controls().SetNotificationBlock(subject_id, reason, now);
  if (!changed) return tl::unexpected(changed.error());
  int64_t cancelled = 0;
  if (reason) {
    auto c = (**txn).outbox().CancelNotificationsOf(subject_id, now, false);
    if (!c) return tl::unexpected(c.error());
    cancelled = *c;
  }
  if (*changed) {
    VIGIL_RETURN_IF_ERROR(Audit(desk, **txn, "block", actor, subject_id,
                                reason ? "blocked notifications; cancelled " +
                                             std::to_string(cancelled) +
                                             " notices; reason: " + OneLine(*reason)
                                       : std::string("unblocked notifications")));
  }
  return (**txn).Commit();
}

Result<EventType> OverrideByStaff(const ProtectionDesk& desk, int64_t subject_id,
                                  const custody::OverrideRequest& request, std::string_view actor,
                                  std::string_view reason) {
  if (reason.empty() || reason.size() > 500) return InvalidArgument("reason: 1 to 500 characters");
  VIGIL_RETURN_IF_ERROR(custody::CheckOverride(request, desk.clock->Now()));
  Subject subject;
  {
    auto reader = desk.store->BeginRead();
    if (!reader) return tl::unexpected(reader.error());
    auto found = (**reader).custody().GetSubject(subject_id);
    if (!found) return tl::unexpected(found.error());
    if (!*found) return NotFound("no such person");
    subject = std::move(**found);
  }
  auto type = custody::PlanOverride(subject, request);
  if (!type) return tl::unexpected(type.error());
  const std::string event_id = "ovr-" + notify::ContactVault::RandomDigits(12);
  const std::string line =
      custody::OverrideFeedLine(subject, request, *type, kOverrideSource, event_id);
  const std::string detail =
      std::string(Name(request.status)) + " effective " + FormatRfc3339(request.effective_at) +
      " as " + std::string(kOverrideSource) + "/" + event_id + "; reason: " + OneLine(reason);
  auto record = [&](StoreTransaction& txn, const std::vector<LineResult>& results) -> Result<void> {
    if (results.size() != 1 || results[0].status != ApplyStatus::kAccepted) return {};
    return Audit(desk, txn, "override", actor, subject_id, detail);
  };
  FeedImporter importer(desk.store, desk.clock);
  auto results = importer.ImportText(actor, line + "\n", FeedFormat::kJsonLines, nullptr, record);
  if (!results) return tl::unexpected(results.error());
  if (results->size() != 1) {
    return Internal("one line in, " + std::to_string(results->size()) + " out");
  }
  const LineResult& result = results->front();
  if (result.status == ApplyStatus::kRejected) {
    return InvalidArgument((result.error.field == "facility_id" ? "facility_id: " : "") +
                           result.error.reason);
  }
  if (desk.changed) desk.changed();
  return *type;
}

}  // namespace vigil::api
