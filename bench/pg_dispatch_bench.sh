#!/usr/bin/env bash
# Dispatch on PostgreSQL: N notices (default 10,000) queued by one import for
# verified registrants, sent to a real SMTP server (aiosmtpd) by one `vigil
# worker`, then the same again by two, each on a fresh copy of the queue.
# Prints notices/s for each and their ratio. Loopback only; PostgreSQL is a
# throwaway cluster with fsync and synchronous_commit on.
#
#   bench/pg_dispatch_bench.sh [NOTICES]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/http_common.sh
source bench/pg_common.sh
notices=${1:-10000}
people=$((notices / 5))
vigil=$PWD/build/src/vigil/app/vigil
peers=$PWD/tests/peers
[[ -x $vigil ]] || { echo "build vigil first" >&2; exit 2; }

pg_work_start
url="postgresql://postgres@127.0.0.1:$pgport/queued"
export VIGIL_SECRETS_KEY_FILE=$work/secret.key
cd "$work"
"$pgbin/psql" -q "$admin dbname=postgres" -c "CREATE DATABASE queued"
"$vigil" secrets init >/dev/null
"$vigil" --db "$url" migrate >/dev/null 2>&1
enrol=$("$vigil" --db "$url" keys create --name enrol --scope victims:enrol 2>/dev/null)
/usr/bin/python3 - "$work" "$people" <<'PY'
import json, sys
work, n = sys.argv[1], int(sys.argv[2])
with open(work + "/facility.jsonl", "w") as f:
    f.write(json.dumps({"record": "facility", "facility_id": "ADL", "name": "Adelanto",
                        "city": "Adelanto", "state": "CA"}) + "\n")
for kind, at in (("booked", "2026-11-10T00:00:00Z"), ("transferred", "2026-11-20T00:00:00Z")):
    with open("%s/%s.jsonl" % (work, kind), "w") as f:
        for i in range(1, n + 1):
            f.write(json.dumps({"record": "custody_event", "source": "bench",
                                "event_id": "%s%06d" % (kind[0], i), "type": kind,
                                "occurred_at": at,
                                "subject": {"a_number": "8%08d" % i, "given_names": "Notice",
                                            "family_names": "Receiver", "aliases": [],
                                            "date_of_birth": "1980-01-01",
                                            "country_of_birth": "MX"},
                                "facility_id": "ADL", "custody_basis": "civil_immigration",
                                "protections": []}) + "\n")
PY
"$vigil" --db "$url" import -q "$work/facility.jsonl" "$work/booked.jsonl" >/dev/null
port=$(free_port)
"$vigil" --db "$url" serve --no-worker --listen "127.0.0.1:$port" 2>/dev/null &
serve_pid=$!
pids+=($serve_pid)
wait_http "http://127.0.0.1:$port/healthz"
/usr/bin/python3 - "$port" "$enrol" "$people" <<'PY'
import json, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
port, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def enrol(job):
    i, k = job
    req = urllib.request.Request(
        "http://127.0.0.1:%s/api/v1/agency/victims" % port,
        data=json.dumps({"a_number": "8%08d" % i, "channel": "email",
                         "contact": "v%d-%d@example.org" % (i, k)}).encode(), method="POST",
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=30).read()
with ThreadPoolExecutor(8) as pool:
    list(pool.map(enrol, [(i, k) for i in range(1, n + 1) for k in range(5)]))
PY
kill "$serve_pid"
"$vigil" --db "$url" import -q "$work/transferred.jsonl" >/dev/null
# The queue, kept as a template: each run starts from a copy of it.
"$pgbin/psql" -q "$admin dbname=postgres" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'queued'" >/dev/null

smtp=$(free_port)
PYTHONPATH=$peers /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp" -c smtp_sink.Sink "$work/mail" \
  >/dev/null 2>&1 &
pids+=($!)
sleep 1

run() {  # run WORKERS -> notices/s
  local n=$1 db="run$1" start end
  "$pgbin/psql" -q "$admin dbname=postgres" -c "CREATE DATABASE $db TEMPLATE queued"
  local run_url="postgresql://postgres@127.0.0.1:$pgport/$db"
  local unsent="SELECT count(*) FROM notifications WHERE kind = 'transferred' AND state <> 'delivered'"
  local workers=()
  start=$(date +%s%N)
  for _ in $(seq 1 "$n"); do
    VIGIL_NOTIFY_EMAIL=smtp VIGIL_SMTP_URL="smtp://127.0.0.1:$smtp" VIGIL_SMTP_FROM=alerts@vigil.example.org \
      "$vigil" --db "$run_url" worker 2>/dev/null &
    workers+=($!)
    pids+=($!)
  done
  until [[ $("$pgbin/psql" -At "$admin dbname=$db" -c "$unsent") == 0 ]]; do sleep 0.2; done
  end=$(date +%s%N)
  kill "${workers[@]}"
  wait "${workers[@]}" 2>/dev/null || true
  /usr/bin/python3 -c "print(f'{$notices / (($end - $start) / 1e9):.0f}')"
}
one=$(run 1)
two=$(run 2)
echo "dispatch: $notices notices to aiosmtpd from PostgreSQL: 1 worker ${one}/s, 2 workers ${two}/s; ratio $(/usr/bin/python3 -c "print(f'{$two / $one:.2f}')")"
