// Inside the agency API (agency_routes.h): the handlers, one file per
// resource — agency_events.cc (feed events and retractions),
// agency_subjects.cc (protections, overrides, blocks, victim enrolment),
// agency_reads.cc (alerts, the audit listing, the export) — and the helpers
// they share (agency_common.cc). Only agency_*.cc include this.
#ifndef VIGIL_API_AGENCY_HANDLERS_H_
#define VIGIL_API_AGENCY_HANDLERS_H_

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/api/agency_keys.h"
#include "vigil/api/agency_routes.h"
#include "vigil/audit/audit_log.h"
#include "vigil/core/hex.h"
#include "vigil/http/json_body.h"
#include "vigil/ingest/feed_importer.h"

namespace vigil::api::agency {

namespace bhttp = boost::beast::http;
using nlohmann::json;

// The routes' patterns.
inline constexpr char kEvents[] = "/api/v1/agency/events";
inline constexpr char kProtections[] = "/api/v1/agency/subjects/{a_number}/protections";
inline constexpr char kAlerts[] = "/api/v1/agency/alerts";
inline constexpr char kOverrides[] = "/api/v1/agency/subjects/{a_number}/overrides";
inline constexpr char kBlock[] = "/api/v1/agency/subjects/{a_number}/block";
inline constexpr char kRetraction[] = "/api/v1/agency/events/{source}/{event_id}/retraction";
inline constexpr char kVictims[] = "/api/v1/agency/victims";
inline constexpr char kAudit[] = "/api/v1/agency/audit";
inline constexpr char kExport[] = "/api/v1/agency/export";

// Every handler: the request, its route context and the authenticated key.

// agency_events.cc
http::Response PostEvents(const AgencyDependencies& deps, const http::Request& req,
                          http::RequestContext& ctx, const ApiKey& key);
http::Response PostRetraction(const AgencyDependencies& deps, const http::Request& req,
                              http::RequestContext& ctx, const ApiKey& key);

// agency_subjects.cc
http::Response PutProtections(const AgencyDependencies& deps, const http::Request& req,
                              http::RequestContext& ctx, const ApiKey& key);
http::Response PostOverride(const AgencyDependencies& deps, const http::Request& req,
                            http::RequestContext& ctx, const ApiKey& key);
http::Response PutOrDeleteBlock(const AgencyDependencies& deps, const http::Request& req,
                                http::RequestContext& ctx, const ApiKey& key);
http::Response PostVictim(const AgencyDependencies& deps, const http::Request& req,
                          http::RequestContext& ctx, const ApiKey& key);

// agency_reads.cc
http::Response GetAlerts(const AgencyDependencies& deps, const http::Request& req,
                         http::RequestContext& ctx, const ApiKey&);
http::Response GetAudit(const AgencyDependencies& deps, const http::Request& req,
                        http::RequestContext& ctx, const ApiKey&);
http::Response GetExport(const AgencyDependencies& deps, const http::Request& req,
                         http::RequestContext& ctx, const ApiKey&);

// Shared (agency_common.cc).
http::Response Json(const http::Request& req, bhttp::status status, const json& body);
// How a refusal may name a source the client sent: as itself when it is a
// source id, else not at all.
std::string ShownSource(std::string_view source);
// The answer to a write of another source's events: 403, and an audit entry
// naming the key and what it tried, so a stolen or misused key shows.
http::Response RefuseSource(const AgencyDependencies& deps, const http::Request& req,
                            http::RequestContext& ctx, const ApiKey& key, std::string_view what,
                            std::string_view source);
http::Response Fail(const http::Request& req, http::RequestContext& ctx, const std::string& why);
// The person with this A-number; kNotFound, saying so, when there is none.
Result<Subject> SubjectByANumber(CustodyReads& custody, const ANumber& a_number);

// The {a_number} of the path: nine digits.
Result<ANumber> PathANumber(http::RequestContext& ctx);
// The body as a JSON object with only `allowed` fields; `required` among
// them must be non-empty strings of at most 500 bytes, the others strings
// of at most 500 bytes when present.
Result<http::JsonObjectBody> BodyObject(const http::Request& req,
                                        std::initializer_list<std::string_view> allowed,
                                        std::initializer_list<std::string_view> required);
// A field BodyObject has checked: a string, "" when absent.
std::string Field(const http::JsonObjectBody& body, std::string_view field);
// Runs one feed line through the importer, as `vigil import` would. When
// the line is accepted, `audit` is appended to the audit log in the same
// transaction: the change and its record commit together, or neither.
Result<LineResult> ImportOne(const AgencyDependencies& deps, const ApiKey& key,
                             const std::string& line, const audit::AuditRecord& audit);

}  // namespace vigil::api::agency

#endif  // VIGIL_API_AGENCY_HANDLERS_H_
