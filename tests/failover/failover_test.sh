#!/usr/bin/env bash
# Failover, proven: a Patroni 3 cluster on loopback (one etcd, a primary and a
# replica, synchronous replication), vigil on a multi-host URL, and kill -9 of
# the primary twice:
#  (a) in the middle of a 100k-event import while an agency client writes
#      events through `vigil serve`. After promotion every event the API
#      acknowledged (2xx) is in the database; the interrupted import, run
#      again, ends with every event of the feed; the serve process
#      reconnected without a restart; and the time from the kill to the first
#      successful write is reported.
#  (b) the old primary back as the synchronous replica, while two `vigil
#      worker` dispatch 10k notices to a real SMTP server (aiosmtpd). After
#      promotion every notice owed ends in a recorded terminal state and was
#      received; duplicates are at most the sends in flight at the kill, and
#      every copy of one carries that notice's idempotency key prefix.
#
#   tests/failover/failover_test.sh        (TEST_VIGIL_BINARY names the binary)
#
# Runs as root (CI) or as a user who may run the PostgreSQL tools; as root the
# servers run as the `postgres` user. Everything listens on 127.0.0.1 only and
# lives in a temporary directory removed at the end.
set -euo pipefail

vigil=${TEST_VIGIL_BINARY:?TEST_VIGIL_BINARY must name the vigil binary}
peers=$(cd "$(dirname "$0")/../peers" && pwd)
events=${FAILOVER_EVENTS:-100000}
pgbin=/usr/lib/postgresql/15/bin
for tool in /usr/bin/patroni /usr/bin/etcd "$pgbin/postgres"; do
  [[ -x $tool ]] || { echo "failover: $tool is missing (scripts/setup installs it)" >&2; exit 1; }
done

tmp=$(mktemp -d /tmp/vigil-failover.XXXXXX)
chmod 755 "$tmp"
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  as_pg=(/usr/sbin/runuser -u postgres --)
  chown postgres "$tmp"
