#!/usr/bin/env bash
# Report and export time: `vigil report` (every event of the period through
# the disclosure policy, three tables, small-cell and complementary
# suppression, rendering) beside a bare SQLite GROUP BY of the same events
# by type, state, basis and month (no policy, no suppression) on the same
# file in the same run; and `vigil export` (everyone through the gate).
#
#   bench/report_bench.sh [SUBJECTS]     (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
subjects=${1:-100000}
vigil=./build/src/vigil/app/vigil
[[ -x $vigil ]] || { echo "build vigil first (cmake --build build)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export VIGIL_SECRETS_KEY_FILE=$work/secret.key
"$vigil" secrets init >/dev/null 2>&1
echo "report_bench: $subjects people..." >&2
"$vigil" demo-data --subjects "$subjects" --seed 3 --as-of 2026-11-22 --out "$work/feed" >/dev/null
"$vigil" --db "$work/v.db" --create import -q "$work/feed/facilities.jsonl" "$work/feed/events.jsonl" >/dev/null

best() {  # best of three wall times of "$@", in seconds
  local b=""
  for _ in 1 2 3; do
    local s e
    s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
    b=$(/usr/bin/python3 -c "import sys; t=$e-$s; b='$b'; print(min(t, float(b)) if b else t)")
  done
  echo "$b"
}
report=$(best "$vigil" --db "$work/v.db" report --from 2000-01-01 --to 2026-12-31 --out "$work/r.csv")
export_t=$(best "$vigil" --db "$work/v.db" export --out "$work/x.csv")
cat > "$work/bare.py" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("""SELECT e.type, f.state, e.custody_basis,
                    strftime('%Y-%m', e.occurred_at / 1000000, 'unixepoch'), count(*)
             FROM custody_events e JOIN subjects s ON s.subject_id = e.subject_id
             LEFT JOIN facilities f ON f.facility_id = e.facility_id
             WHERE e.retracted_by = '' GROUP BY 1, 2, 3, 4""").fetchall()
PY
bare=$(best /usr/bin/python3 "$work/bare.py" "$work/v.db")
events=$(/usr/bin/python3 -c "import sqlite3; print(sqlite3.connect('$work/v.db').execute('select count(*) from custody_events').fetchone()[0])")
people=$(($(wc -l < "$work/x.csv") - 1))
/usr/bin/python3 - "$events" "$report" "$bare" "$export_t" "$people" "$subjects" <<'PY'
import sys
events, report, bare, export, people, subjects = sys.argv[1:]
events, report, bare, export = int(events), float(report), float(bare), float(export)
print(f"report: {events} events; vigil report {report:.2f} s ({events/report:,.0f} events/s); "
      f"bare SQLite GROUP BY {bare:.2f} s; ratio {bare/report:.2f}")
print(f"export: {people} of {subjects} people public; {export:.2f} s ({int(subjects)/export:,.0f} people/s)")
PY
