#!/usr/bin/env bash
# The Debian package, built and checked without installing it on this
# machine: `cpack -G DEB` from the build directory, then its file list and
# control files (dpkg-deb), then its contents unpacked into a temporary root
# and the binary run from there (--version, and the packaged configuration
# checked by the packaged binary).
#
#   tests/package/package_test.sh BUILD_DIR      (ctest runs it)
set -euo pipefail
build=${1:?usage: package_test.sh BUILD_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "package: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$tmp/out") >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$tmp"/out/vigil_*.deb 2>/dev/null | head -1)
[[ -n $deb ]] || fail "cpack made no vigil_*.deb: $(ls "$tmp/out")"

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/contents"
for path in /usr/bin/vigil /usr/share/man/man1/vigil.1.gz /usr/share/man/man1/vigil-import.1.gz \
            /usr/share/man/man1/vigil-serve.1.gz /lib/systemd/system/vigil.service \
            /lib/systemd/system/vigil-worker.service /etc/vigil/vigil.toml /var/lib/vigil/ \
            /usr/share/doc/vigil/README.md; do
  grep -qx -- "$path" "$tmp/contents" || fail "$path is not in the package"
done

info=$(dpkg-deb -I "$deb")
for field in "Package: vigil" "Version: " "Depends: " "libsqlite3" "libsodium" "adduser"; do
  grep -q -- "$field" <<<"$info" || fail "control has no '$field'"
done
dpkg-deb -e "$deb" "$tmp/control"
grep -qx /etc/vigil/vigil.toml "$tmp/control/conffiles" || fail "/etc/vigil/vigil.toml is no conffile"
grep -q "adduser --system" "$tmp/control/postinst" || fail "postinst makes no vigil user"
[[ -x $tmp/control/postinst ]] || fail "postinst is not executable"

dpkg-deb -x "$deb" "$tmp/root"
version=$("$tmp/root/usr/bin/vigil" --version)
grep -q "^vigil [0-9]" <<<"$version" || fail "vigil --version from the package said: $version"
# The packaged configuration is valid and keeps state under /var/lib/vigil.
"$tmp/root/usr/bin/vigil" --config "$tmp/root/etc/vigil/vigil.toml" config check >/dev/null ||
  fail "the packaged vigil.toml does not check"
grep -q 'url = "sqlite:/var/lib/vigil/vigil.db"' "$tmp/root/etc/vigil/vigil.toml" ||
  fail "the packaged vigil.toml does not keep the database in /var/lib/vigil"
grep -q '^User=vigil$' "$tmp/root/lib/systemd/system/vigil.service" || fail "vigil.service is not run as vigil"
grep -q 'vigil --config /etc/vigil/vigil.toml worker$' "$tmp/root/lib/systemd/system/vigil-worker.service" ||
  fail "vigil-worker.service does not run vigil worker"
if command -v systemd-analyze >/dev/null; then
  SYSTEMD_LOG_LEVEL=err systemd-analyze verify --root="$tmp/root" \
    "$tmp/root/lib/systemd/system/vigil.service" >/dev/null 2>&1 || true
fi
# The man pages are the --help of what was packaged.
zcat "$tmp/root/usr/share/man/man1/vigil.1.gz" | grep -q '^\.SS vigil import$' ||
  fail "vigil.1 has no section for vigil import"
zcat "$tmp/root/usr/share/man/man1/vigil-import.1.gz" | grep -q -- '--batch' ||
  fail "vigil-import.1 is not vigil import --help"
echo "package: $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB), $(wc -l <"$tmp/contents") paths; vigil --version from it: ${version%%$'\n'*}"
