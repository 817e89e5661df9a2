#!/usr/bin/env bash
# The scale curve (issue 22): for each population size, `vigil demo-data`
# (bookings, transfers, releases, removals, re-arrests), then
#   - import time and rate, beside the floor — the same feed's raw lines
#     inserted as blobs with the store's durability (bench/raw_line_floor.h);
#   - database size on disk (the file, its WAL and shared memory);
#   - in process (scale_probe): the index load `vigil serve` does at start,
#     the index's resident memory, p50/p99 of public searches (the index and
#     the gate against the store, as GET /api/v1/search runs them);
#   - `vigil serve`: start-up to its first search answered, resident memory
#     after start and after the HTTP run, and searches/s with p50/p99 under
#     wrk (-t2 -c32, the queries in turn, the audit log on), beside nginx
#     serving a static file the size of vigil's answer, same settings, same
#     run; then, stopped (it saves its name index snapshot) and started
#     again, the restart to its first answer from the snapshot.
# Then bench/scale_plot.py draws the curve (an SVG) and states each figure's
# growth. Loopback only; everything in a temporary directory.
#
#   [SCALE_BUILD=DIR] bench/scale_curve.sh [--seconds=S] [--searches=N] [--svg=PATH] [--tsv=PATH] [SIZE...]
#       default sizes 100000 1000000 3000000; S 10; N 100000;
#       SVG docs/scale_curve.svg; TSV beside it (docs/scale_curve.tsv)
#
# Needs about 1.6 KB of disk per subject while a size runs (the feed and the
# database; removed before the next size): 16 GB at 10M.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/http_common.sh
seconds=10 searches=100000 svg=docs/scale_curve.svg tsv= sizes=()
for arg in "$@"; do
  case $arg in
    --seconds=*) seconds=${arg#*=} ;;
    --searches=*) searches=${arg#*=} ;;
    --svg=*) svg=${arg#*=} ;;
    --tsv=*) tsv=${arg#*=} ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    [0-9]*) sizes+=("$arg") ;;
    *) echo "scale_curve: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done
