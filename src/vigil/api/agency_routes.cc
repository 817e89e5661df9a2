#include "vigil/api/agency_routes.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "vigil/api/agency_keys.h"
#include "vigil/api/export.h"
#include "vigil/api/search_routes.h"
#include "vigil/core/identifiers.h"
#include "vigil/core/time_format.h"
#include "vigil/custody/override.h"
#include "vigil/custody/takedown.h"
#include "vigil/http/json_body.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/notify/phone.h"

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;
using nlohmann::json;

constexpr char kEvents[] = "/api/v1/agency/events";
constexpr char kProtections[] = "/api/v1/agency/subjects/{a_number}/protections";
constexpr char kAlerts[] = "/api/v1/agency/alerts";
constexpr char kOverrides[] = "/api/v1/agency/subjects/{a_number}/overrides";
constexpr char kBlock[] = "/api/v1/agency/subjects/{a_number}/block";
constexpr char kRetraction[] = "/api/v1/agency/events/{source}/{event_id}/retraction";
constexpr char kVictims[] = "/api/v1/agency/victims";
constexpr char kAudit[] = "/api/v1/agency/audit";
constexpr char kExport[] = "/api/v1/agency/export";

// An override's events (of kOverrideSource, agency_keys.h) live in the
// history like any feed's, so a retraction can withdraw one and a later
// feed event supersedes it.

http::Response Json(const http::Request& req, bhttp::status status, const json& body) {
  return http::JsonResponse(req, status, body.dump());
}

// How a refusal may name a source the client sent: as itself when it is a
// source id, else not at all.
std::string ShownSource(std::string_view source) {
  auto valid = ValidKeySources({std::string(source)});
  bool id = valid || source == kOverrideSource;
  return id ? "\"" + std::string(source) + "\"" : "(not a source id)";
}

// The answer to a write of another source's events: 403, and an audit entry
// naming the key and what it tried, so a stolen or misused key shows.
http::Response RefuseSource(const AgencyDependencies& deps, const http::Request& req,
                            http::RequestContext& ctx, const ApiKey& key, std::string_view what,
                            std::string_view source) {
  if (deps.audit) {
    deps.audit->Record(
        {"write_refused", "api:" + key.name, std::nullopt,
         std::string(what) + " of source " + ShownSource(source) + ": not bound to this key"});
  }
  std::string why =
      source == kOverrideSource
          ? "events of source \"" + std::string(kOverrideSource) +
                "\" are made only by the overrides route, and retracted only by a key that "
                "also has the scope subjects:override"
          : "this key may not write events of source " + ShownSource(source) +
                " (it is bound to: " +
                [&] {
                  std::string bound;
                  for (const auto& s : key.sources) bound += (bound.empty() ? "" : ", ") + s;
                  return bound.empty() ? std::string("no source") : bound;
                }() +
                ")";
  return http::ErrorResponse(req, ctx, PermissionDenied(why).value());
}

// The sources the lines of `body` name (lines that are not JSON objects
// with a string "source" are left to the importer to refuse, line by line).
std::vector<std::string> SourcesOf(std::string_view body) {
  std::vector<std::string> sources;
  JsonDocument doc;
  while (!body.empty()) {
    size_t nl = body.find('\n');
    std::string_view line = body.substr(0, nl);
    body.remove_prefix(nl == std::string_view::npos ? body.size() : nl + 1);
    if (!doc.Parse(line) || !doc.root().is_object()) continue;
    const JsonDocument::Value* source = doc.root().Find("source");
    if (source == nullptr || !source->is_string()) continue;
    if (std::find(sources.begin(), sources.end(), source->text()) == sources.end()) {
      sources.emplace_back(source->text());
    }
  }
  return sources;
}

