#include "vigil/notify/messages.h"

namespace vigil::notify {
namespace {

bool Spanish(const std::string& language) { return language == "es"; }

std::string BasisText(bool es, CustodyBasis basis) {
  switch (basis) {
    case CustodyBasis::kCivilImmigration:
      return es ? "detenido por un asunto migratorio civil, sin cargos penales"
                : "held for a civil immigration matter, not charged with a crime";
    case CustodyBasis::kCriminalCharge:
      return es ? "acusado de un delito, sin condena" : "charged with a crime, not convicted";
    case CustodyBasis::kCriminalConviction:
      return es ? "condenado por un delito" : "convicted of a crime";
  }
  return es ? "motivo desconocido" : "reason unknown";
}

std::string StatusText(bool es, CustodyStatus status) {
  switch (status) {
    case CustodyStatus::kInCustody:
      return es ? "está bajo custodia" : "is in custody";
    case CustodyStatus::kReleased:
      return es ? "fue puesto en libertad" : "has been released";
    case CustodyStatus::kRemoved:
      return es ? "fue deportado (expulsado del país)" : "has been removed from the country";
    case CustodyStatus::kEscaped:
      return es ? "se ha fugado de la custodia" : "has escaped from custody";
    case CustodyStatus::kDeceased:
      return es ? "ha fallecido" : "has died";
  }
  return "";
}

std::string Headline(bool es, const std::string& kind) {
  if (kind == "transferred") return es ? "Traslado" : "Transfer";
  if (kind == "released") return es ? "Puesta en libertad" : "Release";
  if (kind == "removed") return es ? "Deportación" : "Removal";
  if (kind == "escaped") return es ? "Fuga" : "Escape";
  if (kind == "deceased") return es ? "Fallecimiento" : "Death";
  if (kind == "booked" || kind == "returned") return es ? "Ingreso en custodia" : "Booking";
  return es ? "Cambio de custodia" : "Custody change";
}

}  // namespace

RenderedMessage RenderVerification(const std::string& language, const std::string& verify_url) {
  const bool es = Spanish(language);
  RenderedMessage m;
  m.subject = es ? "Confirme su registro en vigil" : "Confirm your vigil registration";
  m.body = es ? "Alguien (esperamos que usted) pidió recibir avisos de custodia en esta dirección.\n"
                "Para confirmarlo, abra este enlace en las próximas 24 horas:\n\n" +
                    verify_url +
                    "\n\nSi no fue usted, ignore este mensaje: no recibirá nada más.\n"
                    "Si está en peligro, llame al 911.\n"
              : "Someone (we hope you) asked for custody notices at this address.\n"
                "To confirm, open this link within 24 hours:\n\n" +
                    verify_url +
                    "\n\nIf it was not you, ignore this message: nothing more will be sent.\n"
                    "If you are in danger, call 911.\n";
  return m;
}

RenderedMessage RenderCustodyNotice(const std::string& language, const std::string& kind,
                                    const policy::DisclosedSubject& s,
                                    const std::string& unsubscribe_url) {
  const bool es = Spanish(language);
  RenderedMessage m;
  m.subject = "vigil: " + Headline(es, kind) + " — " + s.name();
  std::string when = FormatRfc3339(s.updated_at()).substr(0, 16);
  when[10] = ' ';
  m.body = s.name() + " " + StatusText(es, s.custody_status()) + ".\n";
  if (s.facility()) {
    const auto& f = *s.facility();
    m.body += (es ? "Centro: " : "Facility: ") + f.name() + ", " + f.city() + ", " + f.state();
    if (!f.phone().empty()) m.body += (es ? " (tel. " : " (phone ") + f.phone() + ")";
    m.body += "\n";
  }
  m.body += (es ? "Situación: " : "Basis: ") + BasisText(es, s.custody_basis()) + "\n";
  m.body += (es ? "Actualizado: " : "Updated: ") + when + " UTC\n\n";
  m.body += es ? "Si está en peligro, llame al 911. Línea Nacional contra la Violencia Doméstica: "
                 "1-800-799-7233.\n"
               : "If you are in danger, call 911. National Domestic Violence Hotline: "
                 "1-800-799-7233.\n";
  m.body += (es ? "Para dejar de recibir estos avisos: " : "To stop these notices: ") +
            unsubscribe_url + "\n";
  return m;
}

}  // namespace vigil::notify
