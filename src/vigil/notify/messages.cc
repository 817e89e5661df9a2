#include "vigil/notify/messages.h"

#include <cctype>

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

std::string RenderSmsVerification(const std::string& language, const std::string& code,
                                  const std::string& verify_url) {
  if (Spanish(language)) {
    return "vigil: su código es " + code + ". O confirme en " + verify_url +
           " . Si no lo pidió, ignore este mensaje. ¿En peligro? Llame al 911.";
  }
  return "vigil: your code is " + code + ". Or confirm at " + verify_url +
         " . Not you? Ignore this. In danger? Call 911.";
}

std::string RenderSmsNotice(const std::string& language, const std::string& kind,
                            const policy::DisclosedSubject& s) {
  const bool es = Spanish(language);
  std::string text = "vigil: " + s.name() + " " + StatusText(es, s.custody_status());
  if (s.facility()) {
    const auto& f = *s.facility();
    text += es ? " (centro: " : " (facility: ";
    text += f.name() + ", " + f.city() + ", " + f.state() + ")";
  }
  text += ". " + BasisText(es, s.custody_basis()) + ". ";
  (void)kind;  // the status says what happened; the event type adds nothing in 1 part
  text += es ? "¿En peligro? Llame al 911. Responda STOP para no recibir más."
             : "In danger? Call 911. Reply STOP to end.";
  return text;
}

SmsKeyword ParseSmsKeyword(std::string_view text) {
  size_t start = 0;
  while (start < text.size() && (text[start] == ' ' || text[start] == '\n' || text[start] == '\r' ||
                                 text[start] == '\t')) {
    ++start;
  }
  std::string word;
  for (size_t i = start; i < text.size() && word.size() < 16; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (!std::isalpha(c)) break;
    word += static_cast<char>(std::toupper(c));
  }
  for (const char* w : {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "PARAR", "BAJA"}) {
    if (word == w) return SmsKeyword::kStop;
  }
  for (const char* w : {"START", "UNSTOP", "ALTA"}) {
    if (word == w) return SmsKeyword::kStart;
  }
  return SmsKeyword::kHelp;
}

std::string SmsKeywordReply(SmsKeyword keyword, const std::string& language, int64_t changed) {
  const bool es = Spanish(language);
  switch (keyword) {
    case SmsKeyword::kStop:
      return es ? "vigil: no recibirá más mensajes de nosotros. Responda START para volver a "
                  "recibirlos. ¿En peligro? Llame al 911."
                : "vigil: you will get no more messages from us. Reply START to resume. In "
                  "danger? Call 911.";
    case SmsKeyword::kStart:
      if (changed == 0) {
        return es ? "vigil: no hay avisos que reanudar para este número. Regístrese de nuevo en "
                    "la web."
                  : "vigil: there are no notices to resume for this number. Register again on "
                    "the web.";
      }
      return es ? "vigil: volverá a recibir avisos de custodia. Responda STOP para terminar."
                : "vigil: custody notices will resume. Reply STOP to end.";
    case SmsKeyword::kHelp:
      break;
  }
  return es ? "vigil: avisos de custodia para víctimas. Responda STOP para terminar, START para "
              "reanudar. ¿En peligro? Llame al 911."
            : "vigil: custody notices for victims. Reply STOP to end, START to resume. In "
              "danger? Call 911.";
}

std::string RenderVoiceVerification(const std::string& language, const std::string& code) {
  // Digits one by one, so that they are read as digits, twice.
  std::string spoken;
  for (char c : code) {
    if (!spoken.empty()) spoken += ", ";
    spoken += c;
  }
  if (Spanish(language)) {
    return "Le llama vigil. Su código es: " + spoken + ". Repito: " + spoken +
           ". Escríbalo en la página de vigil para confirmar su registro. Si no lo pidió, no "
           "haga nada. Adiós.";
  }
  return "This is vigil. Your code is: " + spoken + ". Again: " + spoken +
         ". Enter it on the vigil web page to confirm your registration. If you did not ask for "
         "this, do nothing. Goodbye.";
}

std::string RenderVoiceNotice(const std::string& language, const std::string& kind,
                              const policy::DisclosedSubject& s) {
  const bool es = Spanish(language);
  std::string text = es ? "Aviso de custodia. " : "Custody notice. ";
  text += s.name() + " " + StatusText(es, s.custody_status());
  if (s.facility()) {
    const auto& f = *s.facility();
    text += (es ? ", en " : ", at ") + f.name() + ", " + f.city() + ", " + f.state();
  }
  text += ". " + BasisText(es, s.custody_basis()) + ". ";
  (void)kind;
  text += es ? "Si está en peligro, llame al 9 1 1." : "If you are in danger, call 9 1 1.";
  return text;
}

std::string VoiceText(const std::string& language, VoicePrompt prompt) {
  const bool es = Spanish(language);
  switch (prompt) {
    case VoicePrompt::kAskPin:
      return es ? "Le llama vigil con un mensaje para usted. Marque su PIN de cuatro dígitos."
                : "This is vigil, with a message for you. Please enter your four-digit PIN.";
    case VoicePrompt::kWrongPin:
      return es ? "Ese PIN no es correcto. Marque su PIN de cuatro dígitos."
                : "That PIN is not right. Please enter your four-digit PIN.";
    case VoicePrompt::kNoPin:
      return es ? "No recibimos su PIN. Le llamaremos más tarde. Adiós."
                : "We did not receive your PIN. We will call again later. Goodbye.";
    case VoicePrompt::kNothingNow:
      return es ? "No hay ningún mensaje para usted en este momento. Adiós."
                : "There is no message for you at this time. Goodbye.";
    case VoicePrompt::kMenu:
      return es ? "Para escucharlo otra vez, marque 1. Para no recibir más llamadas, marque 9."
                : "To hear this again, press 1. To stop these calls, press 9.";
    case VoicePrompt::kStopped:
      return es ? "No recibirá más llamadas de vigil. Adiós."
                : "You will get no more calls from vigil. Goodbye.";
    case VoicePrompt::kGoodbye:
      break;
  }
  return es ? "Adiós." : "Goodbye.";
}

std::string VoiceLanguage(const std::string& language) {
  return Spanish(language) ? "es-MX" : "en-US";
}

}  // namespace vigil::notify
