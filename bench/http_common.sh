# Shared by the HTTP benchmarks (http_bench.sh, hotline_bench.sh, scale_bench.sh): sourced,
# not run.

# The common start of a benchmark against one store: the built binary and
# wrk checked; $work, a directory removed at exit after every pid in $pids
# is killed; and $work/v.db holding SUBJECTS demo people (their feed in
# $work/feed), sealed with the key $work/secret.key. Sets $vigil, $work and
# $pids, and exports VIGIL_SECRETS_KEY_FILE.
start_demo_store() {
  vigil=./build/src/vigil/app/vigil
  [[ -x $vigil ]] || { echo "build vigil first (cmake --build build)" >&2; exit 2; }
  command -v wrk >/dev/null || { echo "wrk is missing (scripts/setup installs it)" >&2; exit 2; }
  work=$(mktemp -d)
  pids=()
  trap stop_demo_store EXIT
  "$vigil" demo-data --subjects "$1" --seed 3 --as-of 2026-11-22 --out "$work/feed" >/dev/null
  export VIGIL_SECRETS_KEY_FILE=$work/secret.key
  "$vigil" secrets init >/dev/null 2>&1
  "$vigil" --db "$work/v.db" --create import -q "$work/feed/facilities.jsonl" \
    "$work/feed/events.jsonl" >/dev/null
}
stop_demo_store() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null
  rm -rf "$work"
}

# A free loopback port.
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Waits (up to a minute) until URL answers.
wait_http() { for _ in $(seq 1 600); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

# The search query string for a name that is in EVENTS_FILE (the 5,000th
# line's person), typed without accents as people do.
name_query() {
  /usr/bin/python3 - "$1" <<'PY'
import json, sys, unicodedata, urllib.parse
fold = lambda s: unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
with open(sys.argv[1]) as f:
    for i, line in enumerate(f):
        if i == 5000:
            s = json.loads(line)["subject"]
            print(urllib.parse.urlencode({"given_name": fold(s["given_names"].split()[0]),
                                          "family_name": fold(s["family_names"]),
                                          "country_of_birth": s["country_of_birth"]}))
            break
PY
}

# wrk for $seconds against URL: prints "requests/s p99_ms".
run_wrk() {
  wrk -t2 -c32 -d"${seconds}s" --latency "$1" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v}
    END {printf "%.0f %.2f\n", rps, p99}'
}

# nginx serving a 16-byte static file (/static.json) on a free loopback
# port, the baseline the HTTP benchmarks compare with: sets nport, adds its
# pid to pids (the caller's cleanup kills them) and waits until it answers.
start_nginx() {
  nport=$(free_port)
  mkdir -p "$work/nginx/html" "$work/nginx/logs" "$work/nginx/tmp"
  echo '{"status":"ok"}' > "$work/nginx/html/static.json"
  cat > "$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp; uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
  server { listen 127.0.0.1:$nport; root $work/nginx/html; }
}
CONF
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
  pids+=($!)
  wait_http "http://127.0.0.1:$nport/static.json"
}