http::Response PostEvents(const AgencyDependencies& deps, const http::Request& req,
                          http::RequestContext& ctx, const ApiKey& key) {
  auto type = req.find(bhttp::field::content_type);
  bool lines = type != req.end() && std::string_view(type->value().data(), type->value().size())
                                        .starts_with("application/x-ndjson");
  std::string body = req.body();
  if (!lines) {
    // One event, perhaps pretty-printed, read by the one JSON reader; then
    // one line for the importer. Line breaks in valid JSON are whitespace
    // (a string cannot hold a raw one), so they become spaces.
    JsonDocument one;
    const bool parsed = one.Parse(body, http::JsonObjectBody::kDefaultMaxBytes);
    if (!parsed || !one.root().is_object()) {
      std::string why = parsed ? "" : ": " + JsonDocument::Describe(one.error());
      return http::ErrorResponse(
          req, ctx,
          InvalidArgument("the body must be one JSON object, or JSON Lines sent as "
                          "application/x-ndjson" +
                          why)
              .value());
    }
    std::replace(body.begin(), body.end(), '\n', ' ');
    std::replace(body.begin(), body.end(), '\r', ' ');
    body += "\n";
  }
  // Every line's source is checked before anything is written: a request
  // that names one this key may not write changes nothing.
  const std::vector<std::string> sources = SourcesOf(body);
  for (const std::string& source : sources) {
    if (!MayWrite(key, source)) return RefuseSource(deps, req, ctx, key, "events", source);
  }
  FeedImporter importer(deps.store, deps.clock);
  auto results = importer.ImportText("api:" + key.name, body, FeedFormat::kJsonLines, nullptr);
  if (!results) return http::ErrorResponse(req, ctx, results.error());
  json out = {{"accepted", 0}, {"duplicate", 0}, {"rejected", 0}, {"lines", json::array()}};
  for (const LineResult& l : *results) {
    json line = {{"line", l.line}};
    switch (l.status) {
      case ApplyStatus::kAccepted:
        line["status"] = "accepted";
        out["accepted"] = out["accepted"].get<int>() + 1;
        break;
      case ApplyStatus::kDuplicate:
        line["status"] = "duplicate";
        out["duplicate"] = out["duplicate"].get<int>() + 1;
        break;
      default:
        line["status"] = "rejected";
        line["field"] = l.error.field;
        line["reason"] = l.error.reason;
        out["rejected"] = out["rejected"].get<int>() + 1;
        break;
    }
    out["lines"].push_back(std::move(line));
  }
  if (deps.audit) {
    // Which key wrote which sources' events: what no earlier version kept.
    std::string names;
    for (const auto& s : sources) names += (names.empty() ? "" : ",") + s;
    deps.audit->Record({"feed_write", "api:" + key.name, std::nullopt,
                        "accepted " + out["accepted"].dump() + ", duplicate " +
                            out["duplicate"].dump() + ", rejected " + out["rejected"].dump() +
                            "; sources " + (names.empty() ? "none" : names)});
  }
  if (deps.changed) deps.changed();
  return Json(req, bhttp::status::ok, out);
}

std::string Hex(const std::string& bytes) {
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  hex.pop_back();
  return hex;
}

http::Response Fail(const http::Request& req, http::RequestContext& ctx, const std::string& why) {
  return http::ErrorResponse(req, ctx, InvalidArgument(why).value());
}

// The {a_number} of the path: nine digits.
Result<ANumber> PathANumber(http::RequestContext& ctx) {
  const std::string& digits = ctx.path_params["a_number"];
  if (digits.size() != 9 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgument("a_number: nine digits in the path");
  }
  auto a_number = ANumber::Parse(digits);
  if (!a_number) return InvalidArgument("a_number: " + a_number.error().message());
  return *a_number;
}

// The body as a JSON object with only `allowed` fields; `required` among
// them must be non-empty strings of at most 500 bytes, the others strings
// of at most 500 bytes when present.
Result<http::JsonObjectBody> BodyObject(const http::Request& req,
                                        std::initializer_list<std::string_view> allowed,
                                        std::initializer_list<std::string_view> required) {
  auto body = http::JsonObjectBody::Parse(req.body(), allowed);
  if (!body) return body;
  for (std::string_view field : allowed) {
    bool needed = std::find(required.begin(), required.end(), field) != required.end();
    auto value = body->String(field, 500, needed);
    if (!value) {
      return InvalidArgument(std::string(field) + (needed ? ": required, 1 to 500 characters"
                                                          : ": at most 500 characters"));
    }
  }
  return body;
}

