# Shared by the PostgreSQL benchmarks (scale_bench.sh, pg_dispatch_bench.sh):
# sourced, not run. Needs http_common.sh (free_port) sourced first.
#
# pg_work_start: a temporary directory $work, the array $pids (killed at
# exit), and a durable throwaway PostgreSQL 15 cluster in $work/pg on a free
# loopback port ($pgport; $admin is a libpq string for its superuser), all
# removed at exit. As root the server runs as the `postgres` user.
pgbin=/usr/lib/postgresql/15/bin

pg_work_stop() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f $work/pg/postmaster.pid ]] &&
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$work"
}

pg_work_start() {
  work=$(mktemp -d)
  chmod 755 "$work"
  as_pg=()
  if [[ $(id -u) -eq 0 ]]; then as_pg=(/usr/sbin/runuser -u postgres --); fi
  pids=()
  trap pg_work_stop EXIT
  pgport=$(free_port)
  mkdir -p "$work/pg"
  [[ ${#as_pg[@]} -eq 0 ]] || chown postgres "$work" "$work/pg"
  "${as_pg[@]}" "$pgbin/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --no-locale >/dev/null
  # Durable: fsync and synchronous_commit keep their defaults (on).
  cat >>"$work/pg/postgresql.auto.conf" <<CONF
port = $pgport
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work'
max_connections = 100
shared_buffers = 256MB
CONF
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w start >/dev/null
  admin="host=127.0.0.1 port=$pgport user=postgres"
}