((${#sizes[@]})) || sizes=(100000 1000000 3000000)
tsv=${tsv:-${svg%.svg}.tsv}
build=${SCALE_BUILD:-$PWD/build}  # the build tree (ctest's smoke run passes its own; not VIGIL_*, which vigil reads as configuration)
vigil=$build/src/vigil/app/vigil probe=$build/bench/scale_probe
for tool in "$vigil" "$probe" /usr/bin/wrk /usr/sbin/nginx; do
  [[ -x $tool ]] || { echo "scale_curve: $tool is missing (build, or scripts/setup)" >&2; exit 2; }
done
work=$(mktemp -d)
pids=()
trap stop_demo_store EXIT
export VIGIL_SECRETS_KEY_FILE=$work/secret.key VIGIL_LIMITS_SEARCH_PER_MINUTE=0
"$vigil" secrets init >/dev/null
now() { date +%s.%N; }
since() { /usr/bin/python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$(now)"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
say() { echo "scale_curve: $*" >&2; }

# wrk asks the queries in turn, each thread from its own place in the list.
cat >"$work/rotate.lua" <<'LUA'
local paths, i = {}, 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  i = math.random(#paths)
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
# Starts `vigil serve` over $dir/v.db on a free port, logging to $1, and
# waits for its answer to the first query: sets port, serve_pid and up_s
# (seconds from launch to that answer).
start_serve() {
  port=$(free_port)
  local first="http://127.0.0.1:$port$(head -1 "$dir/paths.txt")" t
  t=$(now)
  "$vigil" --db "$dir/v.db" serve --listen "127.0.0.1:$port" 2>"$1" &
  serve_pid=$!
  pids+=("$serve_pid")
  until curl -sf -o /dev/null "$first"; do
    kill -0 "$serve_pid" 2>/dev/null || { cat "$1" >&2; exit 1; }
    sleep 0.02
  done
  up_s=$(since "$t")
}
# wrk -> "requests/s p50_ms p99_ms requests"
wrk_run() {
  wrk -t2 -c32 -d"${seconds}s" --latency "$@" | awk '
    function ms(v) { if (v ~ /us$/) {sub(/us/,"",v); return v/1000} if (v ~ /ms$/) {sub(/ms/,"",v); return v} sub(/s/,"",v); return v*1000 }
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=ms($2)}
    /^ +99%/ {p99=ms($2)}
    / requests in / {n=$1}
    END {printf "%.0f %.3f %.3f %d\n", rps, p50, p99, n}'
}

printf 'subjects\tevents\timport_s\timport_per_s\tfloor_per_s\tdb_bytes\tload_s\trss_index_kb\tprobe_p50_us\tprobe_p99_us\tstartup_s\trss_start_kb\trss_after_kb\thttp_rps\thttp_p50_ms\thttp_p99_ms\thttp_requests\tnginx_rps\tnginx_p99_ms\tanswer_bytes\tfound_share\trestart_s\tsnapshot_bytes\n' >"$work/scale.tsv"
start_nginx  # sets nport; its file is rewritten to each size's answer
for n in "${sizes[@]}"; do
  dir=$work/$n
  mkdir -p "$dir"
  say "$n subjects: demo data"
  "$vigil" demo-data --subjects "$n" --seed 3 --as-of 2026-11-22 --out "$dir/feed" >/dev/null
  events=$(wc -l <"$dir/feed/events.jsonl")
  say "$n subjects: the floor (raw lines of $events events)"
  read -r floor_s < <("$probe" --raw-lines="$dir/feed/events.jsonl" --db="$dir/raw.db" |
    sed 's/.*seconds=//')
  rm -f "$dir"/raw.db*
  say "$n subjects: vigil import"
  t=$(now)
  "$vigil" --db "$dir/v.db" --create import -q "$dir/feed/facilities.jsonl" \
    "$dir/feed/events.jsonl" >/dev/null
  import_s=$(since "$t")
  db_bytes=$(du -cb "$dir"/v.db* | tail -1 | cut -f1)
  # Queries: people of the feed picked at random places in the file, three
  # by name (typed without accents, first given name) to one by A-number.
  /usr/bin/python3 - "$dir/feed/events.jsonl" "$dir/queries.tsv" "$dir/paths.txt" <<'PY'
import json, os, random, sys, unicodedata, urllib.parse
def fold(s):  # accents dropped, as people type; other scripts as written
    folded = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().strip()
    return folded if sum(c.isalpha() for c in folded) >= 2 else s
feed, tsv, paths = sys.argv[1:]
size, rng = os.path.getsize(feed), random.Random(7)
with open(feed, "rb") as f, open(tsv, "w") as t, open(paths, "w") as p:
    for i in range(2000):
        f.seek(rng.randrange(size))
        f.readline()
        line = f.readline() or (f.seek(0) or f.readline())
        s = json.loads(line)["subject"]
        if i % 4 == 3:
            q = {"a_number": s["a_number"], "country_of_birth": s["country_of_birth"]}
            t.write("a_number\t%s\t%s\n" % (q["a_number"], q["country_of_birth"]))
        else:
            q = {"given_name": fold(s["given_names"].split()[0]),
                 "family_name": fold(s["family_names"]), "country_of_birth": s["country_of_birth"]}
            t.write("name\t%s\t%s\t%s\n" % (q["given_name"], q["family_name"], q["country_of_birth"]))
        p.write("/api/v1/search?" + urllib.parse.urlencode(q) + "\n")
PY
  say "$n subjects: in process ($searches searches)"
  probe_out=$("$probe" --db="$dir/v.db" --queries="$dir/queries.tsv" --searches="$searches")
  field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$probe_out"; }
  say "$n subjects: vigil serve"
  start_serve "$dir/serve.log"
  startup_s=$up_s
  rss_start=$(rss_kb "$serve_pid")
  read -r rps p50 p99 requests < <(wrk_run -s "$work/rotate.lua" "http://127.0.0.1:$port" -- "$dir/paths.txt")
  rss_after=$(rss_kb "$serve_pid")
  # nginx: a static file the size of vigil's median answer that names
  # someone (of the first 100 queries, asked again after the run); answers
  # naming nobody are 14 bytes and would flatter nginx less.
  for i in $(seq 1 100); do
    curl -sf -o "$dir/answer.$i" "http://127.0.0.1:$port$(sed -n "${i}p" "$dir/paths.txt")"
    [[ $(stat -c %s "$dir/answer.$i") -gt 14 ]] || rm "$dir/answer.$i"
  done
  answers=("$dir"/answer.*)
  [[ -e ${answers[0]} ]] || { echo "scale_curve: none of 100 queries found anyone" >&2; exit 1; }
  cp "$(ls -S "${answers[@]}" | sed -n "$(((${#answers[@]} + 1) / 2))p")" "$work/nginx/html/static.json"
  kill "$serve_pid"  # it saves its name index snapshot as it stops ([search] snapshot)
  wait "$serve_pid" 2>/dev/null || true
  # Start again, from the snapshot: the restart an operator sees.
  [[ -s $dir/v.db.index ]] || { say "serve saved no index snapshot"; cat "$dir/serve.log" >&2; exit 1; }
  snapshot_bytes=$(stat -c %s "$dir/v.db.index")
  start_serve "$dir/restart.log"
  restart_s=$up_s
  grep -q "loaded the name index from its snapshot" "$dir/restart.log" ||
    { say "the restart did not load the snapshot"; cat "$dir/restart.log" >&2; exit 1; }
  kill "$serve_pid"
  wait "$serve_pid" 2>/dev/null || true
  read -r nginx_rps _ nginx_p99 _ < <(wrk_run "http://127.0.0.1:$nport/static.json")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$n" "$events" "$import_s" \
    "$(/usr/bin/python3 -c "print(round($events/$import_s))")" \
    "$(/usr/bin/python3 -c "print(round($events/$floor_s))")" "$db_bytes" \
    "$(field load_s)" "$(field rss_index_kb)" "$(field p50_us)" "$(field p99_us)" \
    "$startup_s" "$rss_start" "$rss_after" "$rps" "$p50" "$p99" "$requests" \
    "$nginx_rps" "$nginx_p99" "$(stat -c %s "$work/nginx/html/static.json")" \
    "$(/usr/bin/python3 -c "print(round($(field found) / $(field searches), 3))")" \
    "$restart_s" "$snapshot_bytes" >>"$work/scale.tsv"
  say "$n subjects: $(tail -1 "$work/scale.tsv")"
  rm -rf "$dir"
done
mkdir -p "$(dirname "$tsv")" "$(dirname "$svg")"
cp "$work/scale.tsv" "$tsv"
/usr/bin/python3 bench/scale_plot.py "$tsv" "$svg"
