// The public web pages (DESIGN.md §7): server-rendered HTML, usable without
// JavaScript, in the nine built-in languages (Arabic right to left), meant
// to meet WCAG 2.1 AA.
//
//   GET /        the search page: search by name, or by A-number
//   GET /safety  "Browse more safely": private windows, history, shared
//                devices, the hotlines
//   GET /search  the results page; takes the parameters of GET /api/v1/search
//                plus lang=<language>, and answers through RunPublicSearch, so the
//                pages and the JSON API cannot disagree about who may be shown
//
// The language is ?lang= when given, else Accept-Language, else English;
// every page has a visible link to each other language that keeps the query,
// and a "Leave this site" link to SafetyText::exit_url that works without
// JavaScript; quick-exit.js adds the Esc key and replaces the history entry.
// A search that finds no one and a search whose match was withheld render
// the same page byte for byte (§2.3). Bad input re-renders the search form
// with a message (400); a client over its rate gets a 429 page with
// Retry-After, sharing the JSON API's per-client budget when both are given
// the same RateLimiter.
//
// Every page is self-contained (inline CSS, one same-origin script that the
// page works without, no external resources) and is sent with a
// Content-Security-Policy that forbids anything else, Referrer-Policy:
// no-referrer (search URLs carry names), Cache-Control: no-store (a shared
// device keeps no copy), and Content-Language. Every string interpolated into a page goes through
// HtmlEscape.
//
// Handlers are thread-safe given thread-safe dependencies.
#ifndef VIGIL_API_WEB_PAGES_H_
#define VIGIL_API_WEB_PAGES_H_

#include <string>
#include <string_view>

#include "vigil/api/protection_requests.h"
#include "vigil/api/registration_routes.h"
#include "vigil/api/search_routes.h"
#include "vigil/core/markup.h"
#include "vigil/http/router.h"

namespace vigil::api {

// HtmlEscape (core/markup.h) escapes everything these pages interpolate.
using vigil::HtmlEscape;

// The registration pages, in every language, when AddWebPages is given them:
//   GET  /register?ref=R       the form: email or text message, the address or
//                              number, the language of the messages
//   POST /register             (form) queued as POST /api/v1/registrations is; the
//                              answer ("check your messages") is the same for every ref
//   GET  /verify?token=T       a one-button page (mail scanners follow links;
//   POST /verify?token=T       people press buttons) that confirms
//   GET  /verify               the form for a texted code (number and code)
//   POST /verify               (form: contact, code) confirms a texted code
//   GET  /status               "Your registrations": a form for the reference and
//   POST /status               PIN shown when the registration was confirmed;
//   GET  /status?token=T       or straight from the link in each notice. The
//                              registration, its notices and their delivery,
//                              and the person only as the public may see them
//   POST /status/language?token=T  changes the language of the notices
//   GET  /unsubscribe?token=T  a one-button page
//   POST /unsubscribe?token=T  stops the notices; also RFC 8058 one-click
// Results pages then link each person to /register with their ref.
struct RegistrationPages {
  notify::Registrar* registrar = nullptr;
  notify::RegistrationIntake* intake = nullptr;
  const RegistrationLimits* limits = nullptr;  // may be null; shared with the JSON route
  RegistrationRouteOptions options;
  // The registrant's own page (/status): its reference and PIN, and the
  // token of the links in notices. Null: no status page.
  const notify::ContactVault* vault = nullptr;
  // Protection requests (api/protection_requests.h). Null: no /protect page.
  //   GET  /protect[?ref=R]   the form: the person (from a result, or by
  //                           A-number), a reason, details, a contact for the outcome
  //   POST /protect           queued for staff; the answer is the same for
  //                           every person named, found or not
  // Results pages then link each person to /protect with their ref.
  const ProtectionDesk* protection = nullptr;
};

// What the operator says on the safety parts of every page ([web] in
// vigil.toml): where "Leave this site" goes, and the hotlines the "Browse
// more safely" page and the safety notice name.
struct SafetyText {
  std::string exit_url = "https://www.weather.gov/";
  std::string dv_hotline = "1-800-799-7233";
  std::string trafficking_hotline = "1-888-373-7888";
};

// Adds GET /, GET /search, GET /safety and GET /quick-exit.js, the
// registration pages when `registration` is given, and HTML 404 and 500
// pages for browsers (router.SetErrorPage). Everything must outlive the
// router.
void AddWebPages(http::Router& router, SearchDependencies deps,
                 const RegistrationPages* registration = nullptr, const SafetyText& safety = {});

}  // namespace vigil::api

#endif  // VIGIL_API_WEB_PAGES_H_
