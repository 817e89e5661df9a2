#!/usr/bin/env bash
# Hotline throughput and latency: wrk POSTing signed Twilio-shaped requests
# to `vigil serve`'s hotline (docs/hotline.md) beside wrk against nginx
# serving a small static file, on the same machine in the same run.
#
# Four hotline requests, each replayed by wrk (the signature is over the
# URL and form, so one signed request can be sent again and again):
#   entry    POST /api/v1/voice/hotline            (the welcome and menu)
#   found    POST .../hotline/person?a=A&c=52      (a person the public may see)
#   withheld POST .../hotline/person?a=B&c=52      (a protected person)
#   nobody   POST .../hotline/person?a=199999999&c=52
# withheld and nobody must answer alike: same bytes (checked here) and the
# same latency (their p50 and p99 are printed side by side).
#
#   bench/hotline_bench.sh [SUBJECTS] [SECONDS]     (default 100000, 10)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/http_common.sh
subjects=${1:-100000}
seconds=${2:-10}
start_demo_store "$subjects"

# A person the public may see and a protected one, both born in Mexico
# (calling code 52): the visible one is in `vigil export` (the public
# fields only, so matched by name, birth year and country).
VIGIL_SECRETS_KEY_FILE="$work/secret.key" "$vigil" --db "$work/v.db" export --out "$work/public.csv"
read -r found withheld < <(/usr/bin/python3 - "$work/feed/events.jsonl" "$work/public.csv" <<'PY'
import csv, json, sys
public = {(r["name"], r["birth_year"], r["country_of_birth"]) for r in csv.DictReader(open(sys.argv[2]))}
found = withheld = None
for line in open(sys.argv[1]):
    e = json.loads(line)
    s = e.get("subject") or {}
    if s.get("country_of_birth") != "MX":
        continue
    a = s["a_number"].replace("A", "").replace("-", "")
    name = " ".join((s["given_names"] + " " + s["family_names"]).split())
    year = (s.get("date_of_birth") or "")[:4]
    if e.get("protections") and withheld is None:
        withheld = a
    if not e.get("protections") and found is None and (name, year, "MX") in public:
        found = a
    if found and withheld:
        break
print(found, withheld)
PY
)

token=bench-hotline-token
vport=$(free_port)
base="http://127.0.0.1:$vport"
VIGIL_LIMITS_SEARCH_PER_MINUTE=0 VIGIL_SECRETS_KEY_FILE="$work/secret.key" \
  VIGIL_TWILIO_AUTH_TOKEN=$token VIGIL_SERVER_PUBLIC_URL=$base \
  VIGIL_HOTLINE_NUMBERS="+18005550100=en" \
  "$vigil" --db "$work/v.db" serve --listen "127.0.0.1:$vport" 2>/dev/null &
pids+=($!)
wait_http "$base/healthz"

start_nginx  # sets nport

# A wrk script that replays one signed POST (Twilio's signature: HMAC-SHA1,
# keyed by the auth token, of the URL then each form field's name and
# value sorted by name; base64) — signed here, independently of vigil.
signed() {  # NAME PATH_AND_QUERY
  /usr/bin/python3 - "$token" "$base$2" "$work/$1.lua" "$work/$1.body" <<'PY'
import base64, hashlib, hmac, sys, urllib.parse
token, url, lua, body_file = sys.argv[1:5]
form = {"AccountSid": "AC00000000000000000000000000000001", "CallSid": "CAbench",
        "From": "+12025550142", "To": "+18005550100", "Direction": "inbound",
        "CallStatus": "in-progress"}
data = url + "".join(k + form[k] for k in sorted(form))
sig = base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()
body = urllib.parse.urlencode(form)
open(body_file, "w").write(body)
open(lua, "w").write(
    'wrk.method = "POST"\n'
    f'wrk.body = "{body}"\n'
    'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
    f'wrk.headers["X-Twilio-Signature"] = "{sig}"\n')
print(sig)
PY
}
# "requests/s p50_ms p99_ms" for a signed POST to PATH.
run_post() {  # NAME PATH
  local sig
  sig=$(signed "$1" "$2")
  wrk -t2 -c32 -d"${seconds}s" --latency -s "$work/$1.lua" "$base$2" | awk '
    function ms(v) { if (v ~ /us$/) {sub(/us/,"",v); return v/1000} if (v ~ /ms$/) {sub(/ms/,"",v); return v} sub(/s/,"",v); return v*1000 }
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=ms($2)}
    /^ +99%/ {p99=ms($2)}
    /Non-2xx/ {bad=$NF}
    END {if (bad) {print "non-2xx answers: " bad > "/dev/stderr"; exit 1}; printf "%.0f %.3f %.3f\n", rps, p50, p99}'
}
body_of() {  # PATH: the TwiML one signed POST gets
  local sig
  sig=$(signed once "$1")
  curl -s -X POST -H "X-Twilio-Signature: $sig" -H "Content-Type: application/x-www-form-urlencoded" \
    --data-binary @"$work/once.body" "$base$1"
}

person="/api/v1/voice/hotline/person?l=en"
echo "found: $(body_of "$person&a=$found&c=52" | grep -o '<Say[^>]*>[^<]*' | sed 's/<Say[^>]*>//' | head -1)"
if [[ "$(body_of "$person&a=$withheld&c=52")" != "$(body_of "$person&a=199999999&c=52")" ]]; then
  echo "hotline: a withheld person's answer differs from nobody's" >&2
  exit 1
fi
echo "withheld ($withheld) and nobody: the same TwiML bytes"

read -r nginx_rps nginx_p50 nginx_p99 < <(wrk -t2 -c32 -d"${seconds}s" --latency "http://127.0.0.1:$nport/static.json" | awk '
    function ms(v) { if (v ~ /us$/) {sub(/us/,"",v); return v/1000} if (v ~ /ms$/) {sub(/ms/,"",v); return v} sub(/s/,"",v); return v*1000 }
    /Requests\/sec/ {rps=$2} /^ +50%/ {p50=ms($2)} /^ +99%/ {p99=ms($2)}
    END {printf "%.0f %.3f %.3f\n", rps, p50, p99}')
read -r entry_rps entry_p50 entry_p99 < <(run_post entry "/api/v1/voice/hotline")
read -r found_rps found_p50 found_p99 < <(run_post found "$person&a=$found&c=52")
read -r held_rps held_p50 held_p99 < <(run_post withheld "$person&a=$withheld&c=52")
read -r none_rps none_p50 none_p99 < <(run_post nobody "$person&a=199999999&c=52")
ratio() { python3 -c "print(f'{$1/$nginx_rps:.3f}')"; }
echo "nginx static: ${nginx_rps} req/s (p50 ${nginx_p50} ms, p99 ${nginx_p99} ms)"
echo "hotline entry:    ${entry_rps} req/s (p50 ${entry_p50} ms, p99 ${entry_p99} ms); ratio $(ratio "$entry_rps")"
echo "hotline found:    ${found_rps} req/s (p50 ${found_p50} ms, p99 ${found_p99} ms); ratio $(ratio "$found_rps")"
echo "hotline withheld: ${held_rps} req/s (p50 ${held_p50} ms, p99 ${held_p99} ms); ratio $(ratio "$held_rps")"
echo "hotline nobody:   ${none_rps} req/s (p50 ${none_p50} ms, p99 ${none_p99} ms); ratio $(ratio "$none_rps")"
