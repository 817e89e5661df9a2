#include "vigil/api/staff_console.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>

#include "vigil/api/web_i18n.h"
#include "vigil/core/hex.h"
#include "vigil/core/markup.h"
#include "vigil/core/time_format.h"
#include "vigil/http/form.h"
#include "vigil/report/assemble.h"

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;
using staff::Role;
using staff::Session;

constexpr char kCookie[] = "vigil_staff";
constexpr char kCsp[] =
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'";

// The console's words, English and Spanish. The public pages' catalogue
// (i18n/) is for the public; these are for staff, in two languages.
struct Words {
  const char* en;
  const char* es;
};
const std::map<std::string_view, Words>& Dictionary() {
  static const std::map<std::string_view, Words> kWords = {
      {"console", {"vigil staff console", "Consola del personal de vigil"}},
      {"skip", {"Skip to main content", "Saltar al contenido principal"}},
      {"sign_in", {"Sign in", "Iniciar sesión"}},
      {"sign_out", {"Sign out", "Cerrar sesión"}},
      {"account", {"Account name", "Nombre de cuenta"}},
      {"password", {"Password", "Contraseña"}},
      {"code",
       {"6-digit code from your authenticator app",
        "Código de 6 dígitos de su aplicación de autenticación"}},
      {"bad_login",
       {"The name, password or code is not right, or the account is locked. After 5 tries in a row "
        "the account is locked for 15 minutes.",
        "El nombre, la contraseña o el código no son correctos, o la cuenta está bloqueada. "
        "Después de 5 intentos seguidos, la cuenta se bloquea durante 15 minutos."}},
      {"home", {"Home", "Inicio"}},
      {"override", {"State the custody status by hand", "Indicar a mano la situación de custodia"}},
      {"override_hint",
       {"Recorded as an event of the person's history, so it notifies registrants like any "
        "other. Use it when a feed is wrong or late.",
        "Se registra como un evento del historial de la persona, así que avisa a los inscritos "
        "como cualquier otro. Úselo cuando una fuente esté equivocada o atrasada."}},
      {"status.in_custody", {"In custody", "Bajo custodia"}},
      {"status.released", {"Released", "Liberado"}},
      {"status.removed", {"Removed from the country", "Expulsado del país"}},
      {"status.escaped", {"Escaped", "Fugado"}},
      {"status.deceased", {"Deceased", "Fallecido"}},
      {"effective_at",
       {"In effect since (UTC, like 2026-12-04T09:30:00Z)",
        "Vigente desde (UTC, como 2026-12-04T09:30:00Z)"}},
      {"facility_code",
       {"Facility code (only with In custody)", "Código del centro (solo con Bajo custodia)"}},
      {"record_override", {"Record the status", "Registrar la situación"}},
      {"conflict", {"This cannot be recorded: ", "No se puede registrar: "}},
      {"reports", {"Reports", "Informes"}},
      {"reports_hint",
       {"Counts of bookings, transfers, releases and removals over whole months or quarters "
        "that have ended. Small numbers are withheld, and protected people and minors are "
        "never counted.",
        "Recuentos de ingresos, traslados, liberaciones y expulsiones en meses o trimestres "
        "completos ya terminados. Los números pequeños se ocultan y las personas protegidas y "
        "los menores nunca se cuentan."}},
      {"report_from", {"From (YYYY-MM-DD)", "Desde (AAAA-MM-DD)"}},
      {"report_to", {"To (YYYY-MM-DD)", "Hasta (AAAA-MM-DD)"}},
      {"report_by", {"One row per", "Una fila por"}},
      {"by.month", {"month", "mes"}},
      {"by.quarter", {"quarter", "trimestre"}},
      {"report_format", {"Format", "Formato"}},
      {"format.html", {"Web page with a chart", "Página web con gráfico"}},
      {"format.csv", {"CSV for a spreadsheet", "CSV para una hoja de cálculo"}},
      {"make_report", {"Make the report", "Generar el informe"}},
      {"signed_in_as", {"Signed in as", "Sesión iniciada como"}},
      {"role", {"role", "función"}},
      {"queue", {"Protection requests", "Solicitudes de protección"}},
      {"waiting", {"waiting for a decision", "esperando una decisión"}},
      {"find", {"Find a person", "Buscar a una persona"}},
      {"find_hint",
       {"A-number (like A012345678) or the reference shown with a search result",
        "Número A (como A012345678) o la referencia que aparece con un resultado"}},
      {"find_button", {"Find", "Buscar"}},
      {"request_new", {"Ask for a person to be withheld", "Pedir que una persona no se muestre"}},
      {"alerts", {"Stalking alerts", "Alertas de acecho"}},
      {"voicemails", {"Hotline voicemails", "Mensajes de voz de la línea"}},
      {"audit", {"Audit log", "Registro de auditoría"}},
      {"no_requests", {"No requests are waiting.", "No hay solicitudes pendientes."}},
      {"request", {"Request", "Solicitud"}},
      {"identifier", {"A-number or reference", "Número A o referencia"}},
      {"reason", {"Reason", "Motivo"}},
      {"details", {"Details (optional)", "Detalles (opcional)"}},
      {"contact", {"Contact for the outcome (optional)", "Contacto para el resultado (opcional)"}},
      {"state", {"State", "Estado"}},
      {"requested_by", {"Requested by", "Pedida por"}},
      {"received", {"Received", "Recibida"}},
      {"due", {"Decision due", "Decisión antes de"}},
      {"overdue", {"overdue", "atrasada"}},
      {"open", {"Open", "Abrir"}},
      {"person", {"Person", "Persona"}},
      {"nobody",
       {"The identifier names nobody in the records.",
        "El identificador no corresponde a nadie en los registros."}},
      {"confirm", {"Confirm: withhold", "Confirmar: ocultar"}},
      {"reject", {"Reject: show again", "Rechazar: volver a mostrar"}},
      {"note", {"Note (optional)", "Nota (opcional)"}},
      {"decided", {"The request was decided.", "La solicitud fue decidida."}},
      {"submitted",
       {"The request was recorded. If it names someone in the records, they are withheld from the "
        "public now, until staff decide.",
        "La solicitud quedó registrada. Si corresponde a alguien en los registros, esa persona no "
        "se muestra al público desde ahora, hasta que el personal decida."}},
      {"submit", {"Send the request", "Enviar la solicitud"}},
      {"name", {"Name", "Nombre"}},
      {"birth_year", {"Year of birth", "Año de nacimiento"}},
      {"country", {"Country of birth", "País de nacimiento"}},
      {"status", {"Custody status", "Situación de custodia"}},
      {"basis", {"Custody basis", "Base de la custodia"}},
      {"facility", {"Facility id", "Id. del centro"}},
      {"protections", {"Protections", "Protecciones"}},
      {"public_view", {"What the public sees", "Lo que ve el público"}},
      {"shown", {"shown", "se muestra"}},
      {"withheld", {"withheld", "oculta"}},
      {"none", {"none", "ninguna"}},
      {"set_protections", {"Set protections", "Fijar protecciones"}},
      {"reason_required", {"Reason (required)", "Motivo (obligatorio)"}},
      {"save", {"Save", "Guardar"}},
      {"saved", {"Saved.", "Guardado."}},
      {"notices", {"Notifications about this person", "Avisos sobre esta persona"}},
      {"blocked",
       {"blocked: no one is sent notices about this person",
        "bloqueados: nadie recibe avisos sobre esta persona"}},
      {"not_blocked", {"sent as usual", "se envían como siempre"}},
      {"block", {"Block notifications", "Bloquear los avisos"}},
      {"unblock", {"Send notifications again", "Volver a enviar avisos"}},
      {"not_found",
       {"Nobody in the records has this A-number or reference.",
        "Nadie en los registros tiene este número A o referencia."}},
      {"forbidden", {"Your role may not do this.", "Su función no permite hacer esto."}},
      {"bad_form", {"The form was not valid: ", "El formulario no es válido: "}},
      {"expired",
       {"The form has expired or did not come from this console. Go back, reload the page and try "
        "again.",
        "El formulario caducó o no vino de esta consola. Vuelva, recargue la página e inténtelo de "
        "nuevo."}},
      {"unavailable",
       {"The records cannot be reached just now. Try again in a minute.",
        "No se puede acceder a los registros ahora. Inténtelo en un minuto."}},
      {"sought", {"times sought", "veces buscada"}},
      {"last_sought", {"last sought", "última búsqueda"}},
      {"no_alerts", {"No withheld person has been sought.", "Nadie oculto ha sido buscado."}},
      {"no_voicemails", {"No voicemails.", "No hay mensajes de voz."}},
      {"duration", {"seconds", "segundos"}},
      {"language", {"Language", "Idioma"}},
      {"recording", {"Recording", "Grabación"}},
      {"kind", {"Kind", "Tipo"}},
      {"actor", {"Actor", "Autor"}},
      {"filter", {"Filter", "Filtrar"}},
      {"when", {"When", "Cuándo"}},
      {"detail", {"Detail", "Detalle"}},
      {"reason.vawa", {"8 U.S.C. 1367: VAWA, T or U visa", "8 U.S.C. 1367: VAWA, visa T o U"}},
      {"reason.asylum", {"Asylum seeker", "Solicitante de asilo"}},
      {"reason.minor", {"A minor", "Menor de edad"}},
      {"reason.safety", {"Someone's safety is at risk", "La seguridad de alguien está en riesgo"}},
      {"reason.other", {"Other", "Otro"}},
  };
  return kWords;
}

