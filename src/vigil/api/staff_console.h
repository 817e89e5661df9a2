// The staff console (docs/staff.md): server-rendered pages at /staff/ for
// the people who answer the hotline, review stalking alerts and handle
// takedown requests. Usable without JavaScript, in English and Spanish.
//
//   GET  /staff/login            the sign-in form (name, password, 6-digit code)
//   POST /staff/login            signs in: a new session cookie, 303 to /staff/
//   POST /staff/logout           ends every session of the account
//   GET  /staff/                 what the role may do, and the queue's length
//   GET  /staff/requests         protection requests waiting: overdue first marked
//   GET  /staff/requests/{id}    one request, whom it names, confirm / reject
//   POST /staff/requests/{id}/decision   decision=confirm|reject, note
//   GET  /staff/protect          a request on someone's behalf (hotline, advocate)
//   POST /staff/protect          withholds provisionally at once
//   GET  /staff/person?id=       a person by A-number or ref: the staff view
//   POST /staff/person/protections   sets protections, with a required reason
//   POST /staff/person/block     blocks (block=1, reason) or resumes notifications (supervisor)
//   POST /staff/person/override  states the custody status by hand, with a reason (supervisor)
//   GET  /staff/alerts           withheld people who were sought (stalking alerts)
//   GET  /staff/voicemails       the hotline's voicemails
//   GET  /staff/audit?kind=&actor=   the newest audit entries
//   GET  /staff/reports          the report form: period, month or quarter, HTML or CSV
//   GET  /staff/reports/report?from=&to=&by=&format=   `vigil report`'s page or CSV
//
// Every page but the sign-in needs a live session (staff_auth.h); every POST
// a CSRF token of that session, and a same-origin Origin header when the
// browser sends one. Each page and action needs a scope its role holds
// (staff::ScopesOf): 403 otherwise. Every action is audited with
// "staff:<account>" as its actor; sign-ins and refused sign-ins too.
#ifndef VIGIL_API_STAFF_CONSOLE_H_
#define VIGIL_API_STAFF_CONSOLE_H_

#include "vigil/api/protection_requests.h"
#include "vigil/api/staff_auth.h"
#include "vigil/http/router.h"
#include "vigil/policy/disclosure_policy.h"

namespace vigil::api {

struct StaffConsoleDependencies {
  ProtectionDesk desk;  // store, clock, refs, vault and audit log: all required
  const policy::DisclosurePolicy* policy = nullptr;
  staff::LoginPolicy login;
};

// Adds the routes above; everything must outlive the router.
void AddStaffConsole(http::Router& router, StaffConsoleDependencies deps);

}  // namespace vigil::api

#endif  // VIGIL_API_STAFF_CONSOLE_H_
