// The public web pages (DESIGN.md §7): server-rendered HTML, usable without
// JavaScript, in English and Spanish, meant to meet WCAG 2.1 AA.
//
//   GET /        the search page: search by name, or by A-number
//   GET /search  the results page; takes the parameters of GET /api/v1/search
//                plus lang=en|es, and answers through RunPublicSearch, so the
//                pages and the JSON API cannot disagree about who may be shown
//
// The language is ?lang= when given, else Accept-Language, else English;
// every page has a visible link to the other language that keeps the query.
// A search that finds no one and a search whose match was withheld render
// the same page byte for byte (§2.3). Bad input re-renders the search form
// with a message (400); a client over its rate gets a 429 page with
// Retry-After, sharing the JSON API's per-client budget when both are given
// the same RateLimiter.
//
// Every page is self-contained (inline CSS, no scripts, no external
// resources) and is sent with a Content-Security-Policy that forbids
// anything else, Referrer-Policy: no-referrer (search URLs carry names), and
// Content-Language. Every string interpolated into a page goes through
// HtmlEscape.
//
// Handlers are thread-safe given thread-safe dependencies.
#ifndef VIGIL_API_WEB_PAGES_H_
#define VIGIL_API_WEB_PAGES_H_

#include <string>
#include <string_view>

#include "vigil/api/registration_routes.h"
#include "vigil/api/search_routes.h"
#include "vigil/core/markup.h"
#include "vigil/http/router.h"

namespace vigil::api {

// HtmlEscape (core/markup.h) escapes everything these pages interpolate.
using vigil::HtmlEscape;

// The registration pages, in both languages, when AddWebPages is given them:
//   GET  /register?ref=R       the form: email or text message, the address or
//                              number, the language of the messages
//   POST /register             (form) queued as POST /api/v1/registrations is; the
//                              answer ("check your messages") is the same for every ref
//   GET  /verify?token=T       a one-button page (mail scanners follow links;
//   POST /verify?token=T       people press buttons) that confirms
//   GET  /verify               the form for a texted code (number and code)
//   POST /verify               (form: contact, code) confirms a texted code
//   GET  /unsubscribe?token=T  a one-button page
//   POST /unsubscribe?token=T  stops the notices; also RFC 8058 one-click
// Results pages then link each person to /register with their ref.
struct RegistrationPages {
  notify::Registrar* registrar = nullptr;
  notify::RegistrationIntake* intake = nullptr;
  http::RateLimiter* limiter = nullptr;  // may be null; shared with the JSON route
  RegistrationRouteOptions options;
};

// Adds GET / and GET /search, and the registration pages when
// `registration` is given. Everything must outlive the router.
void AddWebPages(http::Router& router, SearchDependencies deps,
                 const RegistrationPages* registration = nullptr);

}  // namespace vigil::api

#endif  // VIGIL_API_WEB_PAGES_H_
