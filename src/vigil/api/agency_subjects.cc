// The agency API's people: protections, overrides, notification blocks
// and the enrolment of verified victims.
#include <sodium.h>

#include "vigil/api/agency_handlers.h"
#include "vigil/core/identifiers.h"
#include "vigil/core/metrics.h"
#include "vigil/core/time_format.h"
#include "vigil/custody/override.h"
#include "vigil/custody/takedown.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/notify/phone.h"

namespace vigil::api::agency {

http::Response PutProtections(const AgencyDependencies& deps, const http::Request& req,
                              http::RequestContext& ctx, const ApiKey& key) {
  const auto started = std::chrono::steady_clock::now();
  auto fail = [&](const std::string& why) {
    return http::ErrorResponse(req, ctx, InvalidArgument(why).value());
  };
  std::string digits = ctx.path_params["a_number"];
  if (digits.size() != 9 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return fail("a_number: nine digits in the path");
  }
  auto a_number = ANumber::Parse(digits);
  if (!a_number) return fail("a_number: " + a_number.error().message());
  auto body = http::JsonObjectBody::Parse(req.body(), {"protections", "reason", "legal_basis"});
  if (!body) {
    return fail(
        body.error().message() +
        R"( (the body must be {"protections": [...], "reason": "...", "legal_basis": "..."}))");
  }
  auto names = body->StringList("protections", 16, 64);
  if (!names) return fail(names.error().message());
  for (const char* field : {"reason", "legal_basis"}) {
    if (!body->String(field, 500, /*required=*/true)) {
      return fail(std::string(field) + ": required, 1 to 500 characters");
    }
  }
  ProtectionSet protections;
  for (const std::string& name : *names) {
    auto parsed = ParseProtection(name);
    if (!parsed) return fail("protections: " + parsed.error().message());
    protections.Add(*parsed);
  }
  const std::string reason = Field(*body, "reason"), legal_basis = Field(*body, "legal_basis");
  auto txn = deps.store->BeginWrite();
  if (!txn) return http::ErrorResponse(req, ctx, txn.error());
  auto subject = SubjectByANumber((*txn)->custody(), *a_number);
  if (!subject) return http::ErrorResponse(req, ctx, subject.error());
  Subject s = std::move(*subject);
  s.protections = protections;
  if (auto u = (*txn)->custody().UpdateSubject(s); !u)
    return http::ErrorResponse(req, ctx, u.error());
  custody::TakedownCounts takedown;
  if (!protections.empty()) {
    auto counts = custody::Takedown(**txn, s.subject_id, deps.clock->Now());
    if (!counts) return http::ErrorResponse(req, ctx, counts.error());
    takedown = *counts;
  }
  const int64_t cancelled = takedown.cancelled_notifications;
  const int64_t suspended = takedown.suspended_registrations;
  if (deps.audit_log) {
    std::string names;
    for (const auto& n : protections.Names()) names += (names.empty() ? "" : ",") + n;
    auto logged = deps.audit_log->Append(
        **txn,
        {"protection", "api:" + key.name, s.subject_id,
         "set [" + names + "]; cancelled " + std::to_string(cancelled) + " notices; suspended " +
             std::to_string(suspended) + " registrations; legal basis: " + legal_basis +
             "; reason: " + reason},
        deps.clock->Now());
    if (!logged) return http::ErrorResponse(req, ctx, logged.error());
  }
  if (auto c = (*txn)->Commit(); !c) return http::ErrorResponse(req, ctx, c.error());
  if (!protections.empty()) {
    metrics::Global().Observe(
        "vigil_takedown_seconds", {},
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  if (deps.changed) deps.changed();
  return Json(req, bhttp::status::ok,
              {{"a_number", digits},
               {"protections", protections.Names()},
               {"cancelled_notifications", cancelled},
               {"suspended_registrations", suspended}});
}

// VINEWatch-style override: the agency states the custody status by hand,
// with the time it took effect. It becomes an event of kOverrideSource in
// the person's history, so it folds, notifies and can be retracted like any.
http::Response PostOverride(const AgencyDependencies& deps, const http::Request& req,
                            http::RequestContext& ctx, const ApiKey& key) {
  auto a_number = PathANumber(ctx);
  if (!a_number) return http::ErrorResponse(req, ctx, a_number.error());
  auto body = BodyObject(req, {"custody_status", "effective_at", "facility_id", "reason"},
                         {"custody_status", "effective_at", "reason"});
  if (!body) return http::ErrorResponse(req, ctx, body.error());
  auto status = ParseCustodyStatus(Field(*body, "custody_status"));
  if (!status) return Fail(req, ctx, "custody_status: " + status.error().message());
  auto effective = ParseRfc3339(Field(*body, "effective_at"));
  if (!effective) return Fail(req, ctx, "effective_at: " + effective.error().message());
  const custody::OverrideRequest request{*status, *effective, Field(*body, "facility_id")};
  if (auto ok = custody::CheckOverride(request, deps.clock->Now()); !ok) {
    return http::ErrorResponse(req, ctx, ok.error());
  }
  std::optional<Subject> subject;
  {
    auto reader = deps.store->BeginRead();
    if (!reader) return http::ErrorResponse(req, ctx, reader.error());
    auto found = SubjectByANumber((*reader)->custody(), *a_number);
    if (!found) return http::ErrorResponse(req, ctx, found.error());
    subject = std::move(*found);
  }
  auto type = custody::PlanOverride(*subject, request);
  if (!type) return http::ErrorResponse(req, ctx, type.error());
  const std::string event_id = "ovr-" + notify::ContactVault::RandomDigits(12);
  const std::string line =
      custody::OverrideFeedLine(*subject, request, *type, kOverrideSource, event_id);
  auto result = ImportOne(
      deps, key, line,
      {"override", "api:" + key.name, subject->subject_id,
       std::string(Name(*status)) + " effective " + FormatRfc3339(*effective) + " as " +
           std::string(kOverrideSource) + "/" + event_id + "; reason: " + Field(*body, "reason")});
  if (!result) return http::ErrorResponse(req, ctx, result.error());
  if (result->status == ApplyStatus::kRejected) {
    return Fail(
        req, ctx,
        (result->error.field == "facility_id" ? "facility_id: " : "") + result->error.reason);
  }
  return Json(req, bhttp::status::created,
              {{"a_number", a_number->digits()},
               {"source", std::string(kOverrideSource)},
               {"event_id", event_id},
               {"type", Name(*type)},
               {"effective_at", FormatRfc3339(*effective)}});
}

// Blocks (PUT) or unblocks (DELETE) notifications about a person. The
// person stays visible; only messages stop. A block cancels what is queued,
// in the same transaction; events while blocked are never notified later.
http::Response PutOrDeleteBlock(const AgencyDependencies& deps, const http::Request& req,
                                http::RequestContext& ctx, const ApiKey& key) {
  auto a_number = PathANumber(ctx);
  if (!a_number) return http::ErrorResponse(req, ctx, a_number.error());
  const bool block = req.method() == bhttp::verb::put;
  std::string reason;
  if (block) {
    auto body = BodyObject(req, {"reason"}, {"reason"});
    if (!body) return http::ErrorResponse(req, ctx, body.error());
    reason = Field(*body, "reason");
  }
  auto txn = deps.store->BeginWrite();
  if (!txn) return http::ErrorResponse(req, ctx, txn.error());
  auto subject = SubjectByANumber((*txn)->custody(), *a_number);
  if (!subject) return http::ErrorResponse(req, ctx, subject.error());
  const int64_t id = subject->subject_id;
  auto changed = (*txn)->controls().SetNotificationBlock(
      id, block ? std::optional<std::string_view>(reason) : std::nullopt, deps.clock->Now());
  if (!changed) return http::ErrorResponse(req, ctx, changed.error());
  int64_t cancelled = 0;
  if (block) {
    auto c = (*txn)->outbox().CancelNotificationsOf(id, deps.clock->Now(), false);
    if (!c) return http::ErrorResponse(req, ctx, c.error());
    cancelled = *c;
  }
  if (deps.audit_log && *changed) {
    auto logged = deps.audit_log->Append(
        **txn,
        {"block", "api:" + key.name, id,
         block ? "blocked notifications; cancelled " + std::to_string(cancelled) +
                     " notices; reason: " + reason
               : std::string("unblocked notifications")},
        deps.clock->Now());
    if (!logged) return http::ErrorResponse(req, ctx, logged.error());
  }
  if (auto c = (*txn)->Commit(); !c) return http::ErrorResponse(req, ctx, c.error());
  return Json(req, bhttp::status::ok,
              {{"a_number", a_number->digits()},
               {"blocked", block},
               {"changed", *changed},
               {"cancelled_notifications", cancelled}});
}

// The DOJ VNS model: the agency, having verified the victim, registers them
// (active at once, tier verified) and hands them a victim id and a PIN.
// Verified registrants also receive advance notice of a scheduled release.
http::Response PostVictim(const AgencyDependencies& deps, const http::Request& req,
                          http::RequestContext& ctx, const ApiKey& key) {
  if (!deps.vault || !deps.policy) {
    return http::ErrorResponse(req, ctx, Unavailable("enrolment is not configured").value());
  }
  auto body = BodyObject(req, {"a_number", "channel", "contact", "language"},
                         {"a_number", "channel", "contact"});
  if (!body) return http::ErrorResponse(req, ctx, body.error());
  auto a_number = ANumber::Parse(Field(*body, "a_number"));
  if (!a_number) return Fail(req, ctx, "a_number: " + a_number.error().message());
  auto channel = ParseChannel(Field(*body, "channel"));
  if (!channel) return Fail(req, ctx, "channel: " + channel.error().message());
  std::string language = Field(*body, "language");
  if (language.empty()) language = "en";
  if (language != "en" && language != "es") return Fail(req, ctx, "language: \"en\" or \"es\"");
  const std::string raw = Field(*body, "contact");
  auto contact =
      *channel == DeliveryChannel::kEmail
          ? notify::NormalizeEmail(raw)
          : notify::NormalizePhone(raw, deps.default_region,
                                   *channel == DeliveryChannel::kSms ? notify::PhoneUse::kSms
                                                                     : notify::PhoneUse::kVoice);
  if (!contact) return http::ErrorResponse(req, ctx, contact.error());
  std::string index = deps.vault->BlindIndex(*channel, *contact);

  auto txn = deps.store->BeginWrite();
  if (!txn) return http::ErrorResponse(req, ctx, txn.error());
  auto subject = SubjectByANumber((*txn)->custody(), *a_number);
  if (!subject) return http::ErrorResponse(req, ctx, subject.error());
  policy::SuppressionReason why = policy::SuppressionReason::kNone;
  if (!deps.policy->Disclose(**txn, subject->subject_id, policy::Audience::kVerifiedRegistrant,
                             &why)) {
    // The agency may know why; the victim would be told nothing anyway.
    return http::ErrorResponse(req, ctx,
                               Conflict("notices about this person are withheld (" +
                                        std::string(policy::Name(why)) + "); nothing would be sent")
                                   .value());
  }
  if (*channel == DeliveryChannel::kSms) {
    auto same = (*txn)->registrations().RegistrationsByContact(*channel, index);
    if (!same) return http::ErrorResponse(req, ctx, same.error());
    for (const Registration& r : *same) {
      if (r.opted_out) {
        return http::ErrorResponse(
            req, ctx,
            Conflict("this number replied STOP; it must text START before it can be enrolled")
                .value());
      }
    }
  }
  std::string pin = notify::ContactVault::RandomDigits(4);
  std::string victim_id = "V" + notify::ContactVault::RandomDigits(9);
  auto existing = (*txn)->registrations().FindRegistration(subject->subject_id, *channel, index);
  if (!existing) return http::ErrorResponse(req, ctx, existing.error());
  Registration r;
  if (*existing) {
    // A registrant who signed up on the web is upgraded, not duplicated.
    r = **existing;
  } else {
    r.subject_id = subject->subject_id;
    r.channel = *channel;
    r.contact_sealed = deps.vault->Seal(*contact);
    r.contact_index = index;
    r.created_at = deps.clock->Now();
  }
  r.language = language;
  r.state = RegistrationState::kActive;
  r.tier = RegistrationTier::kVerified;
  r.secret_hash.clear();
  r.secret_expires_at.reset();
  r.ended_at.reset();
  r.opted_out = false;
  r.pin_hash = deps.vault->HashPin(pin);
  r.victim_id = victim_id;
  // The only unique key left to collide with is the victim id (one in a
  // billion per enrolled victim): draw again.
  for (int attempt = 1;; ++attempt) {
    Result<void> written;
    if (*existing) {
      written = (*txn)->registrations().UpdateRegistration(r);
    } else {
      auto id = (*txn)->registrations().InsertRegistration(r);
      if (id) r.registration_id = *id;
      if (!id) written = tl::unexpected(id.error());
    }
    if (written) break;
    if (written.error().code() != ErrorCode::kConflict || attempt == 5) {
      return http::ErrorResponse(req, ctx, written.error());
    }
    victim_id = "V" + notify::ContactVault::RandomDigits(9);
    r.victim_id = victim_id;
  }
  if (deps.audit_log) {
    auto logged = deps.audit_log->Append(
        **txn,
        {"enrolment", "api:" + key.name, r.subject_id,
         "verified registrant " + victim_id + " (" + std::string(Name(*channel)) + ")"},
        deps.clock->Now());
    if (!logged) return http::ErrorResponse(req, ctx, logged.error());
  }
  if (auto c = (*txn)->Commit(); !c) return http::ErrorResponse(req, ctx, c.error());
  return Json(req, bhttp::status::created,
              {{"victim_id", victim_id},
               {"pin", pin},
               {"channel", Name(*channel)},
               {"language", language},
               {"tier", "verified"}});
}

}  // namespace vigil::api::agency
