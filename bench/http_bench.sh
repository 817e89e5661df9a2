#!/usr/bin/env bash
# HTTP search throughput: wrk against `vigil serve` (GET /api/v1/search by
# name, over a demo population) beside wrk against nginx serving the same
# answer as a static file, on the same machine in the same run. The ratio is the figure
# (DESIGN.md §9 target: >= 10k searches/s on 2 cores). Loopback only.
#
#   bench/http_bench.sh [SUBJECTS] [SECONDS]     (default 100000, 10)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/http_common.sh
subjects=${1:-100000}
seconds=${2:-10}
start_demo_store "$subjects"
# A name that is in the data, typed without accents.
query=$(name_query "$work/feed/events.jsonl")

vport=$(free_port)
VIGIL_LIMITS_SEARCH_PER_MINUTE=0 VIGIL_SECRETS_KEY_FILE="$work/secret.key" \
  "$vigil" --db "$work/v.db" serve --listen "127.0.0.1:$vport" 2>/dev/null &
pids+=($!)
wait_http "http://127.0.0.1:$vport/healthz"

start_nginx  # sets nport
# The baseline serves a file of the same size as vigil's answer (issue 22):
# the answer itself.
curl -sf -o "$work/nginx/html/static.json" "http://127.0.0.1:$vport/api/v1/search?$query"

echo "query: /api/v1/search?$query -> $(curl -s "http://127.0.0.1:$vport/api/v1/search?$query" | head -c 120)..."
read -r nginx_rps nginx_p99 < <(run_wrk "http://127.0.0.1:$nport/static.json")
read -r vigil_rps vigil_p99 < <(run_wrk "http://127.0.0.1:$vport/api/v1/search?$query")
ratio=$(python3 -c "print(f'{$vigil_rps/$nginx_rps:.3f}')")
echo "http: nginx static file ${nginx_rps} req/s (p99 ${nginx_p99} ms); vigil search ${vigil_rps} req/s (p99 ${vigil_p99} ms) over ${subjects} subjects; ratio ${ratio} (target >= 10000 searches/s)"

# Where the gap is (issue 22): vigil's own server answering without the
# search. /quick-exit.js is a constant script (no store, no search: the
# HTTP layer, routing, headers and the access log), beside nginx serving
# the same bytes; /healthz adds one read transaction of the store. The
# search's ratio cannot exceed the first.
curl -sf -o "$work/nginx/html/quick-exit.js" "http://127.0.0.1:$vport/quick-exit.js"
read -r nginx_js_rps nginx_js_p99 < <(run_wrk "http://127.0.0.1:$nport/quick-exit.js")
read -r vigil_js_rps vigil_js_p99 < <(run_wrk "http://127.0.0.1:$vport/quick-exit.js")
read -r health_rps health_p99 < <(run_wrk "http://127.0.0.1:$vport/healthz")
js_bytes=$(wc -c <"$work/nginx/html/quick-exit.js")
echo "ceiling: a constant ${js_bytes}-byte script: nginx ${nginx_js_rps} req/s (p99 ${nginx_js_p99} ms), vigil ${vigil_js_rps} req/s (p99 ${vigil_js_p99} ms), ratio $(python3 -c "print(f'{$vigil_js_rps/$nginx_js_rps:.3f}')"); vigil /healthz (one store read) ${health_rps} req/s (p99 ${health_p99} ms)"