// A field BodyObject has checked: a string, "" when absent.
std::string Field(const http::JsonObjectBody& body, std::string_view field) {
  auto value = body.String(field, 500);
  return value ? *value : std::string();
}

// Runs one feed line through the importer, as `vigil import` would. When
// the line is accepted, `audit` is appended to the audit log in the same
// transaction: the change and its record commit together, or neither.
Result<LineResult> ImportOne(const AgencyDependencies& deps, const ApiKey& key, const json& line,
                             const audit::AuditRecord& audit) {
  FeedImporter importer(deps.store, deps.clock);
  auto record = [&](StoreTransaction& txn, const std::vector<LineResult>& results) -> Result<void> {
    if (!deps.audit_log || results.size() != 1 || results[0].status != ApplyStatus::kAccepted) {
      return {};
    }
    auto appended = deps.audit_log->Append(txn, audit, deps.clock->Now());
    if (!appended) return tl::unexpected(appended.error());
    return {};
  };
  auto results = importer.ImportText("api:" + key.name, line.dump() + "\n", FeedFormat::kJsonLines,
                                     nullptr, record);
  if (!results) return tl::unexpected(results.error());
  if (results->size() != 1)
    return Internal("one line in, " + std::to_string(results->size()) + " out");
  if (deps.changed) deps.changed();
  return results->front();
}

http::Response PutProtections(const AgencyDependencies& deps, const http::Request& req,
                              http::RequestContext& ctx, const ApiKey& key) {
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
  auto subject = (*txn)->custody().GetSubjectByANumber(*a_number);
  if (!subject) return http::ErrorResponse(req, ctx, subject.error());
  if (!*subject)
    return http::ErrorResponse(req, ctx, NotFound("no person with this A-number").value());
  Subject s = **subject;
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
  if (deps.changed) deps.changed();
  return Json(req, bhttp::status::ok,
              {{"a_number", digits},
               {"protections", protections.Names()},
               {"cancelled_notifications", cancelled},
               {"suspended_registrations", suspended}});
}

