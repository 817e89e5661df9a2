// The agency API (DESIGN.md §7). Every route needs a key with its
// scope (api/agency_keys.h): 401 without a believable key, 403 without the scope.
//
//   POST /api/v1/agency/events                       feed:write
//       One JSON event, or JSON Lines (Content-Type: application/x-ndjson):
//       the same validation, idempotency and per-line errors as
//       `vigil import`, in one transaction. 200 with
//       {"accepted","duplicate","rejected","lines":[{"line","status"[,"field","reason"]}]}.
//       403 and nothing written when any line names a source the key is not
//       bound to (agency_keys.h), "vigil-override" included; the refusal is
//       audited ("write_refused"), as is every write ("feed_write").
//   PUT  /api/v1/agency/subjects/{a_number}/protections   subjects:protect
//       {"protections":[...],"reason","legal_basis"}: sets the person's
//       protections to exactly these. Effective on the next request: in the
//       same transaction, queued notices about the person are cancelled and
//       their registrations suspended (a protection lifted later does not
//       bring them back). 404 for an unknown A-number.
//   GET  /api/v1/agency/alerts                        audit:read
//       Per withheld person who was sought: {"alerts":[{"a_number","withheld",
//       "sought","by":{"a_number","name","registration"},"first_sought_at",
//       "last_sought_at"}]}. Never the query text or anything about the searcher.
//   POST /api/v1/agency/subjects/{a_number}/overrides   subjects:override
//       {"custody_status","effective_at"[,"facility_id"],"reason"}: the status
//       by hand, stored as an event of source "vigil-override" (folds,
//       notifies, can be retracted, is superseded by later feed events). 201.
//   PUT|DELETE /api/v1/agency/subjects/{a_number}/block  subjects:override
//       {"reason"}: no notification about the person until DELETE; queued
//       ones are cancelled in the same transaction. The lookup is unchanged.
//   POST /api/v1/agency/events/{source}/{event_id}/retraction   feed:write
//       {"reason"}: a `retracted` event "retraction-of-<event_id>"; those
//       who were sent a notice of the event are sent a correction. 403
//       (audited) unless the key is bound to {source}; an override's event
//       ("vigil-override") needs subjects:override as well.
//   POST /api/v1/agency/victims                       victims:enrol
//       {"a_number","channel","contact"[,"language"]}: an active verified
//       registration; 201 {"victim_id","pin",...}, shown once.
//   GET  /api/v1/agency/audit?after=&limit=           audit:read
//   GET  /api/v1/agency/export                        report:read
//       text/csv of everyone the public may see (api/export.h).
#ifndef VIGIL_API_AGENCY_ROUTES_H_
#define VIGIL_API_AGENCY_ROUTES_H_

#include <functional>
#include <string>
#include <vector>

#include <boost/beast/http/verb.hpp>

#include "vigil/audit/audit_log.h"
#include "vigil/core/clock.h"
#include "vigil/http/router.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/policy/disclosure_policy.h"
#include "vigil/store/store.h"

namespace vigil::api {

struct AgencyDependencies {
  Store* store = nullptr;
  const Clock* clock = nullptr;
  // Called after a change is committed (wakes the dispatcher). May be empty.
  std::function<void()> changed;
  // The audit log: protection changes (in their own transaction) and every
  // use of a key. Both null, or both set.
  const audit::AuditLog* audit_log = nullptr;
  audit::AuditWriter* audit = nullptr;
  // Enrolment (seals the contact, hashes the PIN) and the export (the
  // gate). Routes that need them answer 503 while they are null.
  const notify::ContactVault* vault = nullptr;
  const policy::DisclosurePolicy* policy = nullptr;
  // Enrolment reads a phone number without a "+" as one of this region.
  std::string default_region = "US";
};

struct AgencyRoute {
  boost::beast::http::verb verb;
  std::string pattern;
  std::string scope;
};

// Every agency route and the scope it needs.
const std::vector<AgencyRoute>& AgencyRouteTable();

// Adds the routes above; everything must outlive the router.
void AddAgencyRoutes(http::Router& router, AgencyDependencies deps);

}  // namespace vigil::api

#endif  // VIGIL_API_AGENCY_ROUTES_H_