fi
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  pkill -9 -f "patroni $tmp/" 2>/dev/null || true
  # Postgres servers outlive a killed Patroni: stop them by their pid files.
  for data in "$tmp"/node*/data; do
    [[ -f $data/postmaster.pid ]] && kill -9 "$(head -1 "$data/postmaster.pid")" 2>/dev/null || true
  done
  sleep 0.5
  if ((status != 0)); then
    echo "failover: FAILED; logs:" >&2
    for log in "$tmp"/*.log; do echo "--- $log" >&2; tail -25 "$log" >&2; done
  fi
  [[ -n ${FAILOVER_KEEP:-} ]] && echo "failover: kept $tmp" >&2 || rm -rf "$tmp"
  exit $status
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
etcd_client=$(free_port) etcd_peer=$(free_port)
pg1=$(free_port) pg2=$(free_port) rest1=$(free_port) rest2=$(free_port) http=$(free_port)
now_ms() { date +%s%3N; }
wait_for() {  # wait_for SECONDS WHAT COMMAND...
  local until=$(($(date +%s) + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    (($(date +%s) < until)) || { echo "failover: timed out waiting for $what" >&2; return 1; }
    sleep 0.2
  done
}

echo "failover: etcd on :$etcd_client, postgres on :$pg1 and :$pg2"
/usr/bin/etcd --name e1 --data-dir "$tmp/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_client" \
  --advertise-client-urls "http://127.0.0.1:$etcd_client" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-cluster "e1=http://127.0.0.1:$etcd_peer" --enable-v2=true >"$tmp/etcd.log" 2>&1 &
pids+=($!)
wait_for 30 "etcd" curl -sf "http://127.0.0.1:$etcd_client/health"

node_config() {  # node_config NAME PG_PORT REST_PORT
  local dir=$tmp/$1
  mkdir -p "$dir"
  [[ ${#as_pg[@]} -eq 0 ]] || chown postgres "$dir"
  cat >"$dir/patroni.yml" <<YAML
scope: vigil-failover
name: $1
restapi:
  listen: 127.0.0.1:$3
  connect_address: 127.0.0.1:$3
etcd:
  host: 127.0.0.1:$etcd_client
bootstrap:
  dcs:
    ttl: 20
    loop_wait: 1
    retry_timeout: 5
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      parameters:
        synchronous_commit: "on"
        max_connections: 60
        wal_keep_size: 256MB
  initdb:
    - encoding: UTF8
    - no-locale
  pg_hba:
    - host replication replicator 127.0.0.1/32 trust
    - host all all 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:$2
  connect_address: 127.0.0.1:$2
  data_dir: $dir/data
  bin_dir: $pgbin
  pgpass: $dir/pgpass
  authentication:
    replication:
      username: replicator
      password: replicator
    superuser:
      username: postgres
      password: postgres
  parameters:
    unix_socket_directories: '$dir'
YAML
}
start_node() {  # start_node NAME
  "${as_pg[@]}" /usr/bin/patroni "$tmp/$1/patroni.yml" >"$tmp/$1.log" 2>&1 &
  pids+=($!)
}
node_config node1 "$pg1" "$rest1"
node_config node2 "$pg2" "$rest2"
start_node node1
wait_for 90 "node1 to lead" curl -sf "http://127.0.0.1:$rest1/primary"
start_node node2
wait_for 120 "node2 to stream synchronously" curl -sf "http://127.0.0.1:$rest2/synchronous"
echo "failover: node1 is primary, node2 a synchronous standby"

url="postgresql://postgres@127.0.0.1:$pg1,127.0.0.1:$pg2/postgres?target_session_attrs=read-write&connect_timeout=2"
export VIGIL_SECRETS_KEY_FILE=$tmp/secret.key
cd "$tmp"
"$vigil" --db "$url" migrate
"$vigil" --db "$url" secrets init >/dev/null
token=$("$vigil" --db "$url" keys create --name probe --scope feed:write --source failover-probe 2>/dev/null)
enrol_token=$("$vigil" --db "$url" keys create --name enrol --scope victims:enrol 2>/dev/null)
"$vigil" demo-data --subjects $((events * 100 / 243)) --seed 7 --out "$tmp/feed" >/dev/null
feed_events=$(wc -l <"$tmp/feed/events.jsonl")

"$vigil" --db "$url" serve --no-worker --listen "127.0.0.1:$http" >"$tmp/serve.log" 2>&1 &
serve_pid=$!
pids+=($serve_pid)
wait_for 60 "vigil serve" curl -sf "http://127.0.0.1:$http/healthz"

# The agency client: one event per request, each recorded as acknowledged
# (2xx) or not, with the time it was answered.
cat >"$tmp/writer.py" <<'PY'
import json, sys, time, urllib.request
port, token, out = sys.argv[1], sys.argv[2], sys.argv[3]
i = 0
with open(out, "w", buffering=1) as log:
    while True:
        i += 1
        event = {"record": "custody_event", "source": "failover-probe", "event_id": "P%06d" % i,
                 "type": "released", "occurred_at": "2026-11-01T00:00:00Z",
                 "subject": {"a_number": "9%08d" % i, "given_names": "Probe", "family_names": "Writer",
                             "aliases": [], "date_of_birth": "1980-01-01", "country_of_birth": "MX"},
                 "facility_id": "", "custody_basis": "civil_immigration", "protections": []}
        req = urllib.request.Request("http://127.0.0.1:%s/api/v1/agency/events" % port,
                                     data=json.dumps(event).encode(), method="POST",
                                     headers={"Authorization": "Bearer " + token,
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                body = json.loads(r.read())
                ok = body.get("accepted", 0) + body.get("duplicate", 0) == 1
                log.write("%s %d P%06d\n" % ("ok" if ok else "bad", time.time() * 1000, i))
        except Exception as e:
            log.write("fail %d P%06d\n" % (time.time() * 1000, i))
            time.sleep(0.05)
PY
/usr/bin/python3 "$tmp/writer.py" "$http" "$token" "$tmp/writes.txt" &
writer_pid=$!
pids+=($writer_pid)

"$vigil" --db "$url" import --quiet --batch 2000 "$tmp/feed/facilities.jsonl" "$tmp/feed/events.jsonl" \
  >"$tmp/import1.out" 2>"$tmp/import1.log" &
import_pid=$!
pids+=($import_pid)

# Kill the primary when the import is well under way.
events_now() { "$pgbin/psql" -At "host=127.0.0.1 port=$pg1 user=postgres dbname=postgres" \
  -c "SELECT count(*) FROM custody_events" 2>>"$tmp/psql.log" || echo 0; }
import_under_way() { (($(events_now) > feed_events / 5)); }
wait_for 120 "the import to be under way" import_under_way
killed_at=$(now_ms)
# Patroni itself (runuser's child, not runuser), then its postgres.
pkill -9 -f "patroni $tmp/node1/patroni.yml"
kill -9 "$(head -1 "$tmp/node1/data/postmaster.pid")"
echo "failover: killed the primary (node1) with $(($(grep -c '^ok' "$tmp/writes.txt"))) API writes acknowledged"

wait_for 90 "node2 to be promoted" curl -sf "http://127.0.0.1:$rest2/primary"
promoted_at=$(now_ms)
# The first write acknowledged after the kill, through the same serve process.
first_write_after() {
  awk -v t="$killed_at" '$1 == "ok" && $2 > t { print $2; exit }' "$tmp/writes.txt"
}
wrote_after_kill() { [[ -n $(first_write_after) ]]; }
wait_for 60 "a write through the same serve after failover" wrote_after_kill
first_write_at=$(first_write_after)
sleep 1
kill "$writer_pid"
wait "$import_pid" && import_status=0 || import_status=$?
kill -0 "$serve_pid" || { echo "failover: vigil serve died" >&2; exit 1; }

# Every acknowledged API write is there.
psql2() { "$pgbin/psql" -At "host=127.0.0.1 port=$pg2 user=postgres dbname=postgres" -c "$1"; }
acked=$(awk '$1 == "ok" { print $3 }' "$tmp/writes.txt" | sort -u)
acked_count=$(echo "$acked" | grep -c . || true)
stored=$(psql2 "SELECT event_id FROM custody_events WHERE source = 'failover-probe' ORDER BY 1")
missing=$(comm -23 <(echo "$acked") <(echo "$stored") | grep -c . || true)
((missing == 0)) || { echo "failover: $missing acknowledged API writes lost" >&2; exit 1; }

# The interrupted import, run again, converges on the whole feed.
"$vigil" --db "$url" import --quiet "$tmp/feed/facilities.jsonl" "$tmp/feed/events.jsonl" \
  >"$tmp/import2.out" 2>"$tmp/import2.log"
demo_stored=$(psql2 "SELECT count(*) FROM custody_events WHERE source <> 'failover-probe'")
((demo_stored == feed_events)) || {
  echo "failover: $demo_stored of $feed_events feed events stored after the re-import" >&2
  exit 1
}
# The serve process still answers, on the new primary.
curl -sf "http://127.0.0.1:$http/healthz" >/dev/null

echo "failover: import interrupted (exit $import_status: $(tail -1 "$tmp/import1.out" 2>/dev/null)); re-import: $(tail -1 "$tmp/import2.out")"
echo "failover: $acked_count API writes acknowledged, all stored; $feed_events feed events stored"
echo "failover: kill -> promotion $((promoted_at - killed_at)) ms; kill -> first acknowledged write $((first_write_at - killed_at)) ms (through the serve process that was running, not restarted)"

# --- (b) dispatch: the old primary comes back as the synchronous replica ---
start_node node1
wait_for 120 "node1 to rejoin as the synchronous standby" curl -sf "http://127.0.0.1:$rest1/synchronous"
echo "failover: node1 rejoined as synchronous standby of node2"

notices=${FAILOVER_NOTICES:-10000}
people=$((notices / 5))
smtp=$(free_port)
PYTHONPATH=$peers /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp" -c smtp_sink.Sink "$tmp/mail" \
  >"$tmp/smtp.log" 2>&1 &
pids+=($!)
wait_for 30 "aiosmtpd" /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $smtp))"

# People to be told about, and five registrants for each (agency enrolment:
# verified and active at once).
facility=$(head -1 "$tmp/feed/facilities.jsonl" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["facility_id"])')
/usr/bin/python3 - "$tmp" "$people" "$facility" <<'PY'
import json, sys
tmp, n, facility = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def event(i, kind, at):
    return json.dumps({"record": "custody_event", "source": "failover-probe",
                       "event_id": "N%s%06d" % (kind[0], i), "type": kind, "occurred_at": at,
                       "subject": {"a_number": "8%08d" % i, "given_names": "Notice",
                                   "family_names": "Receiver", "aliases": [],
                                   "date_of_birth": "1980-01-01", "country_of_birth": "MX"},
                       "facility_id": facility, "custody_basis": "civil_immigration",
                       "protections": []})
with open(tmp + "/booked.jsonl", "w") as f:
    for i in range(1, n + 1):
        f.write(event(i, "booked", "2026-11-10T00:00:00Z") + "\n")
with open(tmp + "/transferred.jsonl", "w") as f:
    for i in range(1, n + 1):
        f.write(event(i, "transferred", "2026-11-20T00:00:00Z") + "\n")
PY
"$vigil" --db "$url" import --quiet "$tmp/booked.jsonl" >/dev/null
/usr/bin/python3 - "$http" "$enrol_token" "$people" <<'PY'
import json, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
port, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def enrol(job):
    i, k = job
    body = json.dumps({"a_number": "8%08d" % i, "channel": "email",
                       "contact": "v%d-%d@example.org" % (i, k)}).encode()
    req = urllib.request.Request("http://127.0.0.1:%s/api/v1/agency/victims" % port, data=body,
                                 method="POST", headers={"Authorization": "Bearer " + token,
                                                         "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 201, r.status
with ThreadPoolExecutor(8) as pool:
    list(pool.map(enrol, [(i, k) for i in range(1, n + 1) for k in range(5)]))
PY
echo "failover: $notices registrants enrolled for $people people"

worker_env=(env VIGIL_NOTIFY_EMAIL=smtp "VIGIL_SMTP_URL=smtp://127.0.0.1:$smtp"
            VIGIL_SMTP_FROM=alerts@vigil.example.org VIGIL_NOTIFY_LEASE_SECONDS=5)
for w in 1 2; do
  "${worker_env[@]}" "$vigil" --db "$url" worker >"$tmp/worker$w.log" 2>&1 &
  pids+=($!)
done
"$vigil" --db "$url" import --quiet "$tmp/transferred.jsonl" >/dev/null
mails() { find "$tmp/mail" -name '*.eml' | wc -l; }
dispatch_under_way() { (($(mails) > notices / 5)); }
wait_for 180 "the dispatch to be under way" dispatch_under_way
killed_b=$(now_ms)
pkill -9 -f "patroni $tmp/node2/patroni.yml"
kill -9 "$(head -1 "$tmp/node2/data/postmaster.pid")"
echo "failover: killed the primary (node2) with $(mails) notices received"
wait_for 90 "node1 to be promoted" curl -sf "http://127.0.0.1:$rest1/primary"
echo "failover: node1 promoted after $(($(now_ms) - killed_b)) ms"

psql1() { "$pgbin/psql" -At "host=127.0.0.1 port=$pg1 user=postgres dbname=postgres" -c "$1"; }
unsettled() {
  psql1 "SELECT count(*) FROM notifications WHERE kind = 'transferred' AND state NOT IN
         ('delivered', 'permanent_failure', 'technical_failure', 'suppressed', 'cancelled',
          'acknowledged')"
}
all_settled() { [[ $(unsettled 2>/dev/null) == 0 ]]; }
wait_for 240 "every notice to be settled" all_settled
owed=$(psql1 "SELECT count(*) FROM notifications WHERE kind = 'transferred'")
delivered=$(psql1 "SELECT count(*) FROM notifications WHERE kind = 'transferred' AND state = 'delivered'")
((owed == notices)) || { echo "failover: $owed notices owed, expected $notices" >&2; exit 1; }
# What the SMTP server received: one line per mail, notification id and idempotency key.
/usr/bin/python3 - "$tmp/mail" "$tmp/delivered.txt" <<'PY'
import os, re, sys
out = open(sys.argv[2], "w")
for name in os.listdir(sys.argv[1]):
    if not name.endswith(".eml"):
        continue
    text = open(os.path.join(sys.argv[1], name), errors="replace").read()
    mid = re.search(r"Message-ID: <vigil-notification-(\d+)@", text)
    key = re.search(r"X-Vigil-Idempotency-Key: (vigil-(\d+)-(\d+))", text)
    if not mid or not key or key.group(2) != mid.group(1):
        sys.exit("a mail without a matching Message-ID and idempotency key: " + name)
    out.write("%s %s\n" % (mid.group(1), key.group(1)))
PY
received_ids=$(cut -d' ' -f1 "$tmp/delivered.txt" | sort -u | wc -l)
copies=$(wc -l <"$tmp/delivered.txt")
duplicated=$(cut -d' ' -f1 "$tmp/delivered.txt" | sort | uniq -d | wc -l)
# Every delivered notice was received (the verification-free enrolments send nothing else).
missing=$(comm -23 <(psql1 "SELECT notification_id FROM notifications WHERE kind = 'transferred'
                             AND state = 'delivered' ORDER BY 1" | sort) \
                   <(cut -d' ' -f1 "$tmp/delivered.txt" | sort -u) | wc -l)
((missing == 0)) || { echo "failover: $missing delivered notices never reached the server" >&2; exit 1; }
# At most what two workers had claimed (a batch each) was in flight at the kill.
((duplicated <= 2 * 50)) || { echo "failover: $duplicated notices sent twice" >&2; exit 1; }
echo "failover: $owed notices owed: $delivered delivered, all settled; $received_ids received in $copies mails; $duplicated sent twice (in flight at the kill, each copy with its notice's key)"
