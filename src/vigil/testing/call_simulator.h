// A phone call as a Twilio-compatible provider places it against vigil's
// voice webhooks, for tests of the hotline: it POSTs the provider's form
// fields (From, To, CallSid, AccountSid, Direction, CallStatus, Digits,
// DialCallStatus, RecordingUrl, RecordingDuration) over real HTTP, signs
// each with X-Twilio-Signature, parses the TwiML that comes back and plays
// it: <Say> is heard, <Play> and <Pause> noted, <Gather> takes the caller's
// next keys (or times out and goes on), <Redirect> is followed, <Dial>
// rings its <Number>s (each number's `url` is fetched as the callee's leg,
// as the provider announces a call to whoever answers) and reports
// DialCallStatus to its action, <Record> posts a recording to its action,
// <Hangup> ends the call, and so does running out of verbs.
//
// Signing uses notify::TwilioSignature; tests/peers/twilio_fake.py signs
// outbound calls' callbacks with its own implementation of the same
// algorithm, so the two are checked against each other there.
#ifndef VIGIL_TESTING_CALL_SIMULATOR_H_
#define VIGIL_TESTING_CALL_SIMULATOR_H_

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "vigil/net/http_client.h"
#include "vigil/notify/twilio_channel.h"

namespace vigil::testutil {

// One element of TwiML: a verb with its attributes, text and children.
struct TwimlNode {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;  // character data, unescaped
  std::vector<TwimlNode> children;
};

// Parses the TwiML `body` into its <Response>; false (and `error`) when it
// is not well-formed in the ways that matter (unbalanced tags, bad entity).
inline bool ParseTwiml(const std::string& body, TwimlNode* root, std::string* error) {
  auto unescape = [](std::string_view s, std::string* out) {
    out->clear();
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] != '&') {
        *out += s[i];
        continue;
      }
      size_t end = s.find(';', i);
      if (end == std::string_view::npos) return false;
      std::string_view e = s.substr(i + 1, end - i - 1);
      if (e == "amp")
        *out += '&';
      else if (e == "lt")
        *out += '<';
      else if (e == "gt")
        *out += '>';
      else if (e == "quot")
        *out += '"';
      else if (e == "apos" || e == "#39")
        *out += '\'';
      else
        return false;
      i = end;
    }
    return true;
  };
  std::vector<TwimlNode*> open;
  TwimlNode document;
  open.push_back(&document);
  size_t i = 0;
  if (body.compare(0, 5, "<?xml") == 0) i = body.find("?>") + 2;
  while (i < body.size()) {
    size_t lt = body.find('<', i);
    std::string text;
    if (!unescape(std::string_view(body).substr(i, lt - i), &text)) {
      *error = "bad entity";
      return false;
    }
    open.back()->text += text;
    if (lt == std::string::npos) break;
    size_t gt = body.find('>', lt);
    if (gt == std::string::npos) {
      *error = "unclosed tag";
      return false;
    }
    std::string tag = body.substr(lt + 1, gt - lt - 1);
    i = gt + 1;
    if (!tag.empty() && tag[0] == '/') {
      if (open.size() < 2 || open.back()->name != tag.substr(1)) {
        *error = "mismatched </" + tag.substr(1) + ">";
        return false;
      }
      open.pop_back();
      continue;
    }
    const bool self_closing = !tag.empty() && tag.back() == '/';
    if (self_closing) tag.pop_back();
    TwimlNode node;
    size_t p = tag.find_first_of(" \n\t");
    node.name = tag.substr(0, p);
    while (p != std::string::npos && p < tag.size()) {
      p = tag.find_first_not_of(" \n\t", p);
      if (p == std::string::npos) break;
      size_t eq = tag.find('=', p);
      if (eq == std::string::npos || eq + 1 >= tag.size() || tag[eq + 1] != '"') {
        *error = "bad attribute in <" + node.name + ">";
        return false;
      }
      size_t close = tag.find('"', eq + 2);
      if (close == std::string::npos) {
        *error = "unclosed attribute in <" + node.name + ">";
        return false;
      }
      std::string value;
      if (!unescape(std::string_view(tag).substr(eq + 2, close - eq - 2), &value)) {
        *error = "bad entity";
        return false;
      }
      node.attributes[tag.substr(p, eq - p)] = value;
      p = close + 1;
    }
    open.back()->children.push_back(std::move(node));
    if (!self_closing) open.push_back(&open.back()->children.back());
  }
  if (open.size() != 1 || document.children.size() != 1 ||
      document.children[0].name != "Response") {
    *error = "not one <Response>";
    return false;
  }
  *root = std::move(document.children[0]);
  return true;
}