bool Spanish(std::string_view lang) { return lang == "es"; }

std::string W(std::string_view lang, std::string_view key) {
  auto it = Dictionary().find(key);
  if (it == Dictionary().end()) return std::string(key);
  return Spanish(lang) ? it->second.es : it->second.en;
}

std::string E(std::string_view s) { return HtmlEscape(s); }

// What a request to the console knows about who sent it.
struct Visit {
  std::string lang = "en";
  std::map<std::string, std::string> query;
  std::optional<Session> session;
  std::optional<StaffAccount> account;
  Role role = Role::kAdvocate;
  std::string csrf;
  std::string Actor() const { return "staff:" + (account ? account->name : std::string("?")); }
};

std::string CookieValue(const http::Request& req) {
  const auto raw = req[bhttp::field::cookie];
  std::string_view header(raw.data(), raw.size());
  const std::string key = std::string(kCookie) + "=";
  size_t pos = 0;
  while (pos < header.size()) {
    while (pos < header.size() && (header[pos] == ' ' || header[pos] == ';')) ++pos;
    size_t end = header.find(';', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view pair = header.substr(pos, end - pos);
    if (pair.substr(0, key.size()) == key) return std::string(pair.substr(key.size()));
    pos = end;
  }
  return "";
}

std::string SetCookie(const std::string& value, std::chrono::seconds max_age) {
  return std::string(kCookie) + "=" + value +
         "; Path=/staff/; Max-Age=" + std::to_string(max_age.count()) +
         "; HttpOnly; Secure; SameSite=Strict";
}

class Console : public std::enable_shared_from_this<Console> {
 public:
  explicit Console(StaffConsoleDependencies d) : d_(std::move(d)) {}

  void Register(http::Router& router) {
    auto get = [&](std::string path, auto method) {
      router.Add(
          bhttp::verb::get, std::move(path),
          [self = shared_from_this(), method](const http::Request& req, http::RequestContext& ctx) {
            return (self.get()->*method)(req, ctx);
          });
    };
    auto post = [&](std::string path, auto method) {
      router.Add(
          bhttp::verb::post, std::move(path),
          [self = shared_from_this(), method](const http::Request& req, http::RequestContext& ctx) {
            return (self.get()->*method)(req, ctx);
          });
    };
    get("/staff/login", &Console::LoginPage);
    post("/staff/login", &Console::LoginPost);
    post("/staff/logout", &Console::LogoutPost);
    get("/staff/", &Console::Home);
    get("/staff", &Console::RedirectHome);
    get("/staff/requests", &Console::Queue);
    get("/staff/requests/{id}", &Console::RequestPage);
    post("/staff/requests/{id}/decision", &Console::DecisionPost);
    get("/staff/protect", &Console::ProtectPage);
    post("/staff/protect", &Console::ProtectPost);
    get("/staff/person", &Console::PersonPage);
    post("/staff/person/protections", &Console::ProtectionsPost);
    post("/staff/person/block", &Console::BlockPost);
    post("/staff/person/override", &Console::OverridePost);
    get("/staff/alerts", &Console::Alerts);
    get("/staff/voicemails", &Console::Voicemails);
    get("/staff/audit", &Console::AuditPage);
    get("/staff/reports", &Console::ReportsPage);
    get("/staff/reports/report", &Console::ReportGet);
  }

 private:
  // --- the frame -----------------------------------------------------------

  http::Response Html(const http::Request& req, bhttp::status status, const Visit& v,
                      std::string_view title, std::string_view body) const {
    std::string nav;
    if (v.account) {
      nav = "<nav aria-label=\"" + E(W(v.lang, "console")) + "\"><ul>" +
            "<li><a href=\"/staff/?lang=" + v.lang + "\">" + E(W(v.lang, "home")) + "</a></li>";
      if (Holds(v, "subjects:protect") || Holds(v, "audit:read")) {
        nav += "<li><a href=\"/staff/requests?lang=" + v.lang + "\">" + E(W(v.lang, "queue")) +
               "</a></li>";
      }
      nav += "<li><a href=\"/staff/protect?lang=" + v.lang + "\">" + E(W(v.lang, "request_new")) +
             "</a></li>";
      if (Holds(v, "audit:read")) {
        nav += "<li><a href=\"/staff/alerts?lang=" + v.lang + "\">" + E(W(v.lang, "alerts")) +
               "</a></li><li><a href=\"/staff/voicemails?lang=" + v.lang + "\">" +
               E(W(v.lang, "voicemails")) + "</a></li><li><a href=\"/staff/audit?lang=" + v.lang +
               "\">" + E(W(v.lang, "audit")) + "</a></li>";
      }
      if (Holds(v, "report:read")) {
        nav += "<li><a href=\"/staff/reports?lang=" + v.lang + "\">" + E(W(v.lang, "reports")) +
               "</a></li>";
      }
      nav += "</ul></nav><form method=\"post\" action=\"/staff/logout\">" + CsrfField(v) + "<p>" +
             E(W(v.lang, "signed_in_as")) + " <strong>" + E(v.account->name) + "</strong> (" +
             E(W(v.lang, "role")) + ": " + std::string(staff::Name(v.role)) +
             ") <button type=\"submit\">" + E(W(v.lang, "sign_out")) + "</button></p></form>";
    }
    const std::string other = Spanish(v.lang) ? "en" : "es";
    std::string html =
        "<!DOCTYPE html>\n<html lang=\"" + v.lang + "\">\n<head>\n<meta charset=\"utf-8\">\n" +
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
        E(title) + " — " + E(W(v.lang, "console")) + "</title>\n<style>" +
        "body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:0 1rem;"
        "line-height:1.5;color:#1a1a1a;background:#fff}"
        "a{color:#0b4f8a}nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}"
        ".skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff}"
        "table{border-collapse:collapse;width:100%}th,td{border:1px solid #767676;padding:.3rem;"
        "text-align:start;vertical-align:top;overflow-wrap:anywhere}"
        "label{display:block;margin-top:.6rem;font-weight:600}"
        "input,select,textarea,button{font:inherit;padding:.3rem}"
        ".error{color:#a00000;font-weight:600}.overdue{color:#a00000;font-weight:600}"
        ":focus{outline:3px solid #0b4f8a;outline-offset:2px}"
        "</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">" +
        E(W(v.lang, "skip")) + "</a>\n<header><p>" + E(W(v.lang, "console")) +
        " · <a href=\"?lang=" + other + "\" lang=\"" + other + "\">" +
        (Spanish(v.lang) ? "English" : "Español") + "</a></p>" + nav +
        "</header>\n<main id=\"main\">\n<h1>" + E(title) + "</h1>\n" + std::string(body) +
        "</main>\n</body>\n</html>\n";
    http::Response res = http::HtmlResponse(req, status, std::move(html));
    res.set("Content-Security-Policy", kCsp);
    // same-origin, not no-referrer: with no-referrer a browser sends
    // "Origin: null" on the console's own forms, which CheckPost refuses.
    res.set("Referrer-Policy", "same-origin");
    res.set(bhttp::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    res.set(bhttp::field::content_language, v.lang);
    if (v.session) {
      // The idle timeout slides: every answer renews the cookie with `seen` now.
      Session renewed = *v.session;
      renewed.seen = d_.desk.clock->Now();
      res.set(bhttp::field::set_cookie,
              SetCookie(staff::EncodeSession(*d_.desk.vault, renewed), d_.login.idle_timeout));
    }
    return res;
  }

  http::Response Message(const http::Request& req, bhttp::status status, const Visit& v,
                         std::string_view title, std::string_view text) const {
    return Html(req, status, v, title, "<p>" + E(text) + "</p>\n");
  }

  static http::Response Redirect(const http::Request& req, std::string location) {
    http::Response res{bhttp::status::see_other, req.version()};
    res.set(bhttp::field::location, std::move(location));
    res.set(bhttp::field::cache_control, "no-store");
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
  }

  static std::string CsrfField(const Visit& v) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + E(v.csrf) + "\">";
  }

  static bool Holds(const Visit& v, std::string_view scope) {
    return v.account && staff::Holds(v.role, scope);
  }

  // --- who is asking -------------------------------------------------------

  Visit Read(const http::Request& req) const {
    Visit v;
    if (auto q = http::ParseQueryString(http::QueryOf(req))) v.query = std::move(*q);
    std::string_view wanted;
    if (auto it = v.query.find("lang"); it != v.query.end()) wanted = it->second;
    const auto accept = req[bhttp::field::accept_language];
    const Lang lang = ChooseLang(wanted, std::string_view(accept.data(), accept.size()));
    v.lang = lang == Lang::kEs ? "es" : "en";
    const std::string cookie = CookieValue(req);
    if (cookie.empty()) return v;
    const Timestamp now = d_.desk.clock->Now();
    auto session = staff::DecodeSession(*d_.desk.vault, cookie, now, d_.login);
    if (!session) return v;
    auto reader = d_.desk.store->BeginRead();
    if (!reader) return v;  // fail closed: no store, no session
    auto account = (*reader)->controls().GetStaffAccount(session->account);
    if (!account || !*account) return v;
    const StaffAccount& a = **account;
    auto role = staff::ParseRole(a.role);
    if (a.disabled || a.session_epoch != session->epoch || !role ||
        (a.locked_until && *a.locked_until > now)) {
      return v;
    }
    v.session = std::move(*session);
    v.account = a;
    v.role = *role;
    v.csrf = staff::CsrfToken(*d_.desk.vault, *v.session);
    return v;
  }

  // The gate of every page but sign-in: nullopt when `v` may go on, else
  // the answer (to the sign-in page, or 403).
  std::optional<http::Response> Gate(const http::Request& req, const Visit& v,
                                     std::initializer_list<std::string_view> any_of) const {
    if (!v.account) return Redirect(req, "/staff/login?lang=" + v.lang);
    bool ok = any_of.size() == 0;
    for (std::string_view scope : any_of) ok = ok || Holds(v, scope);
    if (!ok) {
      return Message(req, bhttp::status::forbidden, v, W(v.lang, "forbidden"),
                     W(v.lang, "forbidden"));
    }
    return std::nullopt;
  }

  // A POST's form, once its CSRF token and origin are checked.
  std::optional<http::Response> CheckPost(const http::Request& req, const Visit& v,
                                          std::map<std::string, std::string>* form) const {
    if (!v.account) return Redirect(req, "/staff/login?lang=" + v.lang);
    auto parsed = http::ParseQueryString(req.body());
    const std::string origin(req[bhttp::field::origin]), host(req[bhttp::field::host]);
    const bool cross_site =
        !origin.empty() && origin != "http://" + host && origin != "https://" + host;
    if (!parsed || cross_site ||
        !staff::CsrfMatches(*d_.desk.vault, *v.session, Field(*parsed, "csrf"))) {
      return Message(req, bhttp::status::forbidden, v, W(v.lang, "expired"), W(v.lang, "expired"));
    }
    *form = std::move(*parsed);
    return std::nullopt;
  }

  // The {id} of a request's path: digits only; 0 (no such request) otherwise.
  static int64_t RequestId(http::RequestContext& ctx) {
    const std::string& text = ctx.path_params["id"];
    int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    return ec == std::errc() && end == text.data() + text.size() && id > 0 ? id : 0;
  }

  static std::string Field(const std::map<std::string, std::string>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? "" : it->second;
  }

  Result<void> AuditStaff(std::string kind, const std::string& actor,
                          std::optional<int64_t> subject_id, std::string detail) const {
    if (d_.desk.audit_log == nullptr) return {};
    auto txn = d_.desk.store->BeginWrite();
    if (!txn) return tl::unexpected(txn.error());
    auto logged = d_.desk.audit_log->Append(
        **txn, {std::move(kind), actor, subject_id, std::move(detail)}, d_.desk.clock->Now());
    if (!logged) return tl::unexpected(logged.error());
    return (**txn).Commit();
  }

  http::Response Failed(const http::Request& req, const Visit& v, const Error& e) const {
    if (e.code() == ErrorCode::kInvalidArgument) {
      return Message(req, bhttp::status::bad_request, v, W(v.lang, "bad_form"),
                     W(v.lang, "bad_form") + e.message());
    }
    if (e.code() == ErrorCode::kNotFound) {
      return Message(req, bhttp::status::not_found, v, W(v.lang, "not_found"),
                     W(v.lang, "not_found"));
    }
    return Message(req, bhttp::status::service_unavailable, v, W(v.lang, "unavailable"),
                   W(v.lang, "unavailable"));
  }

  // --- sign in and out -----------------------------------------------------

  std::string LoginForm(const Visit& v, bool failed) const {
    // The sign-in form's token: a MAC of the hour it was drawn in, so a
    // form from elsewhere cannot sign someone in to another's account.
    std::string body;
    if (failed) body += "<p class=\"error\" role=\"alert\">" + E(W(v.lang, "bad_login")) + "</p>\n";
    body += "<form method=\"post\" action=\"/staff/login?lang=" + v.lang + "\">\n" +
            "<input type=\"hidden\" name=\"csrf\" value=\"" + LoginToken(0) + "\">\n" +
            "<label for=\"name\">" + E(W(v.lang, "account")) +
            "</label><input id=\"name\" name=\"name\" autocomplete=\"username\" required>\n" +
            "<label for=\"password\">" + E(W(v.lang, "password")) +
            "</label><input id=\"password\" name=\"password\" type=\"password\" "
            "autocomplete=\"current-password\" required>\n" +
            "<label for=\"code\">" + E(W(v.lang, "code")) +
            "</label><input id=\"code\" name=\"code\" inputmode=\"numeric\" "
            "autocomplete=\"one-time-code\" pattern=\"[0-9]{6}\" maxlength=\"6\" required>\n" +
            "<p><button type=\"submit\">" + E(W(v.lang, "sign_in")) + "</button></p>\n</form>\n";
    return body;
  }

  std::string LoginToken(int hours_ago) const {
    const int64_t hour = ToUnixMicros(d_.desk.clock->Now()) / 3600000000 - hours_ago;
    return Hex(d_.desk.vault->StaffMac("login-form:" + std::to_string(hour)).substr(0, 12));
  }

  http::Response LoginPage(const http::Request& req, http::RequestContext&) {
    Visit v = Read(req);
    if (v.account) return Redirect(req, "/staff/?lang=" + v.lang);
    return Html(req, bhttp::status::ok, v, W(v.lang, "sign_in"), LoginForm(v, false));
  }

  http::Response LoginPost(const http::Request& req, http::RequestContext&) {
    Visit v = Read(req);
    v.session.reset();  // whatever came in, sign-in makes a new session
    v.account.reset();
    auto form = http::ParseQueryString(req.body());
    const std::string token = form ? Field(*form, "csrf") : "";
    if (!form || !(notify::SecretsEqual(token, LoginToken(0)) ||
                   notify::SecretsEqual(token, LoginToken(1)))) {
      return Message(req, bhttp::status::forbidden, v, W(v.lang, "expired"), W(v.lang, "expired"));
    }
    const std::string name = Field(*form, "name");
    const Timestamp now = d_.desk.clock->Now();
    auto txn = d_.desk.store->BeginWrite();
    if (!txn) return Failed(req, v, txn.error());
    std::optional<StaffAccount> account;
    if (staff::CheckAccountName(name)) {
      auto found = (**txn).controls().GetStaffAccount(name);
      if (!found) return Failed(req, v, found.error());
      account = std::move(*found);
    }
    staff::LoginOutcome outcome = staff::TryLogin(*d_.desk.vault, account, Field(*form, "password"),
                                                  Field(*form, "code"), now, d_.login);
    if (outcome.updated) {
      auto u = (**txn).controls().UpdateStaffAccount(*outcome.updated);
      if (!u) return Failed(req, v, u.error());
    }
    if (d_.desk.audit_log != nullptr) {
      std::string detail = outcome.ok       ? "signed in"
                           : outcome.locked ? "refused: locked"
                           : account        ? "refused: wrong password or code"
                                            : "refused: no such account";
      if (outcome.updated && outcome.updated->locked_until && !outcome.locked && !outcome.ok) {
        detail += "; locked until " + FormatRfc3339(*outcome.updated->locked_until);
      }
      auto logged = d_.desk.audit_log->Append(
          **txn, {"staff_login", account ? "staff:" + name : "staff:?", std::nullopt, detail}, now);
      if (!logged) return Failed(req, v, logged.error());
    }
    if (auto c = (**txn).Commit(); !c) return Failed(req, v, c.error());
    if (!outcome.ok) {
      return Html(req, bhttp::status::unauthorized, v, W(v.lang, "sign_in"), LoginForm(v, true));
    }
    Session s{name, outcome.updated->session_epoch, now, now};
    http::Response res = Redirect(req, "/staff/?lang=" + v.lang);
    res.set(bhttp::field::set_cookie,
            SetCookie(staff::EncodeSession(*d_.desk.vault, s), d_.login.idle_timeout));
    return res;
  }

  http::Response LogoutPost(const http::Request& req, http::RequestContext&) {
    Visit v = Read(req);
    std::map<std::string, std::string> form;
    if (auto refused = CheckPost(req, v, &form)) return std::move(*refused);
    auto txn = d_.desk.store->BeginWrite();
    if (!txn) return Failed(req, v, txn.error());
    StaffAccount a = *v.account;
    ++a.session_epoch;  // ends this session and any other of the account
    if (auto u = (**txn).controls().UpdateStaffAccount(a); !u) return Failed(req, v, u.error());
    if (d_.desk.audit_log != nullptr) {
      auto logged = d_.desk.audit_log->Append(**txn, {"staff_logout", v.Actor(), std::nullopt, ""},
                                              d_.desk.clock->Now());
      if (!logged) return Failed(req, v, logged.error());
    }
    if (auto c = (**txn).Commit(); !c) return Failed(req, v, c.error());
    http::Response res = Redirect(req, "/staff/login?lang=" + v.lang);
    res.set(bhttp::field::set_cookie, SetCookie("", std::chrono::seconds(0)));
    return res;
  }

  // --- pages ---------------------------------------------------------------

  http::Response RedirectHome(const http::Request& req, http::RequestContext&) {
    return Redirect(req, "/staff/");
  }

  http::Response Home(const http::Request& req, http::RequestContext&) {
    Visit v = Read(req);
    if (auto refused = Gate(req, v, {})) return std::move(*refused);
    std::string body;
    if (Holds(v, "subjects:protect") || Holds(v, "audit:read")) {
      auto reader = d_.desk.store->BeginRead();
      if (!reader) return Failed(req, v, reader.error());
      int64_t waiting = 0;
      for (const char* state : {"provisional", "queued"}) {
        auto list = (*reader)->registrations().ProtectionRequests(state, 10000);
        if (!list) return Failed(req, v, list.error());
        waiting += static_cast<int64_t>(list->size());
      }
      body += "<p><a href=\"/staff/requests?lang=" + v.lang + "\">" + E(W(v.lang, "queue")) +
              "</a>: " + std::to_string(waiting) + " " + E(W(v.lang, "waiting")) + "</p>\n";
      body += FindForm(v, "");
    }
    body += "<p><a href=\"/staff/protect?lang=" + v.lang + "\">" + E(W(v.lang, "request_new")) +
            "</a></p>\n";
    return Html(req, bhttp::status::ok, v, W(v.lang, "home"), body);
  }

  std::string FindForm(const Visit& v, std::string_view value) const {
    return "<form method=\"get\" action=\"/staff/person\" role=\"search\">\n"
           "<input type=\"hidden\" name=\"lang\" value=\"" +
           v.lang +
           "\">\n"
           "<label for=\"id\">" +
           E(W(v.lang, "find")) +
           "</label>\n"
           "<p id=\"id-hint\">" +
           E(W(v.lang, "find_hint")) +
           "</p>\n"
           "<input id=\"id\" name=\"id\" aria-describedby=\"id-hint\" value=\"" +
           E(value) + "\" required>\n<button type=\"submit\">" + E(W(v.lang, "find_button")) +
           "</button>\n</form>\n";
  }

  std::string ReasonName(const Visit& v, std::string_view reason) const {
    return W(v.lang, "reason." + std::string(reason));
  }

  http::Response Queue(const http::Request& req, http::RequestContext&) {
    Visit v = Read(req);
    if (auto refused = Gate(req, v, {"subjects:protect", "audit:read"})) return std::move(*refused);
    auto reader = d_.desk.store->BeginRead();
    if (!reader) return Failed(req, v, reader.error());
    std::vector<ProtectionRequest> waiting;
    for (const char* state : {"provisional", "queued"}) {
      auto list = (*reader)->registrations().ProtectionRequests(state, 1000);
      if (!list) return Failed(req, v, list.error());
      waiting.insert(waiting.end(), list->begin(), list->end());
    }
    std::sort(waiting.begin(), waiting.end(),
              [](const auto& a, const auto& b) { return a.due_at < b.due_at; });
    if (waiting.empty()) {
      return Html(req, bhttp::status::ok, v, W(v.lang, "queue"),
                  "<p>" + E(W(v.lang, "no_requests")) + "</p>\n");
    }
    const Timestamp now = d_.desk.clock->Now();
    std::string body = "<table>\n<caption>" + E(W(v.lang, "waiting")) +
                       "</caption>\n<tr><th scope=\"col\">" + E(W(v.lang, "request")) +
                       "</th><th scope=\"col\">" + E(W(v.lang, "reason")) +
                       "</th><th scope=\"col\">" + E(W(v.lang, "state")) +
                       "</th><th scope=\"col\">" + E(W(v.lang, "requested_by")) +
                       "</th><th scope=\"col\">" + E(W(v.lang, "due")) + "</th></tr>\n";
    for (const auto& r : waiting) {
      const std::string id = std::to_string(r.request_id);
      body += "<tr><td><a href=\"/staff/requests/" + id + "?lang=" + v.lang + "\">" +
              E(W(v.lang, "open")) + " " + E(W(v.lang, "request")) + " " + id + "</a></td><td>" +
              E(ReasonName(v, r.reason)) + "</td><td>" + E(r.state) + "</td><td>" +
              E(r.requested_by) + "</td><td>" + E(FormatRfc3339(r.due_at)) +
              (r.due_at < now ? " <span class=\"overdue\">(" + E(W(v.lang, "overdue")) + ")</span>"
                              : "") +
              "</td></tr>\n";
    }
    body += "</table>\n";
    return Html(req, bhttp::status::ok, v, W(v.lang, "queue"), body);
  }

  std::string PersonTable(const Visit& v, const policy::StaffView& p) const {
    auto row = [&](std::string_view key, const std::string& value) {
      return "<tr><th scope=\"row\">" + E(W(v.lang, key)) + "</th><td>" + E(value) + "</td></tr>\n";
    };
    std::string protections;
    for (const auto& n : p.protections().Names())
      protections += (protections.empty() ? "" : ", ") + n;
    const bool shown = p.public_reason() == policy::SuppressionReason::kNone;
    std::string out = "<table>\n";
    out += row("name", p.name());
    out += row("identifier", "A" + p.a_number() + " · " + p.ref());
    out += row("birth_year", p.birth_year() ? std::to_string(*p.birth_year()) : "?");
    out += row("country", p.country_of_birth());
    out += row("status", p.custody_status() ? std::string(vigil::Name(*p.custody_status())) : "?");
    out += row("basis", p.custody_basis() ? std::string(vigil::Name(*p.custody_basis())) : "?");
    out += row("facility", p.facility_id());
    out += row("protections", protections.empty() ? W(v.lang, "none") : protections);
    out += row("public_view", shown ? W(v.lang, "shown")
                                    : W(v.lang, "withheld") + " (" +
                                          std::string(policy::Name(p.public_reason())) + ")");
    out += "</table>\n";
    return out;
  }

  http::Response RequestPage(const http::Request& req, http::RequestContext& ctx) {
    Visit v = Read(req);
    if (auto refused = Gate(req, v, {"subjects:protect", "audit:read"})) return std::move(*refused);
    const int64_t id = RequestId(ctx);
    auto reader = d_.desk.store->BeginRead();
    if (!reader) return Failed(req, v, reader.error());
    auto found = (*reader)->registrations().GetProtectionRequest(id);
    if (!found) return Failed(req, v, found.error());
    if (!*found) return Failed(req, v, NotFound("no such request").value());
    const ProtectionRequest& r = **found;
    std::string contact = "—";
    if (!r.contact_sealed.empty()) {
      if (auto opened = d_.desk.vault->Open(r.contact_sealed)) contact = *opened;
    }
    std::string body = "<table>\n";
    auto row = [&](std::string_view key, const std::string& value) {
      body +=
          "<tr><th scope=\"row\">" + E(W(v.lang, key)) + "</th><td>" + E(value) + "</td></tr>\n";
    };
    row("identifier", r.identifier);
    row("reason", ReasonName(v, r.reason));
    row("details", r.details.empty() ? "—" : r.details);
    row("contact", contact);
    row("requested_by", r.requested_by);
    row("state", r.state + (r.decided_by.empty() ? "" : " (" + r.decided_by + ")"));
    row("received", FormatRfc3339(r.created_at));
    row("due", FormatRfc3339(r.due_at));
    body += "</table>\n<h2>" + E(W(v.lang, "person")) + "</h2>\n";
    if (r.subject_id != 0) {
      policy::SuppressionReason why;
      auto view = d_.policy->ViewForStaff(**reader, r.subject_id, &why);
      if (!view && why == policy::SuppressionReason::kStoreError) {
        return Failed(req, v, Unavailable("store").value());
      }
      body += view ? PersonTable(v, *view) : "<p>" + E(W(v.lang, "nobody")) + "</p>\n";
    } else {
      body += "<p>" + E(W(v.lang, "nobody")) + "</p>\n";
    }
    const bool open = r.state == "queued" || r.state == "provisional";
    if (open && Holds(v, "subjects:protect")) {
      body += "<form method=\"post\" action=\"/staff/requests/" + std::to_string(id) +
              "/decision?lang=" + v.lang + "\">\n" + CsrfField(v) + "<label for=\"note\">" +
              E(W(v.lang, "note")) +
              "</label><input id=\"note\" name=\"note\" maxlength=\"1000\">\n<p>"
              "<button type=\"submit\" name=\"decision\" value=\"confirm\">" +
              E(W(v.lang, "confirm")) + "</button>";
      if (Holds(v, "subjects:override")) {
        body += " <button type=\"submit\" name=\"decision\" value=\"reject\">" +
                E(W(v.lang, "reject")) + "</button>";
      }
      body += "</p>\n</form>\n";
    }
    return Html(req, bhttp::status::ok, v, W(v.lang, "request") + " " + std::to_string(id), body);
  }

  http::Response DecisionPost(const http::Request& req, http::RequestContext& ctx) {
    Visit v = Read(req);
    std::map<std::string, std::string> form;
    if (auto refused = CheckPost(req, v, &form)) return std::move(*refused);
    const std::string decision = Field(form, "decision");
    // Confirming withholds (subjects:protect); rejecting shows a person
    // again, which is a supervisor's call (subjects:override).
    const char* scope = decision == "reject" ? "subjects:override" : "subjects:protect";
    if (auto refused = Gate(req, v, {scope})) return std::move(*refused);
    if (decision != "confirm" && decision != "reject") {
      return Failed(req, v, InvalidArgument("decision: confirm or reject").value());
    }
    const int64_t id = RequestId(ctx);
    auto done = DecideProtectionRequest(
        d_.desk, id, decision == "confirm" ? Decision::kConfirm : Decision::kReject, v.Actor(),
        Field(form, "note"));
    if (!done && done.error().code() != ErrorCode::kConflict) return Failed(req, v, done.error());
    return Redirect(req, "/staff/requests/" + std::to_string(id) + "?lang=" + v.lang);
  }

  std::string ReasonOptions(const Visit& v, std::string_view chosen) const {
    std::string out;
    for (std::string_view r : kRequestReasons) {
      out += "<option value=\"" + std::string(r) + "\"" + (r == chosen ? " selected" : "") + ">" +
             E(ReasonName(v, r)) + "</option>";
    }
    return out;
  }

  std::string ProtectForm(const Visit& v, const std::map<std::string, std::string>& values) const {
    return "<form method=\"post\" action=\"/staff/protect?lang=" + v.lang + "\">\n" + CsrfField(v) +
           "<label for=\"identifier\">" + E(W(v.lang, "identifier")) +
           "</label><input id=\"identifier\" name=\"identifier\" required value=\"" +
           E(Field(values, "identifier")) + "\">\n<label for=\"reason\">" + E(W(v.lang, "reason")) +
           "</label><select id=\"reason\" name=\"reason\">" +
           ReasonOptions(v, Field(values, "reason")) + "</select>\n<label for=\"details\">" +
           E(W(v.lang, "details")) +
           "</label><textarea id=\"details\" name=\"details\" rows=\"3\" maxlength=\"1000\">" +
           E(Field(values, "details")) + "</textarea>\n<label for=\"contact\">" +
           E(W(v.lang, "contact")) + "</label><input id=\"contact\" name=\"contact\" value=\"" +
           E(Field(values, "contact")) + "\">\n<p><button type=\"submit\">" +
           E(W(v.lang, "submit")) + "</button></p>\n</form>\n";
  }

  http::Response ProtectPage(const http::Request& req, http::RequestContext&) {
    Visit v = Read(req);
    if (auto refused = Gate(req, v, {"subjects:protect", "registrations:advocate"})) {
      return std::move(*refused);
    }
    return Html(req, bhttp::status::ok, v, W(v.lang, "request_new"), ProtectForm(v, v.query));
  }

  http::Response ProtectPost(const http::Request& req, http::RequestContext&) {
    Visit v = Read(req);
    std::map<std::string, std::string> form;
    if (auto refused = CheckPost(req, v, &form)) return std::move(*refused);
    if (auto refused = Gate(req, v, {"subjects:protect", "registrations:advocate"})) {
      return std::move(*refused);
    }
    NewProtectionRequest in;
    in.identifier = Field(form, "identifier");
    in.reason = Field(form, "reason");
    in.details = Field(form, "details");
    in.contact = Field(form, "contact");
    in.requested_by = v.role == Role::kAdvocate ? "advocate:" + v.account->name : v.Actor();
    in.provisional = true;  // an accredited advocate or staff: withheld on the next request
    in.language = v.lang;
    auto id = SubmitProtectionRequest(d_.desk, in);
    if (!id) {
      if (id.error().code() == ErrorCode::kInvalidArgument) {
        return Html(req, bhttp::status::bad_request, v, W(v.lang, "request_new"),
                    "<p class=\"error\" role=\"alert\">" + E(W(v.lang, "bad_form")) +
                        E(id.error().message()) + "</p>\n" + ProtectForm(v, form));
      }
      return Failed(req, v, id.error());
    }
    return Html(req, bhttp::status::ok, v, W(v.lang, "request_new"),
                "<p role=\"status\">" + E(W(v.lang, "submitted")) + "</p>\n<p>" +
                    E(W(v.lang, "request")) + " " + std::to_string(*id) + "</p>\n");
  }

  http::Response PersonPage(const http::Request& req, http::RequestContext&) {
    Visit v = Read(req);
    if (auto refused = Gate(req, v, {"subjects:protect", "audit:read"})) return std::move(*refused);
    const std::string wanted = Field(v.query, "id");
    std::string body = FindForm(v, wanted);
    if (wanted.empty()) return Html(req, bhttp::status::ok, v, W(v.lang, "find"), body);
    auto reader = d_.desk.store->BeginRead();
    if (!reader) return Failed(req, v, reader.error());
    auto id = ResolveIdentifier(d_.desk, **reader, wanted);
    if (!id) return Failed(req, v, id.error());
    std::optional<policy::StaffView> view;
    if (*id != 0) {
      policy::SuppressionReason why;
      view = d_.policy->ViewForStaff(**reader, *id, &why);
      if (!view && why == policy::SuppressionReason::kStoreError) {
        return Failed(req, v, Unavailable("store").value());
      }
    }
    if (auto logged =
            AuditStaff("staff_lookup", v.Actor(), *id != 0 ? std::optional(*id) : std::nullopt,
                       view ? "found" : "nobody");
        !logged) {
      return Failed(req, v, logged.error());
    }
    if (!view) {
      return Html(req, bhttp::status::not_found, v, W(v.lang, "find"),
                  body + "<p>" + E(W(v.lang, "not_found")) + "</p>\n");
    }
    body += "<h2>" + E(W(v.lang, "person")) + "</h2>\n" + PersonTable(v, *view);
    if (Field(v.query, "saved") == "1")
      body += "<p role=\"status\">" + E(W(v.lang, "saved")) + "</p>\n";
    if (Holds(v, "subjects:protect")) {
      body += "<h2>" + E(W(v.lang, "set_protections")) +
              "</h2>\n<form method=\"post\" "
              "action=\"/staff/person/protections?lang=" +
              v.lang + "\">\n" + CsrfField(v) + "<input type=\"hidden\" name=\"ref\" value=\"" +
              E(view->ref()) + "\">\n<fieldset><legend>" + E(W(v.lang, "protections")) +
              "</legend>\n";
      const std::vector<std::string> set = view->protections().Names();
      for (const std::string& name : AllProtectionNames()) {
        const bool on = std::find(set.begin(), set.end(), name) != set.end();
        body += "<label><input type=\"checkbox\" name=\"p_" + name + "\" value=\"on\"" +
                (on ? " checked" : "") + "> " + name + "</label>\n";
      }
      body += "</fieldset>\n<label for=\"why\">" + E(W(v.lang, "reason_required")) +
              "</label><input id=\"why\" name=\"reason\" required maxlength=\"500\">\n<p>"
              "<button type=\"submit\">" +
              E(W(v.lang, "save")) + "</button></p>\n</form>\n";
    }
    auto blocked = (*reader)->controls().IsNotificationBlocked(*id);
    if (!blocked) return Failed(req, v, blocked.error());
    body += "<h2>" + E(W(v.lang, "notices")) + "</h2>\n<p>" +
            E(W(v.lang, *blocked ? "blocked" : "not_blocked")) + "</p>\n";
    if (Holds(v, "subjects:override")) {
      body += "<form method=\"post\" action=\"/staff/person/block?lang=" + v.lang + "\">\n" +
              CsrfField(v) + "<input type=\"hidden\" name=\"ref\" value=\"" + E(view->ref()) +
              "\">\n<input type=\"hidden\" name=\"block\" value=\"" + (*blocked ? "0" : "1") +
              "\">\n";
      if (!*blocked) {
        body += "<label for=\"block-why\">" + E(W(v.lang, "reason_required")) +
                "</label><input id=\"block-why\" name=\"reason\" required maxlength=\"500\">\n";
      }
      body += "<p><button type=\"submit\">" + E(W(v.lang, *blocked ? "unblock" : "block")) +
              "</button></p>\n</form>\n";
      body += OverrideForm(v, view->ref());
    }
    return Html(req, bhttp::status::ok, v, W(v.lang, "find"), body);
  }

  // The custody status by hand, as the agency API's overrides route states it.
  std::string OverrideForm(const Visit& v, std::string_view ref) const {
    std::string out = "<h2>" + E(W(v.lang, "override")) + "</h2>\n<p id=\"override-hint\">" +
                      E(W(v.lang, "override_hint")) +
                      "</p>\n<form method=\"post\" action=\"/staff/person/override?lang=" + v.lang +
                      "\" aria-describedby=\"override-hint\">\n" + CsrfField(v) +
                      "<input type=\"hidden\" name=\"ref\" value=\"" + E(ref) +
                      "\">\n<label for=\"ovr-status\">" + E(W(v.lang, "status")) +
                      "</label><select id=\"ovr-status\" name=\"custody_status\">\n";
    for (auto status :
         {CustodyStatus::kInCustody, CustodyStatus::kReleased, CustodyStatus::kRemoved,
          CustodyStatus::kEscaped, CustodyStatus::kDeceased}) {
      const std::string name(vigil::Name(status));
      out += "<option value=\"" + name + "\">" + E(W(v.lang, "status." + name)) + "</option>\n";
    }
    out += "</select>\n<label for=\"ovr-at\">" + E(W(v.lang, "effective_at")) +
           "</label><input id=\"ovr-at\" name=\"effective_at\" required value=\"" +
           E(FormatRfc3339(d_.desk.clock->Now())) + "\">\n<label for=\"ovr-facility\">" +
           E(W(v.lang, "facility_code")) +
           "</label><input id=\"ovr-facility\" name=\"facility_id\" maxlength=\"64\">\n"
           "<label for=\"ovr-why\">" +
           E(W(v.lang, "reason_required")) +
           "</label><input id=\"ovr-why\" name=\"reason\" required maxlength=\"500\">\n"
           "<p><button type=\"submit\">" +
           E(W(v.lang, "record_override")) + "</button></p>\n</form>\n";
    return out;
  }

  static const std::vector<std::string>& AllProtectionNames() {
    static const std::vector<std::string> kAll = [] {
      ProtectionSet all;
      for (auto p : {Protection::kSec1367, Protection::kAsylum, Protection::kSealed,
                     Protection::kJuvenile, Protection::kProvisional}) {
        all.Add(p);
      }
      return all.Names();
    }();
    return kAll;
  }

  http::Response ProtectionsPost(const http::Request& req, http::RequestContext&) {
    Visit v = Read(req);
    std::map<std::string, std::string> form;
    if (auto refused = CheckPost(req, v, &form)) return std::move(*refused);
    if (auto refused = Gate(req, v, {"subjects:protect"})) return std::move(*refused);
    auto subject_id = d_.desk.refs->Decode(Field(form, "ref"));
    if (!subject_id) return Failed(req, v, NotFound("ref").value());
    ProtectionSet next;
    for (const std::string& name : AllProtectionNames()) {
      if (Field(form, "p_" + name) == "on") next.Add(*ParseProtection(name));
    }
    {
      auto reader = d_.desk.store->BeginRead();
      if (!reader) return Failed(req, v, reader.error());
      auto subject = (*reader)->custody().GetSubject(*subject_id);
      if (!subject) return Failed(req, v, subject.error());
      if (!*subject) return Failed(req, v, NotFound("ref").value());
      // Taking a protection away shows a person again: a supervisor's call.
      const bool lifts = ((*subject)->protections.bits() & ~next.bits()) != 0;
      if (lifts && !Holds(v, "subjects:override")) {
        return Message(req, bhttp::status::forbidden, v, W(v.lang, "forbidden"),
                       W(v.lang, "forbidden"));
      }
    }
    auto done = SetProtectionsByStaff(d_.desk, *subject_id, next, v.Actor(), Field(form, "reason"));
    if (!done) return Failed(req, v, done.error());
    return Redirect(req, "/staff/person?lang=" + v.lang + "&saved=1&id=" + Field(form, "ref"));
  }

  // Blocking or resuming notifications is the agency API's subjects:override.
  http::Response BlockPost(const http::Request& req, http::RequestContext&) {
    Visit v = Read(req);
    std::map<std::string, std::string> form;
    if (auto refused = CheckPost(req, v, &form)) return std::move(*refused);
    if (auto refused = Gate(req, v, {"subjects:override"})) return std::move(*refused);
    auto subject_id = d_.desk.refs->Decode(Field(form, "ref"));
    if (!subject_id) return Failed(req, v, NotFound("ref").value());
    const std::string reason = Field(form, "reason");
    const bool block = Field(form, "block") == "1";
    auto done =
        SetBlockByStaff(d_.desk, *subject_id,
                        block ? std::optional<std::string_view>(reason) : std::nullopt, v.Actor());
    if (!done) return Failed(req, v, done.error());
    return Redirect(req, "/staff/person?lang=" + v.lang + "&saved=1&id=" + Field(form, "ref"));
  }

  // An override is the agency API's subjects:override: a supervisor's call.
  http::Response OverridePost(const http::Request& req, http::RequestContext&) {
    Visit v = Read(req);
    std::map<std::string, std::string> form;
    if (auto refused = CheckPost(req, v, &form)) return std::move(*refused);
    if (auto refused = Gate(req, v, {"subjects:override"})) return std::move(*refused);
    auto subject_id = d_.desk.refs->Decode(Field(form, "ref"));
    if (!subject_id) return Failed(req, v, NotFound("ref").value());
    auto status = ParseCustodyStatus(Field(form, "custody_status"));
    if (!status) return Failed(req, v, InvalidArgument(status.error().message()).value());
    auto effective = ParseRfc3339(Field(form, "effective_at"));
    if (!effective) {
      return Failed(
          req, v,
          InvalidArgument(W(v.lang, "effective_at") + ": " + effective.error().message()).value());
    }
    const custody::OverrideRequest request{*status, *effective, Field(form, "facility_id")};
    auto done = OverrideByStaff(d_.desk, *subject_id, request, v.Actor(), Field(form, "reason"));
    if (!done) {
      if (done.error().code() == ErrorCode::kConflict) {
        return Message(req, bhttp::status::conflict, v, W(v.lang, "override"),
                       W(v.lang, "conflict") + done.error().message());
      }
      return Failed(req, v, done.error());
    }
    return Redirect(req, "/staff/person?lang=" + v.lang + "&saved=1&id=" + Field(form, "ref"));
  }

  // --- reports -------------------------------------------------------------

  http::Response ReportsPage(const http::Request& req, http::RequestContext&) {
    Visit v = Read(req);
    if (auto refused = Gate(req, v, {"report:read"})) return std::move(*refused);
    const std::string today = FormatRfc3339(d_.desk.clock->Now()).substr(0, 10);
    const std::string from = std::to_string(std::stoi(today.substr(0, 4)) - 1) + "-01-01";
    auto radio = [&](std::string_view name, std::string_view value, std::string_view words,
                     bool checked) {
      return "<label><input type=\"radio\" name=\"" + std::string(name) + "\" value=\"" +
             std::string(value) + "\"" + (checked ? " checked" : "") + "> " + E(W(v.lang, words)) +
             "</label>\n";
    };
    std::string body =
        "<p>" + E(W(v.lang, "reports_hint")) +
        "</p>\n<form method=\"get\" action=\"/staff/reports/report\">\n"
        "<input type=\"hidden\" name=\"lang\" value=\"" +
        v.lang + "\">\n<label for=\"from\">" + E(W(v.lang, "report_from")) +
        "</label><input id=\"from\" name=\"from\" required value=\"" + from +
        "\">\n<label for=\"to\">" + E(W(v.lang, "report_to")) +
        "</label><input id=\"to\" name=\"to\" required value=\"" + today +
        "\">\n<fieldset><legend>" + E(W(v.lang, "report_by")) + "</legend>\n" +
        radio("by", "month", "by.month", true) + radio("by", "quarter", "by.quarter", false) +
        "</fieldset>\n<fieldset><legend>" + E(W(v.lang, "report_format")) + "</legend>\n" +
        radio("format", "html", "format.html", true) + radio("format", "csv", "format.csv", false) +
        "</fieldset>\n<p><button type=\"submit\">" + E(W(v.lang, "make_report")) +
        "</button></p>\n</form>\n";
    return Html(req, bhttp::status::ok, v, W(v.lang, "reports"), body);
  }

  // The report `vigil report` makes, of whole periods that have ended, with
  // the default small-cell threshold: HTML (its own page, with the chart)
  // or CSV to download. Audited, since a report is a disclosure too.
  http::Response ReportGet(const http::Request& req, http::RequestContext&) {
    Visit v = Read(req);
    if (auto refused = Gate(req, v, {"report:read"})) return std::move(*refused);
    const std::string from = Field(v.query, "from"), to = Field(v.query, "to");
    const std::string by = Field(v.query, "by").empty() ? "month" : Field(v.query, "by");
    const std::string format = Field(v.query, "format").empty() ? "html" : Field(v.query, "format");
    if (by != "month" && by != "quarter") {
      return Failed(req, v, InvalidArgument("by: month or quarter").value());
    }
    if (format != "html" && format != "csv") {
      return Failed(req, v, InvalidArgument("format: html or csv").value());
    }
    report::ReportRequest request{
        from, to, by == "quarter" ? report::Period::kQuarter : report::Period::kMonth,
        report::kDefaultMinCell, FormatRfc3339(d_.desk.clock->Now()).substr(0, 10)};
    auto built = report::AssembleReport(*d_.desk.store, *d_.policy, request);
    if (!built) return Failed(req, v, built.error());
    if (auto logged = AuditStaff("report", v.Actor(), std::nullopt,
                                 built->from + ".." + built->to + " by " + by + " as " + format);
        !logged) {
      return Failed(req, v, logged.error());
    }
    http::Response res;
    if (format == "csv") {
      res = http::Response{bhttp::status::ok, req.version()};
      res.set(bhttp::field::content_type, "text/csv; charset=utf-8");
      res.set(bhttp::field::content_disposition,
              "attachment; filename=\"vigil-report-" + built->from + "-" + built->to + ".csv\"");
      res.body() = report::RenderCsv(*built);
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
    } else {
      res = http::HtmlResponse(req, bhttp::status::ok, report::RenderHtml(*built));
      res.set("Content-Security-Policy", kCsp);
      res.set("Referrer-Policy", "same-origin");
    }
    res.set(bhttp::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    return res;
  }

  http::Response Alerts(const http::Request& req, http::RequestContext&) {
    Visit v = Read(req);
    if (auto refused = Gate(req, v, {"audit:read"})) return std::move(*refused);
    auto reader = d_.desk.store->BeginRead();
    if (!reader) return Failed(req, v, reader.error());
    auto last = (*reader)->controls().LastSuppressedMatchId();
    if (!last) return Failed(req, v, last.error());
    auto matches =
        (*reader)->controls().SuppressedMatchesAfter(std::max<int64_t>(0, *last - 5000), 5000);
    if (!matches) return Failed(req, v, matches.error());
    struct Tally {
      int64_t count = 0;
      Timestamp last;
    };
    std::map<int64_t, Tally> by_subject;
    for (const auto& [id, m] : *matches) {
      Tally& t = by_subject[m.subject_id];
      ++t.count;
      t.last = std::max(t.last, m.occurred_at);
    }
    if (by_subject.empty()) {
      return Html(req, bhttp::status::ok, v, W(v.lang, "alerts"),
                  "<p>" + E(W(v.lang, "no_alerts")) + "</p>\n");
    }
    std::string body = "<table>\n<tr><th scope=\"col\">" + E(W(v.lang, "person")) +
                       "</th><th scope=\"col\">" + E(W(v.lang, "sought")) +
                       "</th><th scope=\"col\">" + E(W(v.lang, "last_sought")) + "</th></tr>\n";
    for (const auto& [subject_id, t] : by_subject) {
      policy::SuppressionReason why;
      auto ref = d_.policy->ReferForStaff(**reader, subject_id, &why);
      if (!ref) continue;
      body += "<tr><td><a href=\"/staff/person?lang=" + v.lang + "&amp;id=" + E(ref->ref()) +
              "\">A" + E(ref->a_number()) + "</a></td><td>" + std::to_string(t.count) +
              "</td><td>" + E(FormatRfc3339(t.last)) + "</td></tr>\n";
    }
    body += "</table>\n";
    return Html(req, bhttp::status::ok, v, W(v.lang, "alerts"), body);
  }

  http::Response Voicemails(const http::Request& req, http::RequestContext&) {
    Visit v = Read(req);
    if (auto refused = Gate(req, v, {"audit:read"})) return std::move(*refused);
    auto reader = d_.desk.store->BeginRead();
    if (!reader) return Failed(req, v, reader.error());
    auto list = (*reader)->registrations().Voicemails(100);
    if (!list) return Failed(req, v, list.error());
    if (list->empty()) {
      return Html(req, bhttp::status::ok, v, W(v.lang, "voicemails"),
                  "<p>" + E(W(v.lang, "no_voicemails")) + "</p>\n");
    }
    std::string body = "<table>\n<tr><th scope=\"col\">" + E(W(v.lang, "received")) +
                       "</th><th scope=\"col\">" + E(W(v.lang, "contact")) +
                       "</th><th scope=\"col\">" + E(W(v.lang, "duration")) +
                       "</th><th scope=\"col\">" + E(W(v.lang, "language")) +
                       "</th><th scope=\"col\">" + E(W(v.lang, "recording")) + "</th></tr>\n";
    for (const Voicemail& m : *list) {
      std::string caller = "—";
      if (auto opened = d_.desk.vault->Open(m.caller_sealed)) caller = *opened;
      body += "<tr><td>" + E(FormatRfc3339(m.received_at)) + "</td><td>" + E(caller) + "</td><td>" +
              std::to_string(m.duration_seconds) + "</td><td>" + E(m.language) + "</td><td>" +
              E(m.recording_url) + "</td></tr>\n";
    }
    body += "</table>\n";
    return Html(req, bhttp::status::ok, v, W(v.lang, "voicemails"), body);
  }

  http::Response AuditPage(const http::Request& req, http::RequestContext&) {
    Visit v = Read(req);
    if (auto refused = Gate(req, v, {"audit:read"})) return std::move(*refused);
    const std::string kind = Field(v.query, "kind"), actor = Field(v.query, "actor");
    auto reader = d_.desk.store->BeginRead();
    if (!reader) return Failed(req, v, reader.error());
    auto last = (*reader)->audit().LastAuditEntry();
    if (!last) return Failed(req, v, last.error());
    const int64_t newest = *last ? (*last)->seq : 0;
    auto entries = (*reader)->audit().AuditEntriesAfter(std::max<int64_t>(0, newest - 5000), 5000);
    if (!entries) return Failed(req, v, entries.error());
    std::string body =
        "<form method=\"get\" action=\"/staff/audit\">\n<input type=\"hidden\" name=\"lang\" "
        "value=\"" +
        v.lang + "\">\n<label for=\"kind\">" + E(W(v.lang, "kind")) +
        "</label><input id=\"kind\" name=\"kind\" value=\"" + E(kind) +
        "\">\n<label for=\"actor\">" + E(W(v.lang, "actor")) +
        "</label><input id=\"actor\" name=\"actor\" value=\"" + E(actor) +
        "\">\n<p><button type=\"submit\">" + E(W(v.lang, "filter")) + "</button></p>\n</form>\n";
    body += "<table>\n<tr><th scope=\"col\">#</th><th scope=\"col\">" + E(W(v.lang, "when")) +
            "</th><th scope=\"col\">" + E(W(v.lang, "kind")) + "</th><th scope=\"col\">" +
            E(W(v.lang, "actor")) + "</th><th scope=\"col\">" + E(W(v.lang, "detail")) +
            "</th></tr>\n";
    int shown = 0;
    for (auto it = entries->rbegin(); it != entries->rend() && shown < 200; ++it) {
      if (!kind.empty() && it->kind != kind) continue;
      if (!actor.empty() && it->actor.find(actor) == std::string::npos) continue;
      ++shown;
      body += "<tr><td>" + std::to_string(it->seq) + "</td><td>" + E(FormatRfc3339(it->at)) +
              "</td><td>" + E(it->kind) + "</td><td>" + E(it->actor) + "</td><td>" + E(it->detail) +
              "</td></tr>\n";
    }
    body += "</table>\n";
    return Html(req, bhttp::status::ok, v, W(v.lang, "audit"), body);
  }

  StaffConsoleDependencies d_;
};

}  // namespace

void AddStaffConsole(http::Router& router, StaffConsoleDependencies deps) {
  // Each handler holds the console, so it lives as long as the router.
  std::make_shared<Console>(std::move(deps))->Register(router);
}

}  // namespace vigil::api
