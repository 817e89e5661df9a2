// The SMS gateway's callbacks (DESIGN.md §7), called by Kannel's
// smsbox, not by people:
//
//   GET /api/v1/sms/receipt?n=ID&k=MAC&type=T   a delivery report (dlr-url):
//       T 1 delivered, 2 failed, 16 rejected by the SMSC (retried later);
//       4 and 8 (buffered, SMSC ack) change nothing. k must be
//       ContactVault::ReceiptToken(ID), else 403. Reports for a message no
//       longer 'sent' (a late or repeated report) are answered and ignored.
//   GET /api/v1/sms/inbound?from=NUMBER&text=TEXT&token=SECRET
//       a text to our number (an sms-service get-url): STOP / START / HELP
//       (notify::Registrar::OnInboundSms). The reply is the text/plain body,
//       which smsbox texts back; a reply GSM-7 cannot hold carries
//       X-Kannel-Coding: 2 (the sms-service needs accept-x-kannel-headers). `token` must equal the configured
//       kannel.inbound_token, else 403 (and the route is off when it is empty).
#ifndef VIGIL_API_SMS_ROUTES_H_
#define VIGIL_API_SMS_ROUTES_H_

#include <string>

#include "vigil/audit/audit_log.h"
#include "vigil/core/clock.h"
#include "vigil/http/router.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/notify/registrar.h"
#include "vigil/store/store.h"

namespace vigil::api {

struct SmsRouteDependencies {
  Store* store = nullptr;
  const notify::ContactVault* vault = nullptr;
  notify::Registrar* registrar = nullptr;
  const Clock* clock = nullptr;
  std::string inbound_token;          // empty: inbound texts are refused
  std::string default_region = "US";  // for a sender number without "+"
  // Delivery reports that settle a text are logged here; may be null.
  audit::AuditWriter* audit = nullptr;
};

// Adds the routes above; everything must outlive the router.
void AddSmsRoutes(http::Router& router, SmsRouteDependencies deps);

}  // namespace vigil::api

#endif  // VIGIL_API_SMS_ROUTES_H_