class CallSimulator {
 public:
  struct Options {
    std::string from = "+12025550142";  // caller ID; "" or "anonymous" withholds it
    std::string to = "+18005550100";    // the number dialled
    // What the caller presses at each <Gather>, in order: digits and * and
    // # as typed ("#" ends a finishOnKey gather and is not sent); "" lets
    // it time out. When they run out, every further gather times out.
    std::vector<std::string> keys;
    std::string dial_status = "no-answer";  // what a <Dial> ends with
    int recording_seconds = 12;             // a <Record> made; 0: caller hangs up
  };

  struct Said {
    std::string text, language, voice;
  };
  struct Transcript {
    std::vector<Said> said;              // the caller heard, in order
    std::vector<std::string> whispered;  // said to the specialist who answered
    std::vector<std::string> dialled;    // numbers a <Dial> rang
    std::vector<std::string> urls;       // every URL requested, in order
    std::vector<int> statuses;           // the HTTP status of each
    std::vector<std::string> bodies;     // each TwiML document, verbatim
    bool hung_up = false;                // by a <Hangup/>
    bool recorded = false;               // a <Record> was made
    std::string error;                   // a malformed answer or a loop
    // Everything said, joined by spaces (for EXPECT_THAT ... HasSubstr).
    std::string Heard() const {
      std::string out;
      for (const Said& s : said) out += (out.empty() ? "" : " ") + s.text;
      return out;
    }
  };

  CallSimulator(std::string base_url, std::string auth_token)
      : base_(std::move(base_url)), token_(std::move(auth_token)) {}

  // Places a call to `entry` (a path, e.g. "/api/v1/voice/hotline").
  Transcript Call(const std::string& entry, Options options) const {
    Transcript t;
    std::deque<std::string> keys(options.keys.begin(), options.keys.end());
    const std::string sid = "CA" + std::to_string(++calls_);
    std::string url = base_ + entry;
    std::map<std::string, std::string> extra;
    for (int turn = 0; turn < 60; ++turn) {
      TwimlNode response;
      if (!Request(url, extra, options, sid, &t, &response)) return t;
      extra.clear();
      std::string next;
      if (!Play(response, options, keys, &t, &next, &extra)) return t;
      if (next.empty()) return t;  // hung up, or ran out of verbs
      url = next;
    }
    t.error = "more than 60 turns";
    return t;
  }

  // One signed POST of the provider's fields (and `extra`) to `url`.
  Result<net::HttpResponse> Post(const std::string& url,
                                 std::map<std::string, std::string> fields) const {
    net::HttpRequest req;
    req.url = url;
    std::string body;
    for (const auto& [k, v] : fields) {
      body += (body.empty() ? "" : "&") + net::UrlEscape(k) + "=" + net::UrlEscape(v);
    }
    req.body = body;
    req.headers = {"Content-Type: application/x-www-form-urlencoded",
                   "X-Twilio-Signature: " + notify::TwilioSignature(token_, url, fields)};
    return net::Fetch(req);
  }

