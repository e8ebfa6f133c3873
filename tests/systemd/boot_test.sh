#!/usr/bin/env bash
# tests/systemd/boot_test.sh BUILD_DIR: leadsync.service under a real systemd.
#
# Makes the .deb from BUILD_DIR (cpack), installs it with apt into a minimal
# Debian 12 root, boots that root with systemd as PID 1 (systemd-nspawn -b,
# private network), and runs tests/systemd/probe.sh in it as a oneshot
# service once the system is up; the probe's checks decide the result.
#
# Needs root, systemd-nspawn and debootstrap (scripts/setup --test installs
# them), a cgroup hierarchy, and a root that is PID 1's: inside a chroot or
# without them it exits 77, which CTest reports as skipped, and says why.
# LEADSYNC_SKIP_SYSTEMD_TEST=1 skips it on purpose.
#
# The base root (debootstrap, about 3 minutes) and the packages apt fetches
# are cached in ${XDG_CACHE_HOME:-~/.cache}/leadsync/systemd-test; a run with
# the cache takes under a minute.
set -euo pipefail

build=$(cd "${1:?usage: boot_test.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
cache=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/leadsync/systemd-test
limit=${LEADSYNC_BOOT_TIMEOUT:-300}

skip() {
  echo "SKIPPED: systemd boot test: $*"
  exit 77
}

[[ -z "${LEADSYNC_SKIP_SYSTEMD_TEST:-}" ]] || skip "LEADSYNC_SKIP_SYSTEMD_TEST is set"
[[ $(id -u) -eq 0 ]] || skip "needs root (systemd-nspawn, chroot, mounts)"
for tool in systemd-nspawn debootstrap cpack flock; do
  command -v "$tool" >/dev/null || skip "$tool not found (scripts/setup --test installs it)"
done
# In a chroot (a bare-debian-run, say) nspawn finds no cgroup hierarchy and
# cannot boot. PID 1's root is not always readable, even to root.
pid1_root=$(stat -c %d:%i /proc/1/root/. 2>/dev/null || stat -c %d:%i /)
[[ $pid1_root == $(stat -c %d:%i /) ]] || skip "running in a chroot"
[[ -e /sys/fs/cgroup/cgroup.controllers || -d /sys/fs/cgroup/systemd || -d /sys/fs/cgroup/unified ]] ||
  skip "no cgroup hierarchy under /sys/fs/cgroup (a chroot?)"

work=$(mktemp -d "${TMPDIR:-/tmp}/leadsync-boot.XXXXXX")
root=$work/root
mounts=()
cleanup() {
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}"; done
  # Never delete through a mount that is still attached: it could reach the host's /dev or /proc.
  if grep -q " $work/" /proc/mounts; then echo "left $work in place: a mount is still attached"; else rm -rf "$work"; fi
}
trap cleanup EXIT
bind() {
  mkdir -p "$2"
  mount --bind "$1" "$2"
  mounts+=("$2")
}
unbind_all() {
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[i]}"; done
  mounts=()
}
in_root() { chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }

# The package, made as docs/operations.md says; the lock keeps cpack's build of the tree
# from running beside the packaging tests' own.
flock "$build/packaging_test.lock" cpack -G DEB -B "$work/pkg" --config "$build/CPackConfig.cmake" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; exit 1; }
deb=$(find "$work/pkg" -maxdepth 1 -name '*.deb' | head -1)
[[ -n "$deb" ]] || { cat "$work/cpack.log"; echo "FAIL: cpack made no .deb"; exit 1; }

# A minimal Debian 12 with systemd, and package lists: no procps, no curl.
mkdir -p "$cache/archives/partial"
base=$cache/bookworm-systemd.tar
(
  flock 9
  [[ -f "$base" ]] && exit 0
  echo "building the base root in $base (once; a few minutes)"
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  fresh=$(mktemp -d "${TMPDIR:-/tmp}/leadsync-base.XXXXXX")
  debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus bookworm "$fresh" ${mirror:+"$mirror"} \
    >"$cache/debootstrap.log" 2>&1 || { tail -20 "$cache/debootstrap.log"; rm -rf "$fresh"; exit 1; }
  cp /etc/apt/sources.list.d/debian.sources "$fresh/etc/apt/sources.list.d/" 2>/dev/null && rm -f "$fresh/etc/apt/sources.list"
  cp /etc/resolv.conf "$fresh/etc/resolv.conf"
  chroot "$fresh" apt-get update -qq >"$cache/apt-update.log" 2>&1 || { tail -20 "$cache/apt-update.log"; rm -rf "$fresh"; exit 1; }
  tar -C "$fresh" -cf "$base.part" . && mv "$base.part" "$base"
  rm -rf "$fresh"
) 9>"$cache/base.lock"

mkdir "$root"
tar -C "$root" -xf "$base"
chmod 755 "$root"  # mktemp made it 0700: the service user could not even reach /
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/leadsync.deb"

# apt-get install of the package, as a user would; its dependencies come
# from the cache after the first run (a stale package list is refreshed).
for m in proc sys dev dev/pts; do bind "/$m" "$root/$m"; done
bind "$cache/archives" "$root/var/cache/apt/archives"
apt_install() { in_root apt-get install -y -qq --no-install-recommends /tmp/leadsync.deb >>"$work/install.log" 2>&1; }
(
  flock 9
  apt_install || { in_root apt-get update -qq >>"$work/install.log" 2>&1 && apt_install; }
) 9>"$cache/archives.lock" || { tail -30 "$work/install.log"; echo "FAIL: apt-get install leadsync.deb"; exit 1; }
unbind_all

# What the probe needs: keys for the service's credentials and the sandbox,
# the service's config, a drop-in with a short watchdog, the probe unit.
access_key=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
secret_key=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
install -d -m 0700 "$root/etc/leadsync/credentials"
printf %s "$access_key" >"$root/etc/leadsync/credentials/lsq-access-key"
printf %s "$secret_key" >"$root/etc/leadsync/credentials/lsq-secret"
chmod 0600 "$root"/etc/leadsync/credentials/*
printf 'ACCESS_KEY=%s\nSECRET_KEY=%s\n' "$access_key" "$secret_key" >"$root/etc/leadsync-sandbox.env"
cp -r "$here/root/." "$root/"
cp "$here/probe.sh" "$root/usr/local/bin/leadsync-probe"
chmod 0755 "$root/usr/local/bin/leadsync-probe"
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -s /etc/systemd/system/leadsync-probe.service "$root/etc/systemd/system/multi-user.target.wants/"
ln -sf /dev/null "$root/etc/systemd/system/console-getty.service"

echo "booting $(basename "$deb") in a Debian 12 container"
rc=0
timeout -k 10 "$limit" systemd-nspawn -q -D "$root" -b --register=no --keep-unit --private-network \
  >"$work/boot.log" 2>&1 || rc=$?
cat "$root/probe.out" 2>/dev/null || true
if [[ ! -f "$root/probe.rc" ]]; then
  tail -40 "$work/boot.log"
  echo "FAIL: the probe did not finish within ${limit}s (nspawn exit $rc)"
  exit 1
fi
exit "$(cat "$root/probe.rc")"