// Per withheld person: when and how often they were sought (the stalking
// alert's record). Never the query text or the searcher.
http::Response GetAlerts(const AgencyDependencies& deps, const http::Request& req,
                         http::RequestContext& ctx, const ApiKey&) {
  if (!deps.policy)
    return http::ErrorResponse(req, ctx, Unavailable("alerts are not configured").value());
  auto reader = deps.store->BeginRead();
  if (!reader) return http::ErrorResponse(req, ctx, reader.error());
  struct Sought {
    std::string reason;
    std::map<std::string, int64_t> by;
    int64_t total = 0;
    Timestamp first, last;
  };
  std::map<int64_t, Sought> by_subject;
  for (int64_t after = 0;;) {
    auto batch = (*reader)->controls().SuppressedMatchesAfter(after, 10000);
    if (!batch) return http::ErrorResponse(req, ctx, batch.error());
    if (batch->empty()) break;
    for (const auto& [id, m] : *batch) {
      after = id;
      Sought& s = by_subject[m.subject_id];
      if (s.total++ == 0) s.first = m.occurred_at;
      s.last = m.occurred_at;
      s.reason = m.reason;
      ++s.by[m.channel];
    }
  }
  json alerts = json::array();
  for (const auto& [subject_id, s] : by_subject) {
    policy::SuppressionReason why;
    auto who = deps.policy->ReferForStaff(**reader, subject_id, &why);
    if (why == policy::SuppressionReason::kStoreError) {
      return http::ErrorResponse(req, ctx, Unavailable("reading the alerts failed").value());
    }
    alerts.push_back({{"a_number", who ? who->a_number() : ""},
                      {"withheld", s.reason},
                      {"sought", s.total},
                      {"by", s.by},
                      {"first_sought_at", FormatRfc3339(s.first)},
                      {"last_sought_at", FormatRfc3339(s.last)}});
  }
  return Json(req, bhttp::status::ok, {{"alerts", alerts}});
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
  const std::string& facility_id = request.facility_id;
  std::optional<Subject> subject;
  {
    auto reader = deps.store->BeginRead();
    if (!reader) return http::ErrorResponse(req, ctx, reader.error());
    auto found = (*reader)->custody().GetSubjectByANumber(*a_number);
    if (!found) return http::ErrorResponse(req, ctx, found.error());
    subject = std::move(*found);
  }
  if (!subject)
    return http::ErrorResponse(req, ctx, NotFound("no person with this A-number").value());
  auto type = custody::PlanOverride(*subject, request);
  if (!type) return http::ErrorResponse(req, ctx, type.error());
  json person = {{"a_number", a_number->digits()},
                 {"given_names", subject->given_names},
                 {"family_names", subject->family_names},
                 {"aliases", subject->aliases},
                 {"country_of_birth", subject->country_of_birth}};
  if (subject->date_of_birth) person["date_of_birth"] = subject->date_of_birth->ToString();
  std::string event_id = "ovr-" + notify::ContactVault::RandomDigits(12);
  json line = {{"record", "custody_event"},
               {"source", std::string(kOverrideSource)},
               {"event_id", event_id},
               {"type", Name(*type)},
               {"occurred_at", FormatRfc3339(*effective)},
               {"subject", person},
               {"custody_basis", Name(*subject->custody_basis)},
               {"protections", json::array()}};
  if (!facility_id.empty()) line["facility_id"] = facility_id;
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
  auto subject = (*txn)->custody().GetSubjectByANumber(*a_number);
  if (!subject) return http::ErrorResponse(req, ctx, subject.error());
  if (!*subject)
    return http::ErrorResponse(req, ctx, NotFound("no person with this A-number").value());
  int64_t id = (*subject)->subject_id;
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

// Withdraws an event, as a `retracted` feed line would: state is refolded,
// notices of it not yet sent are cancelled, and whoever received one is
// sent a correction.
http::Response PostRetraction(const AgencyDependencies& deps, const http::Request& req,
                              http::RequestContext& ctx, const ApiKey& key) {
  const std::string source = ctx.path_params["source"];
  const std::string event_id = ctx.path_params["event_id"];
  // A key retracts only its own sources' events; an override's, only a key
  // that may make overrides.
  const bool may = source == kOverrideSource ? std::find(key.scopes.begin(), key.scopes.end(),
                                                         "subjects:override") != key.scopes.end()
                                             : MayWrite(key, source);
  if (!may) return RefuseSource(deps, req, ctx, key, "a retraction", source);
  auto body = BodyObject(req, {"reason"}, {"reason"});
  if (!body) return http::ErrorResponse(req, ctx, body.error());
  std::optional<StoredEvent> target;
  {
    auto reader = deps.store->BeginRead();
    if (!reader) return http::ErrorResponse(req, ctx, reader.error());
    auto found = (*reader)->custody().GetEvent(source, event_id);
    if (!found) return http::ErrorResponse(req, ctx, found.error());
    target = std::move(*found);
  }
  if (!target)
    return http::ErrorResponse(req, ctx, NotFound("no event " + source + "/" + event_id).value());
  // A stable id and time: the same retraction again is a duplicate.
  std::string retraction_id = "retraction-of-" + event_id;
  json line = {{"record", "custody_event"},
               {"source", source},
               {"event_id", retraction_id},
               {"type", "retracted"},
               {"occurred_at", FormatRfc3339(target->event.occurred_at)},
               {"retracts", event_id}};
  auto result = ImportOne(deps, key, line,
                          {"retraction", "api:" + key.name, target->subject_id,
                           "retracted " + source + "/" + event_id + " by " + retraction_id +
                               "; reason: " + Field(*body, "reason")});
  if (!result) return http::ErrorResponse(req, ctx, result.error());
  if (result->status == ApplyStatus::kRejected) {
    return http::ErrorResponse(req, ctx, Conflict(result->error.reason).value());
  }
  return Json(req, bhttp::status::ok,
              {{"source", source},
               {"event_id", event_id},
               {"retraction_event_id", retraction_id},
               {"status", result->status == ApplyStatus::kAccepted ? "accepted" : "duplicate"}});
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
  auto contact = *channel == Channel::kEmail
                     ? notify::NormalizeEmail(raw)
                     : notify::NormalizePhone(raw, deps.default_region,
                                              *channel == Channel::kSms ? notify::PhoneUse::kSms
                                                                        : notify::PhoneUse::kVoice);
  if (!contact) return http::ErrorResponse(req, ctx, contact.error());
  std::string index = deps.vault->BlindIndex(*channel, *contact);

  auto txn = deps.store->BeginWrite();
  if (!txn) return http::ErrorResponse(req, ctx, txn.error());
  auto subject = (*txn)->custody().GetSubjectByANumber(*a_number);
  if (!subject) return http::ErrorResponse(req, ctx, subject.error());
  if (!*subject)
    return http::ErrorResponse(req, ctx, NotFound("no person with this A-number").value());
  policy::SuppressionReason why = policy::SuppressionReason::kNone;
  if (!deps.policy->Disclose(**txn, (*subject)->subject_id, policy::Audience::kVerifiedRegistrant,
                             &why)) {
    // The agency may know why; the victim would be told nothing anyway.
    return http::ErrorResponse(req, ctx,
                               Conflict("notices about this person are withheld (" +
                                        std::string(policy::Name(why)) + "); nothing would be sent")
                                   .value());
  }
  if (*channel == Channel::kSms) {
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
  auto existing = (*txn)->registrations().FindRegistration((*subject)->subject_id, *channel, index);
  if (!existing) return http::ErrorResponse(req, ctx, existing.error());
  Registration r;
  if (*existing) {
    // A registrant who signed up on the web is upgraded, not duplicated.
    r = **existing;
  } else {
    r.subject_id = (*subject)->subject_id;
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

// The audit log, oldest first, for privacy officers: ?after=SEQ&limit=N.
http::Response GetAudit(const AgencyDependencies& deps, const http::Request& req,
                        http::RequestContext& ctx, const ApiKey&) {
  if (!deps.policy)
    return http::ErrorResponse(req, ctx,
                               Unavailable("the audit listing is not configured").value());
  int64_t after = 0;
  int limit = 100;
  std::string_view target(req.target().data(), req.target().size());
  size_t q = target.find('?');
  auto params = ParseQueryString(q == std::string_view::npos ? "" : target.substr(q + 1));
  if (!params) return http::ErrorResponse(req, ctx, params.error());
  for (const auto& [name, value] : *params) {
    char* end = nullptr;
    long long n = std::strtoll(value.c_str(), &end, 10);
    bool number = !value.empty() && end == value.c_str() + value.size() && n >= 0;
    if (name == "after" && number) {
      after = n;
    } else if (name == "limit" && number && n >= 1 && n <= 1000) {
      limit = static_cast<int>(n);
    } else {
      return Fail(req, ctx, "query: after=SEQ (0 or more) and limit=N (1 to 1000) only");
    }
  }
  auto reader = deps.store->BeginRead();
  if (!reader) return http::ErrorResponse(req, ctx, reader.error());
  auto entries = (*reader)->audit().AuditEntriesAfter(after, limit);
  if (!entries) return http::ErrorResponse(req, ctx, entries.error());
  json out = json::array();
  std::map<int64_t, std::string> a_numbers;
  for (const AuditEntry& e : *entries) {
    json entry = {{"seq", e.seq},     {"at", FormatRfc3339(e.at)}, {"kind", e.kind},
                  {"actor", e.actor}, {"detail", e.detail},        {"hash", Hex(e.hash)}};
    if (e.subject_id) {
      auto it = a_numbers.find(*e.subject_id);
      if (it == a_numbers.end()) {
        policy::SuppressionReason why;
        auto who = deps.policy->ReferForStaff(**reader, *e.subject_id, &why);
        if (why == policy::SuppressionReason::kStoreError) {
          return http::ErrorResponse(req, ctx, Unavailable("reading the audit log failed").value());
        }
        it = a_numbers.emplace(*e.subject_id, who ? who->a_number() : "").first;
      }
      entry["a_number"] = it->second;
    }
    out.push_back(std::move(entry));
  }
  json body = {{"entries", out}};
  if (!entries->empty()) body["next_after"] = entries->back().seq;
  return Json(req, bhttp::status::ok, body);
}

// What the public may see, everyone at once (text/csv): for partners that
// mirror the public lookup. Made by the same gate as every other answer.
http::Response GetExport(const AgencyDependencies& deps, const http::Request& req,
                         http::RequestContext& ctx, const ApiKey&) {
  if (!deps.policy)
    return http::ErrorResponse(req, ctx, Unavailable("export is not configured").value());
  std::string csv;
  auto written = WritePublicExport(*deps.store, *deps.policy, [&csv](std::string_view chunk) {
    csv.append(chunk);
    return true;
  });
  if (!written) return http::ErrorResponse(req, ctx, written.error());
  http::Response res{bhttp::status::ok, req.version()};
  res.set(bhttp::field::content_type, "text/csv; charset=utf-8");
  res.set(bhttp::field::cache_control, "no-store");
  res.body() = std::move(csv);
  res.prepare_payload();
  return res;
}

using AgencyHandler = http::Response (*)(const AgencyDependencies&, const http::Request&,
                                         http::RequestContext&, const ApiKey&);

AgencyHandler HandlerFor(const std::string& pattern) {
  if (pattern == kEvents) return PostEvents;
  if (pattern == kAlerts) return GetAlerts;
  if (pattern == kOverrides) return PostOverride;
  if (pattern == kBlock) return PutOrDeleteBlock;
  if (pattern == kRetraction) return PostRetraction;
  if (pattern == kVictims) return PostVictim;
  if (pattern == kAudit) return GetAudit;
  if (pattern == kExport) return GetExport;
  return PutProtections;
}

}  // namespace

const std::vector<AgencyRoute>& AgencyRouteTable() {
  static const std::vector<AgencyRoute> table = {
      {bhttp::verb::post, kEvents, "feed:write"},
      {bhttp::verb::put, kProtections, "subjects:protect"},
      {bhttp::verb::get, kAlerts, "audit:read"},
      {bhttp::verb::post, kOverrides, "subjects:override"},
      {bhttp::verb::put, kBlock, "subjects:override"},
      {bhttp::verb::delete_, kBlock, "subjects:override"},
      {bhttp::verb::post, kRetraction, "feed:write"},
      {bhttp::verb::post, kVictims, "victims:enrol"},
      {bhttp::verb::get, kAudit, "audit:read"},
      {bhttp::verb::get, kExport, "report:read"},
  };
  return table;
}

void AddAgencyRoutes(http::Router& router, AgencyDependencies deps) {
  for (const AgencyRoute& route : AgencyRouteTable()) {
    AgencyHandler handler = HandlerFor(route.pattern);
    std::string scope = route.scope;
    router.Add(
        route.verb, route.pattern,
        [deps, handler, scope](const http::Request& req, http::RequestContext& ctx) {
          auto key = Authenticate(*deps.store, req, scope);
          if (!key) {
            auto res = http::ErrorResponse(req, ctx, key.error());
            if (key.error().code() == ErrorCode::kUnauthenticated) {
              res.set(bhttp::field::www_authenticate, "Bearer");
            }
            return res;
          }
          if (deps.audit) {
            deps.audit->Record({"key_use", "api:" + key->name, std::nullopt,
                                std::string(bhttp::to_string(req.method())) + " " + ctx.route});
          }
          return handler(deps, req, ctx, *key);
        });
  }
}

}  // namespace vigil::api
