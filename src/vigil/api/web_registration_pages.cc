// The registration pages: register, verify with a code, unsubscribe.
#include <algorithm>

#include "vigil/api/web_page_kit.h"
#include "vigil/core/identifiers.h"
#include "vigil/http/form.h"
#include "vigil/i18n/catalogue.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/notify/phone.h"

namespace vigil::api::web {

namespace {

// Only tokens and refs of the shape we issue are echoed into a page.
bool PlainToken(std::string_view t) {
  if (t.empty() || t.size() > 80) return false;
  for (char c : t) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

std::string Param(const std::map<std::string, std::string>& params, const char* key) {
  auto it = params.find(key);
  return it == params.end() ? "" : it->second;
}

// A page of paragraphs (already markup) and a way back to the search.
std::string SimplePage(const PageRequest& r, std::string_view title, const std::string& html) {
  return Document(r, title, title,
                  html + "<p><a href=\"/?lang=" + std::string(Code(r.lang)) + "\">" +
                      E(Str(r.lang, Msg::kBackToSearch)) + "</a></p>\n");
}

std::string Paragraph(Lang lang, Msg msg) { return "<p>" + E(Str(lang, msg)) + "</p>\n"; }

// A form of one button that posts to `action` (mail scanners follow links;
// people press buttons).
std::string ButtonForm(const std::string& action, std::string_view label) {
  return "<form method=\"post\" action=\"" + E(action) + "\">\n<button type=\"submit\">" +
         E(label) + "</button>\n</form>\n";
}

struct RegisterForm {
  std::string ref, channel = "email", contact, language, pin;
  std::string bad_field;  // "contact" or "pin"
  std::string message;    // what is wrong with it, in the page language
};

std::string Radio(const std::string& name, const std::string& value, const std::string& checked,
                  std::string_view label, std::string_view label_lang = {}) {
  std::string id = name + "-" + value;
  std::string html = "<div class=\"choice\"><input type=\"radio\" id=\"" + id + "\" name=\"" +
                     name + "\" value=\"" + value + "\"" + (value == checked ? " checked" : "") +
                     "><label for=\"" + id + "\"";
  if (!label_lang.empty()) html += " lang=\"" + std::string(label_lang) + "\"";
  return html + ">" + E(label) + "</label></div>\n";
}

std::string RegisterPage(const WebContext& web, const PageRequest& r, const RegisterForm& f) {
  const Lang lang = r.lang;
  const bool sms = web.registration->options.sms;
  const bool voice = web.registration->options.voice;
  std::string c;
  const bool failed = !f.message.empty();
  if (failed) {
    c += "<div class=\"summary\">\n<h2>" + E(Str(lang, Msg::kErrorSummary)) +
         "</h2>\n<p><a href=\"#" + f.bad_field + "\">" + E(f.message) + "</a></p>\n</div>\n";
  }
  c += Paragraph(lang, Msg::kRegisterIntro);
  c += "<form class=\"search\" method=\"post\" action=\"/register\">\n";
  c += "<input type=\"hidden\" name=\"ref\" value=\"" + E(f.ref) + "\">\n";
  c += "<input type=\"hidden\" name=\"lang\" value=\"" + std::string(Code(lang)) + "\">\n";
  if (sms || voice) {
    c += "<fieldset>\n<legend>" + E(Str(lang, Msg::kHowLegend)) + "</legend>\n";
    c += Radio("channel", "email", f.channel, Str(lang, Msg::kByEmail));
    if (sms) c += Radio("channel", "sms", f.channel, Str(lang, Msg::kByText));
    if (voice) c += Radio("channel", "voice", f.channel, Str(lang, Msg::kByCall));
    c += "</fieldset>\n";
  } else {
    c += "<input type=\"hidden\" name=\"channel\" value=\"email\">\n";
  }
  // A text field with its label, hint and, when it is the one at fault, the message.
  auto field = [&](const std::string& id, Msg label, std::optional<Msg> hint,
                   const std::string& value, const std::string& extra) {
    c += "<div class=\"field\">\n<label for=\"" + id + "\">" + E(Str(lang, label)) + "</label>\n";
    std::string described;
    if (hint) {
      c += "<span class=\"hint\" id=\"" + id + "-hint\">" + E(Str(lang, *hint)) + "</span>\n";
      described = id + "-hint";
    }
    const bool bad = failed && f.bad_field == id;
    if (bad) {
      c += "<p class=\"error\" id=\"" + id + "-error\" role=\"alert\">" + E(f.message) + "</p>\n";
      described += (described.empty() ? "" : " ") + id + "-error";
    }
    c += "<input type=\"text\" id=\"" + id + "\" name=\"" + id + "\" " + extra + " value=\"" +
         E(value) + "\"";
    if (!described.empty()) c += " aria-describedby=\"" + described + "\"";
    if (bad) c += " aria-invalid=\"true\"";
    c += ">\n</div>\n";
  };
  field("contact",
        voice ? Msg::kContactOrPhone
        : sms ? Msg::kContact
              : Msg::kByEmail,
        sms || voice ? std::optional<Msg>(Msg::kContactHint) : std::nullopt, f.contact,
        "required maxlength=\"254\" autocomplete=\"email\" spellcheck=\"false\"");
  if (voice) {
    field("pin", Msg::kPin, Msg::kPinHint, "",
          "class=\"year\" maxlength=\"4\" inputmode=\"numeric\" autocomplete=\"off\"");
  }
  c += "<fieldset>\n<legend>" + E(Str(lang, Msg::kMessageLanguage)) + "</legend>\n";
  std::string language = f.language.empty() ? std::string(Code(lang)) : f.language;
  for (Lang each : Lang::All()) {
    c += Radio("language", std::string(each.code()), language, Endonym(each), each.code());
  }
  c += "</fieldset>\n<button type=\"submit\">" + E(Str(lang, Msg::kRegisterButton)) +
       "</button>\n</form>\n";
  return Document(r, Str(lang, Msg::kRegisterTitle), Str(lang, Msg::kRegisterTitle), c);
}

std::string CodePage(const PageRequest& r, const std::string& contact, bool voice) {
  const Lang lang = r.lang;
  std::string c =
      "<form class=\"search\" method=\"post\" action=\"/verify?lang=" + std::string(Code(lang)) +
      "\">\n";
  c += "<div class=\"field\">\n<label for=\"contact\">" +
       E(Str(lang, voice ? Msg::kPhoneNumber : Msg::kMobileNumber)) +
       "</label>\n<input type=\"tel\" id=\"contact\" name=\"contact\" required maxlength=\"40\" "
       "autocomplete=\"tel\" value=\"" +
       E(contact) + "\">\n</div>\n";
  c += "<div class=\"field\">\n<label for=\"code\">" + E(Str(lang, Msg::kCode)) +
       "</label>\n<input type=\"text\" id=\"code\" name=\"code\" required maxlength=\"6\" "
       "class=\"year\" inputmode=\"numeric\" autocomplete=\"one-time-code\">\n</div>\n";
  c += "<button type=\"submit\">" + E(Str(lang, Msg::kVerifyButton)) + "</button>\n</form>\n";
  return SimplePage(r, Str(lang, Msg::kVerifyTitle), c);
}

PageRequest ReadPage(const WebContext& web, const http::Request& req, std::string path) {
  Result<std::map<std::string, std::string>> parsed = std::map<std::string, std::string>{};
  PageRequest r = ReadRequest(web, req, std::move(path), &parsed);
  // Only what the pages put in their own links is kept for the language switch.
  std::map<std::string, std::string> keep;
  for (const char* key : {"ref", "token"}) {
    auto it = r.query.find(key);
    if (it != r.query.end() && PlainToken(it->second)) keep[key] = it->second;
  }
  r.query = std::move(keep);
  return r;
}

// The language of a form post: its lang field, else the request's.
Lang FormLang(const http::Request& req, const std::map<std::string, std::string>& form,
              Lang fallback) {
  std::string lang = Param(form, "lang");
  (void)req;
  for (Lang each : Lang::All()) {
    if (each.code() == lang) return each;
  }
  return fallback;
}

http::Response NotValid(const http::Request& req, const PageRequest& r, Msg text) {
  return Page(req, bhttp::status::bad_request, r.lang,
              SimplePage(r, Str(r.lang, Msg::kNotValidTitle), Paragraph(r.lang, text)));
}

http::Response Unavailable(const http::Request& req, const PageRequest& r, bhttp::status status) {
  return Page(
      req, status, r.lang,
      SimplePage(r, Str(r.lang, Msg::kUnavailableTitle), Paragraph(r.lang, Msg::kUnavailableText)));
}

}  // namespace

http::Response HandleRegisterForm(const WebContext& web, const http::Request& req) {
  PageRequest r = ReadPage(web, req, "/register");
  RegisterForm f;
  f.ref = Param(r.query, "ref");
  if (f.ref.empty()) return NotValid(req, r, Msg::kErrLink);
  return Page(req, bhttp::status::ok, r.lang, RegisterPage(web, r, f));
}

http::Response HandleRegisterPost(const WebContext& web, const http::Request& req,
                                  http::RequestContext& ctx) {
  const RegistrationPages& reg = *web.registration;
  PageRequest r = ReadPage(web, req, "/register");
  auto form = http::ParseQueryString(req.body());
  std::map<std::string, std::string> fields = form ? *form : std::map<std::string, std::string>{};
  r.lang = FormLang(req, fields, r.lang);
  const Lang lang = r.lang;
  RegisterForm f;
  f.ref = Param(fields, "ref");
  if (!form || !PlainToken(f.ref) || f.ref.size() > 64) return NotValid(req, r, Msg::kErrLink);
  r.query["ref"] = f.ref;  // the language switch goes back to this form
  f.channel = Param(fields, "channel");
  f.contact = Param(fields, "contact");
  f.language = Param(fields, "language");
  if (!Lang::Find(f.language) || Lang::Find(f.language)->code() != f.language) {
    f.language = std::string(Code(lang));
  }
  notify::RegistrationRequest request;
  request.ref = f.ref;
  request.language = f.language;
  Result<std::string> contact = std::string();
  if (f.channel == "sms" && reg.options.sms) {
    request.channel = DeliveryChannel::kSms;
    contact = notify::NormalizePhone(f.contact, reg.options.default_region, notify::PhoneUse::kSms);
  } else if (f.channel == "voice" && reg.options.voice) {
    request.channel = DeliveryChannel::kVoice;
    contact =
        notify::NormalizePhone(f.contact, reg.options.default_region, notify::PhoneUse::kVoice);
    request.pin = Param(fields, "pin");
  } else {
    f.channel = "email";
    contact = notify::NormalizeEmail(f.contact);
  }
  if (!contact) {
    f.bad_field = "contact";
    f.message = std::string(
        Str(lang, request.channel == DeliveryChannel::kEmail ? Msg::kErrEmail : Msg::kErrPhone));
    return Page(req, bhttp::status::bad_request, lang, RegisterPage(web, r, f));
  }
  if (request.channel == DeliveryChannel::kVoice && !IsPin(request.pin)) {
    f.bad_field = "pin";
    f.message = std::string(Str(lang, Msg::kErrPin));
    return Page(req, bhttp::status::bad_request, lang, RegisterPage(web, r, f));
  }
  request.contact = std::move(*contact);
  std::chrono::seconds retry{0};
  RegistrationLimit hit =
      TakeRegistrationTokens(reg.limits, ctx.client_address, request.contact, request.ref, &retry);
  if (hit != RegistrationLimit::kNone) {
    Msg why = hit == RegistrationLimit::kAddress   ? Msg::kTooManyRegistrations
              : hit == RegistrationLimit::kContact ? Msg::kTooManyForContact
                                                   : Msg::kTooManyForPerson;
    std::string text = i18n::FillTemplate(Str(lang, why), {{"wait", WaitInWords(lang, retry)}});
    auto res = Page(req, bhttp::status::too_many_requests, lang,
                    SimplePage(r, Str(lang, Msg::kRegisterTitle), "<p>" + E(text) + "</p>\n"));
    res.set(bhttp::field::retry_after, std::to_string(retry.count()));
    return res;
  }
  if (!reg.intake->Submit(std::move(request))) {
    return Unavailable(req, r, bhttp::status::service_unavailable);
  }
  // Each channel's own words: a link by email, a code by text or by call.
  const DeliveryChannel channel = request.channel;
  std::string c = Paragraph(lang, channel == DeliveryChannel::kVoice ? Msg::kSentTextCall
                                  : channel == DeliveryChannel::kSms ? Msg::kSentTextSms
                                                                     : Msg::kSentTextEmail);
  if (channel != DeliveryChannel::kEmail) {
    c += "<p><a href=\"/verify?lang=" + std::string(Code(lang)) + "\">" +
         E(Str(lang, channel == DeliveryChannel::kVoice ? Msg::kEnterCodeCall : Msg::kEnterCode)) +
         "</a></p>\n";
  }
  r.query.clear();
  return Page(req, bhttp::status::ok, lang, SimplePage(r, Str(lang, Msg::kSentTitle), c));
}

http::Response HandleVerifyPage(const WebContext& web, const http::Request& req) {
  PageRequest r = ReadPage(web, req, "/verify");
  std::string token = Param(r.query, "token");
  if (token.empty()) {
    Result<std::map<std::string, std::string>> raw = std::map<std::string, std::string>{};
    ReadRequest(web, req, "/verify", &raw);
    if (raw && raw->count("token")) return NotValid(req, r, Msg::kErrLink);
    const auto& options = web.registration->options;
    if (!options.sms && !options.voice) return NotValid(req, r, Msg::kErrLink);
    return Page(req, bhttp::status::ok, r.lang, CodePage(r, "", options.voice));
  }
  std::string c = Paragraph(r.lang, Msg::kVerifyText);
  c += ButtonForm("/verify?token=" + token + "&lang=" + std::string(Code(r.lang)),
                  Str(r.lang, Msg::kVerifyButton));
  return Page(req, bhttp::status::ok, r.lang, SimplePage(r, Str(r.lang, Msg::kVerifyTitle), c));
}

http::Response HandleVerifyPost(const WebContext& web, const http::Request& req) {
  const RegistrationPages& reg = *web.registration;
  PageRequest r = ReadPage(web, req, "/verify");
  std::string token = Param(r.query, "token");
  Result<int64_t> done;
  if (!token.empty()) {
    done = reg.registrar->Verify(token);
  } else {
    auto form = http::ParseQueryString(req.body());
    if (!form || (!reg.options.sms && !reg.options.voice)) {
      return NotValid(req, r, Msg::kNotValidText);
    }
    r.lang = FormLang(req, *form, r.lang);
    auto number = notify::NormalizePhone(Param(*form, "contact"), reg.options.default_region,
                                         notify::PhoneUse::kVoice);
    if (!number) return NotValid(req, r, Msg::kErrPhone);
    // The code came by text or by call; the form does not ask which.
    done = reg.registrar->VerifyCode(DeliveryChannel::kSms, *number, Param(*form, "code"));
    if (!done && done.error().code() == ErrorCode::kInvalidArgument && reg.options.voice) {
      done = reg.registrar->VerifyCode(DeliveryChannel::kVoice, *number, Param(*form, "code"));
    }
  }
  r.query.clear();  // a used token is of no use to the language switch
  if (!done) {
    if (done.error().code() == ErrorCode::kInvalidArgument) {
      return NotValid(req, r, Msg::kNotValidText);
    }
    return Unavailable(req, r, bhttp::status::service_unavailable);
  }
  std::string c = Paragraph(r.lang, Msg::kVerifiedText);
  if (reg.vault) {
    // The way back to it: a reference and a PIN, shown once, here.
    std::string keep = E(Str(r.lang, Msg::kVerifiedKeep));
    auto put = [&keep](const char* key, const std::string& value) {
      std::string placeholder = std::string("{") + key + "}";
      size_t at = keep.find(placeholder);
      if (at != std::string::npos) {
        keep.replace(at, placeholder.size(), "<strong>" + E(value) + "</strong>");
      }
    };
    put("reference", notify::ContactVault::StatusReference(*done));
    put("pin", reg.vault->StatusPin(*done));
    c += "<p>" + keep + "</p>\n<p><a href=\"/status?lang=" + std::string(Code(r.lang)) + "\">" +
         E(Str(r.lang, Msg::kStatusLink)) + "</a></p>\n";
  }
  return Page(req, bhttp::status::ok, r.lang, SimplePage(r, Str(r.lang, Msg::kVerifiedTitle), c));
}

http::Response HandleUnsubscribePage(const WebContext& web, const http::Request& req) {
  PageRequest r = ReadPage(web, req, "/unsubscribe");
  std::string token = Param(r.query, "token");
  if (token.empty()) return NotValid(req, r, Msg::kErrLink);
  std::string c = Paragraph(r.lang, Msg::kStopText);
  c += ButtonForm("/unsubscribe?token=" + token + "&lang=" + std::string(Code(r.lang)),
                  Str(r.lang, Msg::kStopTitle));
  return Page(req, bhttp::status::ok, r.lang, SimplePage(r, Str(r.lang, Msg::kStopTitle), c));
}

http::Response HandleUnsubscribePost(const WebContext& web, const http::Request& req) {
  PageRequest r = ReadPage(web, req, "/unsubscribe");
  std::string token = Param(r.query, "token");
  r.query.clear();
  auto done = web.registration->registrar->Unsubscribe(token);
  if (!done) {
    if (done.error().code() == ErrorCode::kInvalidArgument) {
      return NotValid(req, r, Msg::kNotValidText);
    }
    return Unavailable(req, r, bhttp::status::service_unavailable);
  }
  return Page(req, bhttp::status::ok, r.lang,
              SimplePage(r, Str(r.lang, Msg::kStoppedTitle), Paragraph(r.lang, Msg::kStoppedText)));
}

namespace {

// "a•••@example.org", "•••0143": enough for the registrant to know which.
std::string MaskedContact(DeliveryChannel channel, const std::string& contact) {
  if (channel == DeliveryChannel::kEmail) {
    size_t at = contact.find('@');
    if (at == std::string::npos || at == 0) return "•••";
    return contact.substr(0, 1) + "•••" + contact.substr(at);
  }
  return contact.size() > 4 ? "•••" + contact.substr(contact.size() - 4) : "•••";
}

const char* DeliveryKey(NotificationState state) {
  switch (state) {
    case NotificationState::kCreated:
    case NotificationState::kSending:
      return "page.delivery.queued";
    case NotificationState::kSent:
      return "page.delivery.sent";
    case NotificationState::kDelivered:
    case NotificationState::kAcknowledged:
      return "page.delivery.delivered";
    case NotificationState::kTemporaryFailure:
      return "page.delivery.retrying";
    default:
      return "page.delivery.failed";
  }
}

// The registrant's page for registration `id`: what they asked for, the
// notices sent and how each went, the person only as the public may see
// them (nothing at all about one the gate withholds now), a language
// change and the way to stop. `token` authenticates the forms on it.
http::Response StatusPage(const WebContext& web, const http::Request& req, PageRequest& r,
                          int64_t id, const std::string& note) {
  const RegistrationPages& reg = *web.registration;
  const Lang lang = r.lang;
  const i18n::Catalogue& words = i18n::BuiltInCatalogue(lang.code());
  auto reader = web.deps.store->BeginRead();
  if (!reader) return Unavailable(req, r, bhttp::status::service_unavailable);
  auto found = (*reader)->registrations().GetRegistration(id);
  if (!found) return Unavailable(req, r, bhttp::status::service_unavailable);
  if (!*found) return NotValid(req, r, Msg::kStatusWrong);
  const Registration& registration = **found;
  auto person = web.deps.policy->Disclose(**reader, registration.subject_id,
                                          policy::Audience::kPublic, nullptr);
  std::string token = reg.vault->UnsubscribeToken(id);
  std::string c;
  if (!note.empty()) c += "<p role=\"status\"><strong>" + E(note) + "</strong></p>\n";
  c += "<h2>" +
       (person ? Fill(Str(lang, Msg::kStatusAbout), "name", E(person->name()))
               : E(Str(lang, Msg::kStatusPersonGone))) +
       "</h2>\n<dl>\n";
  auto row = [&c](std::string_view term, const std::string& html) {
    c += "<dt>" + E(term) + "</dt><dd>" + html + "</dd>\n";
  };
  row(Str(lang, Msg::kReference), E(notify::ContactVault::StatusReference(id)));
  auto contact = reg.vault->Open(registration.contact_sealed);
  if (contact) row(Str(lang, Msg::kStatusSentTo), E(MaskedContact(registration.channel, *contact)));
  const char* state = registration.state == RegistrationState::kActive    ? "active"
                      : registration.state == RegistrationState::kPending ? "pending"
                                                                          : "stopped";
  row(Str(lang, Msg::kStatusState), E(words.Get(std::string("page.reg_state.") + state)));
  row(Str(lang, Msg::kChangeLanguage),
      E(Endonym(Lang::Find(registration.language).value_or(Lang::kEn))));
  c += "</dl>\n<h2>" + E(Str(lang, Msg::kNoticesHeading)) + "</h2>\n";
  std::string rows;
  if (person) {
    auto notices = (*reader)->outbox().NotificationsOfRegistration(id);
    if (!notices) return Unavailable(req, r, bhttp::status::service_unavailable);
    std::string zone = person->facility() ? person->facility()->time_zone() : "";
    for (const Notification& n : *notices) {
      // Custody notices only; nothing withheld or cancelled is listed.
      if (!n.event_pk || n.state == NotificationState::kSuppressed ||
          n.state == NotificationState::kCancelled) {
        continue;
      }
      const std::string* what = words.Find("headline." + n.kind);
      rows += "<tr><td>" + E(FormatDateTime(lang, n.created_at, zone)) + "</td><td>" +
              E(what ? *what : words.Get("headline.updated")) + "</td><td>" +
              E(words.Get(DeliveryKey(n.state))) + "</td></tr>\n";
    }
  }
  if (rows.empty()) {
    c += Paragraph(lang, Msg::kNoNotices);
  } else {
    c += "<table>\n<thead><tr><th scope=\"col\">" + E(Str(lang, Msg::kNoticeWhen)) +
         "</th><th scope=\"col\">" + E(Str(lang, Msg::kNoticeWhat)) + "</th><th scope=\"col\">" +
         E(Str(lang, Msg::kNoticeDelivery)) + "</th></tr></thead>\n<tbody>\n" + rows +
         "</tbody>\n</table>\n";
  }
  if (registration.state == RegistrationState::kActive ||
      registration.state == RegistrationState::kPending) {
    c += "<h2>" + E(Str(lang, Msg::kChangeLanguage)) + "</h2>\n<form method=\"post\" action=\"" +
         E("/status/language?token=" + token + "&lang=" + std::string(Code(lang))) +
         "\">\n<fieldset>\n<legend>" + E(Str(lang, Msg::kChangeLanguage)) + "</legend>\n";
    for (Lang each : Lang::All()) {
      c += Radio("language", std::string(each.code()), registration.language, Endonym(each),
                 each.code());
    }
    c += "</fieldset>\n<button type=\"submit\">" + E(Str(lang, Msg::kChangeLanguageButton)) +
         "</button>\n</form>\n";
    c += "<h2>" + E(Str(lang, Msg::kStopThis)) + "</h2>\n";
    c += ButtonForm("/unsubscribe?token=" + token + "&lang=" + std::string(Code(lang)),
                    Str(lang, Msg::kStopThis));
  }
  r.query.clear();  // the language links lead to the form, not to the token
  return Page(req, bhttp::status::ok, lang, SimplePage(r, Str(lang, Msg::kStatusTitle), c));
}

std::string StatusForm(const PageRequest& r, bool wrong, const std::string& reference) {
  const Lang lang = r.lang;
  std::string c;
  if (wrong) {
    c += "<div class=\"summary\" role=\"alert\"><p>" + E(Str(lang, Msg::kStatusWrong)) +
         "</p></div>\n";
  }
  c += Paragraph(lang, Msg::kStatusIntro);
  c +=
      "<form class=\"search\" method=\"post\" action=\"/status?lang=" + std::string(Code(lang)) +
      "\">\n<div class=\"field\">\n<label for=\"reference\">" + E(Str(lang, Msg::kReference)) +
      "</label>\n<span class=\"hint\" id=\"reference-hint\">" + E(Str(lang, Msg::kReferenceHint)) +
      "</span>\n<input type=\"text\" id=\"reference\" name=\"reference\" required maxlength=\"24\" "
      "autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"reference-hint\" value=\"" +
      E(reference) + "\"" + (wrong ? " aria-invalid=\"true\"" : "") +
      ">\n</div>\n<div class=\"field\">\n<label for=\"pin\">" + E(Str(lang, Msg::kStatusPin)) +
      "</label>\n<span class=\"hint\" id=\"pin-hint\">" + E(Str(lang, Msg::kStatusPinHint)) +
      "</span>\n<input type=\"text\" id=\"pin\" name=\"pin\" class=\"year\" required "
      "maxlength=\"6\" inputmode=\"numeric\" autocomplete=\"off\" aria-describedby=\"pin-hint\"" +
      (wrong ? " aria-invalid=\"true\"" : "") + ">\n</div>\n<button type=\"submit\">" +
      E(Str(lang, Msg::kStatusButton)) + "</button>\n</form>\n";
  return SimplePage(r, Str(lang, Msg::kStatusTitle), c);
}

}  // namespace

http::Response HandleStatusPage(const WebContext& web, const http::Request& req) {
  PageRequest r = ReadPage(web, req, "/status");
  std::string token = Param(r.query, "token");
  if (token.empty()) return Page(req, bhttp::status::ok, r.lang, StatusForm(r, false, ""));
  auto id = web.registration->vault->CheckUnsubscribeToken(token);
  if (!id) return NotValid(req, r, Msg::kErrLink);
  return StatusPage(web, req, r, *id, "");
}

http::Response HandleStatusPost(const WebContext& web, const http::Request& req,
                                http::RequestContext& ctx) {
  PageRequest r = ReadPage(web, req, "/status");
  auto form = http::ParseQueryString(req.body());
  std::map<std::string, std::string> fields = form ? *form : std::map<std::string, std::string>{};
  r.lang = FormLang(req, fields, r.lang);
  r.query.clear();
  std::string reference = Param(fields, "reference").substr(0, 24);
  // Five tries an hour for a reference, and for an address: a 6-digit PIN
  // is not guessed.
  std::chrono::seconds retry{0};
  // Counted per registration, however the reference is written.
  std::optional<int64_t> named = notify::ContactVault::ParseStatusReference(reference);
  std::string key = named ? std::to_string(*named) : "malformed";
  if (!web.status_tries->Allow("ref:" + key, &retry) ||
      !web.status_tries->Allow("addr:" + ctx.client_address, &retry)) {
    std::string text = i18n::FillTemplate(Str(r.lang, Msg::kStatusTooMany),
                                          {{"wait", WaitInWords(r.lang, retry)}});
    auto res = Page(req, bhttp::status::too_many_requests, r.lang,
                    SimplePage(r, Str(r.lang, Msg::kStatusTitle), "<p>" + E(text) + "</p>\n"));
    res.set(bhttp::field::retry_after, std::to_string(retry.count()));
    return res;
  }
  auto id = web.registration->vault->CheckStatusPin(reference, Param(fields, "pin"));
  if (!id) return Page(req, bhttp::status::bad_request, r.lang, StatusForm(r, true, reference));
  return StatusPage(web, req, r, *id, "");
}

http::Response HandleStatusLanguage(const WebContext& web, const http::Request& req) {
  PageRequest r = ReadPage(web, req, "/status");
  std::string token = Param(r.query, "token");
  auto id = web.registration->vault->CheckUnsubscribeToken(token);
  if (!id) return NotValid(req, r, Msg::kErrLink);
  auto form = http::ParseQueryString(req.body());
  std::string language = form ? Param(*form, "language") : "";
  std::optional<Lang> chosen = Lang::Find(language);
  if (!chosen || chosen->code() != language) return NotValid(req, r, Msg::kErrLink);
  auto txn = web.deps.store->BeginWrite();
  if (!txn) return Unavailable(req, r, bhttp::status::service_unavailable);
  auto found = (*txn)->registrations().GetRegistration(*id);
  if (!found || !*found) return Unavailable(req, r, bhttp::status::service_unavailable);
  Registration changed = **found;
  changed.language = language;
  if (!(*txn)->registrations().UpdateRegistration(changed) || !(*txn)->Commit()) {
    return Unavailable(req, r, bhttp::status::service_unavailable);
  }
  std::string note = i18n::FillTemplate(Str(r.lang, Msg::kLanguageChanged),
                                        {{"language", std::string(Endonym(*chosen))}});
  return StatusPage(web, req, r, *id, note);
}

namespace {

struct ProtectForm {
  std::string ref, a_number, reason, details, contact;
  std::string bad_field;  // "a_number", "reason" or "contact"
  std::string message;
};

std::string Hours(const WebContext& web) {
  return std::to_string(
      std::chrono::duration_cast<std::chrono::hours>(web.registration->protection->target).count());
}

std::string ProtectPage(const WebContext& web, const PageRequest& r, const ProtectForm& f) {
  const Lang lang = r.lang;
  const bool failed = !f.message.empty();
  std::string c;
  if (failed) {
    c += "<div class=\"summary\">\n<h2>" + E(Str(lang, Msg::kErrorSummary)) +
         "</h2>\n<p><a href=\"#" + f.bad_field + "\">" + E(f.message) + "</a></p>\n</div>\n";
  }
  c += "<p>" + E(i18n::FillTemplate(Str(lang, Msg::kProtectIntro), {{"hours", Hours(web)}})) +
       "</p>\n";
  c += "<form class=\"search\" method=\"post\" action=\"/protect\">\n";
  c += "<input type=\"hidden\" name=\"lang\" value=\"" + std::string(Code(lang)) + "\">\n";
  auto error = [&](const std::string& id, std::string* described) {
    if (!failed || f.bad_field != id) return std::string();
    *described += (described->empty() ? "" : " ") + id + "-error";
    return "<p class=\"error\" id=\"" + id + "-error\" role=\"alert\">" + E(f.message) + "</p>\n";
  };
  if (!f.ref.empty()) {
    c += "<input type=\"hidden\" name=\"ref\" value=\"" + E(f.ref) + "\">\n<h2>" +
         E(Str(lang, Msg::kProtectPerson)) + "</h2>\n<p>" + E(Str(lang, Msg::kProtectFromResult)) +
         "</p>\n";
  } else {
    std::string described = "a_number-hint";
    std::string err = error("a_number", &described);
    c += "<div class=\"field\">\n<label for=\"a_number\">" + E(Str(lang, Msg::kProtectIdentifier)) +
         "</label>\n<span class=\"hint\" id=\"a_number-hint\">" +
         E(Str(lang, Msg::kProtectIdentifierHint)) + "</span>\n" + err +
         "<input type=\"text\" id=\"a_number\" name=\"a_number\" required maxlength=\"20\" "
         "autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"" +
         described + "\"" + (err.empty() ? "" : " aria-invalid=\"true\"") + " value=\"" +
         E(f.a_number) + "\">\n</div>\n";
  }
  std::string described;
  std::string err = error("reason", &described);
  c += "<fieldset id=\"reason\"" +
       (described.empty() ? std::string() : " aria-describedby=\"" + described + "\"") +
       ">\n<legend>" + E(Str(lang, Msg::kProtectReason)) + "</legend>\n" + err;
  const std::pair<const char*, Msg> reasons[] = {{"vawa", Msg::kProtectReasonVawa},
                                                 {"asylum", Msg::kProtectReasonAsylum},
                                                 {"minor", Msg::kProtectReasonMinor},
                                                 {"safety", Msg::kProtectReasonSafety},
                                                 {"other", Msg::kProtectReasonOther}};
  for (const auto& [value, label] : reasons)
    c += Radio("reason", value, f.reason, Str(lang, label));
  c += "</fieldset>\n<div class=\"field\">\n<label for=\"details\">" +
       E(Str(lang, Msg::kProtectDetails)) +
       "</label>\n<textarea id=\"details\" name=\"details\" rows=\"3\" maxlength=\"1000\">" +
       E(f.details) + "</textarea>\n</div>\n";
  described = "contact-hint";
  err = error("contact", &described);
  c += "<div class=\"field\">\n<label for=\"contact\">" + E(Str(lang, Msg::kProtectContact)) +
       "</label>\n<span class=\"hint\" id=\"contact-hint\">" +
       E(Str(lang, Msg::kProtectContactHint)) + "</span>\n" + err +
       "<input type=\"text\" id=\"contact\" name=\"contact\" maxlength=\"254\" "
       "spellcheck=\"false\" aria-describedby=\"" +
       described + "\"" + (err.empty() ? "" : " aria-invalid=\"true\"") + " value=\"" +
       E(f.contact) + "\">\n</div>\n<button type=\"submit\">" + E(Str(lang, Msg::kProtectButton)) +
       "</button>\n</form>\n";
  return SimplePage(r, Str(lang, Msg::kProtectTitle), c);
}

}  // namespace

http::Response HandleProtectForm(const WebContext& web, const http::Request& req) {
  PageRequest r = ReadPage(web, req, "/protect");
  ProtectForm f;
  f.ref = Param(r.query, "ref");
  if (!f.ref.empty() && f.ref.size() != policy::RefCodec::kRefChars) f.ref.clear();
  return Page(req, bhttp::status::ok, r.lang, ProtectPage(web, r, f));
}

http::Response HandleProtectPost(const WebContext& web, const http::Request& req,
                                 http::RequestContext& ctx) {
  const ProtectionDesk& desk = *web.registration->protection;
  PageRequest r = ReadPage(web, req, "/protect");
  auto form = http::ParseQueryString(req.body());
  std::map<std::string, std::string> fields = form ? *form : std::map<std::string, std::string>{};
  r.lang = FormLang(req, fields, r.lang);
  const Lang lang = r.lang;
  ProtectForm f;
  f.ref = Param(fields, "ref");
  f.a_number = Param(fields, "a_number");
  f.reason = Param(fields, "reason");
  f.details = Param(fields, "details");
  f.contact = Param(fields, "contact");
  if (!form ||
      (!f.ref.empty() && (!PlainToken(f.ref) || f.ref.size() != policy::RefCodec::kRefChars))) {
    return NotValid(req, r, Msg::kErrLink);
  }
  if (f.ref.empty() && !ANumber::ParseTyped(f.a_number)) {
    f.bad_field = "a_number";
    f.message = std::string(Str(lang, Msg::kErrProtectIdentifier));
  } else if (std::find(kRequestReasons.begin(), kRequestReasons.end(), f.reason) ==
             kRequestReasons.end()) {
    f.bad_field = "reason";
    f.message = std::string(Str(lang, Msg::kErrProtectReason));
  }
  std::string contact;
  if (f.message.empty() && !f.contact.empty()) {
    const bool email = f.contact.find('@') != std::string::npos;
    auto normal = email
                      ? notify::NormalizeEmail(f.contact)
                      : notify::NormalizePhone(f.contact, web.registration->options.default_region,
                                               notify::PhoneUse::kSms);
    if (normal) {
      contact = *normal;
    } else {
      f.bad_field = "contact";
      f.message = std::string(Str(lang, email ? Msg::kErrEmail : Msg::kErrPhone));
    }
  }
  if (!f.message.empty()) {
    return Page(req, bhttp::status::bad_request, lang, ProtectPage(web, r, f));
  }
  // One budget with registrations: a client that floods the queue is held
  // back like one that floods registrations.
  std::chrono::seconds retry{0};
  if (web.registration->limits && web.registration->limits->per_address &&
      !web.registration->limits->per_address->Allow(ctx.client_address, &retry)) {
    std::string text = i18n::FillTemplate(Str(lang, Msg::kTooManyRegistrations),
                                          {{"wait", WaitInWords(lang, retry)}});
    auto res = Page(req, bhttp::status::too_many_requests, lang,
                    SimplePage(r, Str(lang, Msg::kProtectTitle), "<p>" + E(text) + "</p>\n"));
    res.set(bhttp::field::retry_after, std::to_string(retry.count()));
    return res;
  }
  NewProtectionRequest in;
  in.identifier = f.ref.empty() ? f.a_number : f.ref;
  in.reason = f.reason;
  in.details = f.details;
  in.contact = contact;
  in.requested_by = "public";
  in.language = std::string(Code(lang));
  auto id = SubmitProtectionRequest(desk, in);
  if (!id) {
    if (id.error().code() == ErrorCode::kInvalidArgument) {
      f.bad_field = "details";
      f.message = id.error().message();
      return Page(req, bhttp::status::bad_request, lang, ProtectPage(web, r, f));
    }
    return Unavailable(req, r, bhttp::status::service_unavailable);
  }
  // The same page whoever the request names, found or not (§2.3).
  r.query.clear();
  return Page(req, bhttp::status::ok, lang,
              SimplePage(r, Str(lang, Msg::kProtectSentTitle),
                         "<p role=\"status\">" +
                             E(i18n::FillTemplate(Str(lang, Msg::kProtectSentText),
                                                  {{"hours", Hours(web)}})) +
                             "</p>\n"));
}

}  // namespace vigil::api::web