 private:
  bool Request(const std::string& url, const std::map<std::string, std::string>& extra,
               const Options& o, const std::string& sid, Transcript* t, TwimlNode* out) const {
    std::map<std::string, std::string> fields{{"AccountSid", "AC00000000000000000000000000000001"},
                                              {"CallSid", sid},
                                              {"From", o.from},
                                              {"To", o.to},
                                              {"Direction", "inbound"},
                                              {"CallStatus", "in-progress"}};
    for (const auto& [k, v] : extra) fields[k] = v;
    auto res = Post(url, fields);
    t->urls.push_back(url);
    if (!res) {
      t->statuses.push_back(0);
      t->error = res.error().ToString();
      return false;
    }
    t->statuses.push_back(static_cast<int>(res->status));
    t->bodies.push_back(res->body);
    if (res->status != 200) {
      t->error = "HTTP " + std::to_string(res->status);
      return false;
    }
    std::string why;
    if (!ParseTwiml(res->body, out, &why)) {
      t->error = "malformed TwiML: " + why;
      return false;
    }
    return true;
  }

  // Plays `response`; sets `next` to the URL the call goes on at (empty
  // when it ends), with `extra` fields for that request.
  bool Play(const TwimlNode& response, const Options& o, std::deque<std::string>& keys,
            Transcript* t, std::string* next, std::map<std::string, std::string>* extra) const {
    auto say = [&](const TwimlNode& n, std::vector<Said>* into) {
      auto lang = n.attributes.find("language");
      auto voice = n.attributes.find("voice");
      into->push_back({n.text, lang == n.attributes.end() ? "" : lang->second,
                       voice == n.attributes.end() ? "" : voice->second});
    };
    for (const TwimlNode& verb : response.children) {
      if (verb.name == "Say") {
        say(verb, &t->said);
      } else if (verb.name == "Play" || verb.name == "Pause") {
        t->said.push_back({"[" + verb.name + "]", "", ""});
      } else if (verb.name == "Gather") {
        for (const TwimlNode& inner : verb.children) {
          if (inner.name == "Say") say(inner, &t->said);
        }
        std::string pressed;
        if (!keys.empty()) {
          pressed = keys.front();
          keys.pop_front();
        }
        if (pressed.empty()) continue;  // timed out: on to the next verb
        auto finish = verb.attributes.find("finishOnKey");
        if (finish != verb.attributes.end() && !pressed.empty() &&
            pressed.back() == finish->second[0]) {
          pressed.pop_back();
        }
        *next = Action(verb);
        (*extra)["Digits"] = pressed;
        return true;
      } else if (verb.name == "Redirect") {
        *next = verb.text;
        return true;
      } else if (verb.name == "Dial") {
        for (const TwimlNode& number : verb.children) {
          if (number.name != "Number") continue;
          t->dialled.push_back(number.text);
          auto leg = number.attributes.find("url");
          if (o.dial_status == "completed" && leg != number.attributes.end()) {
            TwimlNode whisper;
            Transcript side;
            if (!Request(leg->second, {}, o, "CA-leg", &side, &whisper)) {
              t->error = "the specialist's leg: " + side.error;
              return false;
            }
            for (const TwimlNode& w : whisper.children) {
              if (w.name == "Say") t->whispered.push_back(w.text);
            }
          }
        }
        if (verb.attributes.count("action")) {
          *next = Action(verb);
          (*extra)["DialCallStatus"] = o.dial_status;
          return true;
        }
      } else if (verb.name == "Record") {
        if (o.recording_seconds <= 0) return true;  // the caller hung up
        t->recorded = true;
        *next = Action(verb);
        (*extra)["RecordingUrl"] = "https://api.twilio.test/Recordings/RE1";
        (*extra)["RecordingDuration"] = std::to_string(o.recording_seconds);
        return true;
      } else if (verb.name == "Hangup") {
        t->hung_up = true;
        return true;
      } else {
        t->error = "unknown verb <" + verb.name + ">";
        return false;
      }
    }
    return true;
  }

  std::string Action(const TwimlNode& verb) const {
    auto it = verb.attributes.find("action");
    return it == verb.attributes.end() ? "" : it->second;
  }

  std::string base_, token_;
  mutable int calls_ = 0;
};

}  // namespace vigil::testutil

#endif  // VIGIL_TESTING_CALL_SIMULATOR_H_
