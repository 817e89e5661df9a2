"""A Twilio-shaped peer for tests: the REST API for calls and messages, and
the callee's side of each call, on 127.0.0.1.

Usage: /usr/bin/python3 twilio_fake.py PORT ACCOUNT_SID AUTH_TOKEN DIR

REST (HTTP basic auth ACCOUNT_SID:AUTH_TOKEN, else 401):
  POST /2010-04-01/Accounts/{sid}/Calls.json     To, From, Url, StatusCallback
  POST /2010-04-01/Accounts/{sid}/Messages.json  To, From, Body, StatusCallback
Both answer 201 with {"sid": ...}; a To that is not E.164 gets 400 (code 21211).

Each call is then played out on a thread, as Twilio would: the callee does what
the next line of DIR/behaviour says (lines are consumed in order; when none is
left, "answer"):
  no-answer            StatusCallback with CallStatus=no-answer
  busy                 StatusCallback with CallStatus=busy
  answer               fetch Url, follow the TwiML; every <Gather> times out
  answer-pin DIGITS... fetch Url, answer each <Gather> with the next DIGITS
Every request to the application (Url, Gather actions, StatusCallback) is
POSTed with Twilio's form parameters and signed with X-Twilio-Signature:
base64(HMAC-SHA1(AUTH_TOKEN, URL + each parameter name and value, sorted by
name)). Each finished call is appended to DIR/calls.jsonl as
{"sid","to","from","behaviour","said":[...],"statuses":[...]}, and each message
to DIR/messages.jsonl as {"sid","to","from","body"} (a StatusCallback with
MessageStatus=delivered follows it). Written with Python's standard library only.
"""
import base64, hashlib, hmac, http.server, itertools, json, os, sys, threading
import urllib.parse, urllib.request, xml.etree.ElementTree as ET

port, account_sid, auth_token, out_dir = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
lock = threading.Lock()
seq = itertools.count(1)


def signature(url, params):
    data = url + "".join(k + params[k] for k in sorted(params))
    mac = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


def post(url, params):
    body = urllib.parse.urlencode(params).encode()
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": signature(url, params)})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError as e:
        return 0, str(e)


def next_behaviour():
    path = os.path.join(out_dir, "behaviour")
    with lock:
        try:
            with open(path) as f:
                lines = [l.strip() for l in f if l.strip()]
        except FileNotFoundError:
            lines = []
        if not lines:
            return "answer"
        with open(path, "w") as f:
            f.write("".join(l + "\n" for l in lines[1:]))
        return lines[0]


def append(name, record):
    with lock, open(os.path.join(out_dir, name), "a") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")


def play(call):
    behaviour = next_behaviour()
    words = behaviour.split()
    digits = words[1:] if words[0] == "answer-pin" else []
    base = {"AccountSid": account_sid, "CallSid": call["sid"], "From": call["from"],
            "To": call["to"], "Direction": "outbound-api", "ApiVersion": "2010-04-01"}
    said, statuses = [], []
    if words[0] in ("no-answer", "busy"):
        final = words[0]
    else:
        final = "completed"
        status, twiml = post(call["url"], dict(base, CallStatus="in-progress"))
        statuses.append(status)
        # Follow the TwiML as Twilio does: verbs in order; a <Gather> that gets
        # digits posts them to its action and continues with the answer.
        while twiml is not None:
            try:
                root = ET.fromstring(twiml)
            except ET.ParseError:
                said.append("<unparseable TwiML>")
                break
            next_twiml = None
            for verb in root:
                if verb.tag == "Say":
                    said.append(verb.text or "")
                elif verb.tag == "Gather":
                    for inner in verb:
                        if inner.tag == "Say":
                            said.append(inner.text or "")
                    if digits:
                        action = urllib.parse.urljoin(call["url"], verb.get("action"))
                        status, next_twiml = post(action, dict(base, CallStatus="in-progress",
                                                               Digits=digits.pop(0)))
                        statuses.append(status)
                        break
                elif verb.tag == "Hangup":
                    break
            twiml = next_twiml
    if call.get("status_callback"):
        status, _ = post(call["status_callback"], dict(base, CallStatus=final, CallDuration="30"))
        statuses.append(status)
    append("calls.jsonl", {"sid": call["sid"], "to": call["to"], "from": call["from"],
                           "behaviour": behaviour, "said": said, "statuses": statuses,
                           "idempotency_token": call["idempotency_token"]})


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()}
        expected = "Basic " + base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self.reply(401, {"code": 20003, "message": "Authenticate"})
        prefix = f"/2010-04-01/Accounts/{account_sid}/"
        to = form.get("To", "")
        if not to.startswith("+") or not to[1:].isdigit():
            return self.reply(400, {"code": 21211, "message": "Invalid 'To' Phone Number"})
        if self.path == prefix + "Calls.json":
            call = {"sid": "CA%032d" % next(seq), "to": to, "from": form.get("From", ""),
                    "url": form.get("Url", ""), "status_callback": form.get("StatusCallback"),
                    "idempotency_token": self.headers.get("I-Twilio-Idempotency-Token", "")}
            threading.Thread(target=play, args=(call,), daemon=True).start()
            return self.reply(201, {"sid": call["sid"], "status": "queued"})
        if self.path == prefix + "Messages.json":
            sid = "SM%032d" % next(seq)
            append("messages.jsonl", {"sid": sid, "to": to, "from": form.get("From", ""),
                                      "body": form.get("Body", "")})
            callback = form.get("StatusCallback")
            if callback:
                threading.Thread(target=post, daemon=True, args=(callback, {
                    "AccountSid": account_sid, "MessageSid": sid, "To": to,
                    "MessageStatus": "delivered"})).start()
            return self.reply(201, {"sid": sid, "status": "queued"})
        return self.reply(404, {"code": 20404, "message": "Not found"})


os.makedirs(out_dir, exist_ok=True)
http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
