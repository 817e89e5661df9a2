#!/usr/bin/env bash
# Scale-out on one machine: searches/s (wrk, GET /api/v1/search by name) from
#   - one `vigil serve` on SQLite (the baseline, same data),
#   - one `vigil serve --no-worker` on PostgreSQL,
#   - two of them on the same database behind haproxy (round robin);
# and takedown-to-absent across nodes: an agency protects a person through
# node A, and the time until node B answers as if the person did not exist
# (p50, p99 over N people). Everything on loopback, in a temporary directory;
# PostgreSQL is a throwaway cluster with fsync and synchronous_commit on.
#
#   bench/scale_bench.sh [SUBJECTS] [SECONDS] [TAKEDOWNS]   (default 100000, 10, 200)
#
# On a 2-core machine the two nodes, haproxy, PostgreSQL and wrk share the
# same two cores: the figure shows the cost of the extra hop and the shared
# database, not the gain of a second machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/http_common.sh
source bench/pg_common.sh
subjects=${1:-100000}
seconds=${2:-10}
takedowns=${3:-200}
vigil=$PWD/build/src/vigil/app/vigil
for tool in "$vigil" /usr/bin/wrk /usr/sbin/haproxy "$pgbin/initdb"; do
  [[ -x $tool ]] || { echo "scale_bench: $tool is missing (build, or scripts/setup)" >&2; exit 2; }
done

pg_work_start
url="postgresql://postgres@127.0.0.1:$pgport/postgres"

export VIGIL_SECRETS_KEY_FILE=$work/secret.key VIGIL_LIMITS_SEARCH_PER_MINUTE=0
cd "$work"
"$vigil" demo-data --subjects "$subjects" --seed 3 --as-of 2026-11-22 --out "$work/feed" >/dev/null
"$vigil" --db "$work/v.db" --create import -q "$work/feed/facilities.jsonl" "$work/feed/events.jsonl" >/dev/null
"$vigil" secrets init >/dev/null
"$vigil" migrate --from "sqlite:$work/v.db" --to "$url" >/dev/null 2>&1
token=$("$vigil" --db "$url" keys create --name bench --scope subjects:protect 2>/dev/null)
query=$(name_query "$work/feed/events.jsonl")

serve() {  # serve PORT DB [flags...] -> starts a node
  local port=$1 db=$2
  shift 2
  "$vigil" --db "$db" serve --listen "127.0.0.1:$port" "$@" 2>/dev/null &
  pids+=($!)
  wait_http "http://127.0.0.1:$port/healthz"
}

sqlite_port=$(free_port) a=$(free_port) b=$(free_port) lb=$(free_port)
serve "$sqlite_port" "$work/v.db"
read -r sqlite_rps sqlite_p99 < <(run_wrk "http://127.0.0.1:$sqlite_port/api/v1/search?$query")
kill "${pids[-1]}"
serve "$a" "$url" --no-worker
read -r one_rps one_p99 < <(run_wrk "http://127.0.0.1:$a/api/v1/search?$query")
serve "$b" "$url" --no-worker
cat >"$work/haproxy.cfg" <<CFG
global
  maxconn 4096
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
frontend vigil
  bind 127.0.0.1:$lb
  default_backend nodes
backend nodes
  balance roundrobin
  http-reuse always
  server a 127.0.0.1:$a
  server b 127.0.0.1:$b
CFG
/usr/sbin/haproxy -f "$work/haproxy.cfg" -db >/dev/null 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$lb/healthz"
read -r two_rps two_p99 < <(run_wrk "http://127.0.0.1:$lb/api/v1/search?$query")

# Takedown across nodes: protect through A, ask B until the person is gone.
takedown=$(/usr/bin/python3 - "$work/feed/events.jsonl" "$a" "$b" "$token" "$takedowns" <<'PY'
import json, sys, time, urllib.error, urllib.request
def open_(req):
    try:
        return urllib.request.urlopen(req)
    except urllib.error.HTTPError as e:
        sys.exit("scale_bench: %s -> %d %s" % (getattr(req, "full_url", req), e.code, e.read()[:300]))
events, a, b, token, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
people = []
with open(events) as f:
    seen = set()
    for line in f:
        e = json.loads(line)
        s = e["subject"]
        if s["a_number"] in seen or e["protections"]:
            continue
        seen.add(s["a_number"])
        digits = "".join(c for c in s["a_number"] if c.isdigit()).rjust(9, "0")
        people.append((digits, s["country_of_birth"]))
def search(port, a_number, country):
    url = "http://127.0.0.1:%s/api/v1/search?a_number=%s&country_of_birth=%s" % (port, a_number, country)
    with open_(url) as r:
        return json.loads(r.read())["results"]
times, tried = [], 0
for a_number, country in people:
    if len(times) == n or tried > 20 * n:
        break
    tried += 1
    if not search(b, a_number, country):
        continue  # not public (a minor, released long ago): nothing to take down
    start = time.perf_counter()
    req = urllib.request.Request(
        "http://127.0.0.1:%s/api/v1/agency/subjects/%s/protections" % (a, a_number),
        data=json.dumps({"protections": ["sec1367"], "reason": "bench",
                         "legal_basis": "8 U.S.C. 1367"}).encode(), method="PUT",
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    open_(req).read()
    polls = 0
    while search(b, a_number, country):
        polls += 1
    times.append(((time.perf_counter() - start) * 1000, polls))
ms = sorted(t for t, _ in times)
stale = sum(1 for _, p in times if p > 0)
print("%d %.2f %.2f %d" % (len(ms), ms[len(ms) // 2], ms[min(len(ms) - 1, int(len(ms) * 0.99))], stale))
PY
)
read -r td_n td_p50 td_p99 td_stale <<<"$takedown"

ratio() { /usr/bin/python3 -c "print(f'{$1/$2:.2f}')"; }
echo "scale: searches/s over $subjects people, wrk -t2 -c32 ${seconds}s:"
echo "scale:   1 node on SQLite      ${sqlite_rps}/s (p99 ${sqlite_p99} ms)  (baseline)"
echo "scale:   1 node on PostgreSQL  ${one_rps}/s (p99 ${one_p99} ms)  ratio $(ratio "$one_rps" "$sqlite_rps")"
echo "scale:   2 nodes + haproxy     ${two_rps}/s (p99 ${two_p99} ms)  ratio $(ratio "$two_rps" "$sqlite_rps")"
echo "scale: takedown through node A -> absent on node B, $td_n people: p50 ${td_p50} ms, p99 ${td_p99} ms; answers from B still showing the person after A's 200: $td_stale"
