// What every Twilio-compatible webhook shares (voice_routes, hotline_routes):
// checking that the provider signed a request, and answering in TwiML.
#ifndef VIGIL_API_TWIML_H_
#define VIGIL_API_TWIML_H_

#include <map>
#include <string>
#include <string_view>

#include "vigil/http/router.h"

namespace vigil::api {

// Whether `req` carries the X-Twilio-Signature the provider makes with
// `auth_token` over public_url + the request's path and query and its form
// fields. False when either the token or the signature is missing.
bool SignedByProvider(const http::Request& req, std::string_view auth_token,
                      std::string_view public_url, const std::map<std::string, std::string>& form);

// A TwiML document of `verbs` (already XML), as text/xml, never cached.
http::Response TwimlResponse(const http::Request& req, const std::string& verbs);

}  // namespace vigil::api

#endif  // VIGIL_API_TWIML_H_
