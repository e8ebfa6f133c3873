#!/bin/bash
# The boot test's checks, run as root inside the booted container by
# leadsync-probe.service (tests/systemd/boot_test.sh sets it up). The
# leadsync package is installed and nothing of it started. Prints one
# "ok:" or "FAIL:" line per check to /probe.out and its exit code to
# /probe.rc, then powers the container off. Waits poll with a deadline.
exec >/probe.out 2>&1
finish() {
  if ((failures > 0)); then
    echo "--- journalctl -u leadsync.service (last 40 lines)"
    journalctl -q -u leadsync.service -n 40 --no-pager
  fi
  echo "$failures check(s) failed"
  echo $((failures > 0)) >/probe.rc
  systemctl --no-block poweroff
}
trap finish EXIT
set -u
failures=0
spool=/var/spool/leadsync
config=/etc/leadsync/leadsync.yaml

ok() { echo "ok: $*"; }
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
# check DESCRIPTION COMMAND...
check() {
  local what=$1
  shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}
# eventually SECONDS COMMAND...: true once COMMAND succeeds, false at the deadline.
eventually() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}
# GET 127.0.0.1:PORT PATH, body only, with bash's /dev/tcp (the root has no curl).
http_get() {
  local response
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3 2>/dev/null || { exec 3<&-; return 1; }
  response=$(timeout 5 cat <&3)
  exec 3<&-
  printf '%s\n' "${response#*$'\r\n\r\n'}"
}
sandbox_has() { http_get 8080 /sandbox/leads | grep -qF "$1"; }
metric_is() { http_get 9464 /metrics | grep -qx "$1 $2"; }
show() { systemctl show -p "$1" --value leadsync.service; }
main_pid() { show MainPID; }
active_with_status() { [[ $(show ActiveState) == active && $(show StatusText) == *" pending, "*" in flight"* ]]; }
# journal lines of the unit at exactly one priority (3 err, 4 warning, 6 info)
journal_at() { journalctl -q -u leadsync.service -p "$1..$1" -o cat; }
journal_shows() { journal_at "$1" | grep -qF -- "$2"; }
drop() { # DIR NAME TEXT: as spool writers must, write a dot-file and rename it
  printf '%s' "$3" >"$1/.$2"
  mv "$1/.$2" "$1/$2"
}

# The package brought what the unit runs: ExecReload= is /bin/kill (procps),
# which a minimal Debian lacks.
check "package installed /bin/kill for ExecReload" test -x /bin/kill

systemctl start leadsync-sandbox.service
sandbox_up() { http_get 8080 /sandbox/leads >/dev/null; }
check "sandbox answers" eventually 20 sandbox_up

# Type=notify: start returns once the daemon sent READY=1.
check "start: systemctl start returns after READY=1" timeout 60 systemctl start leadsync.service
check "start: active with a STATUS= line (pending, in flight)" eventually 10 active_with_status
echo "     status: $(show StatusText)"
pid=$(main_pid)
uid_of() { awk '/^Uid:/ {print $2}' "/proc/$1/status"; }
check "start: runs as user leadsync" test "$(uid_of "$pid")" = "$(id -u leadsync)"
# No core file could hold the keys: the daemon is not dumpable (the files
# under its /proc/PID become root's, proc(5)) and LimitCORE=0.
check "start: not dumpable (/proc/PID/environ is root's)" test "$(stat -c %U "/proc/$pid/environ")" = root
no_core_size() { grep -Eq '^Max core file size +0 +0 ' "/proc/$pid/limits"; }
check "start: no core size (LimitCORE=0)" no_core_size

# LoadCredential=: the keys are in the service's credentials directory, not
# in its environment or command line; they are what makes the sandbox accept
# the calls below.
creds=/run/credentials/leadsync.service
same_keys() {
  cmp -s "$creds/lsq-access-key" /etc/leadsync/credentials/lsq-access-key &&
    cmp -s "$creds/lsq-secret" /etc/leadsync/credentials/lsq-secret
}
check "credentials: lsq-access-key and lsq-secret under $creds" same_keys
access_key=$(cat /etc/leadsync/credentials/lsq-access-key)
secret_key=$(cat /etc/leadsync/credentials/lsq-secret)
# without_keys FILE...: neither key appears in the files (or stdin).
without_keys() { ! grep -qaF -e "$access_key" -e "$secret_key" "$@"; }
check "credentials: the keys are not in the environment or the command line" \
  without_keys "/proc/$pid/environ" "/proc/$pid/cmdline"

# Delivery from the spool, and each bad line as one warning (PRIORITY=4).
drop "$spool" a.jsonl $'{"EmailAddress":"first@boot.test"}\n{"FirstName":"No key"}\nnot json\n'
check "delivery: a spool file's lead reaches the sandbox" eventually 30 sandbox_has first@boot.test
check "delivery: the file is moved to done/" eventually 10 test -f "$spool/done/a.jsonl"
check "journal: a.jsonl:2 rejected at warning" eventually 10 journal_shows 4 "source signups: a.jsonl:2: "
check "journal: a.jsonl:3 rejected at warning" eventually 10 journal_shows 4 "source signups: a.jsonl:3: "
check "journal: info lines stay at info" journal_shows 6 " running: "
no_prefix() { ! journalctl -q -u leadsync.service -o cat | grep -q '^<'; }
check "journal: no line kept a <level> prefix" no_prefix

# Writers cannot read each other's files: the packaged modes, and the spool's
# default ACL making a file 0604 under umask 022. Two writers by numeric id
# in leadsync-writers; a dot-file is never ingested, so it stays to be tried.
check "spool: packaged modes 3770 and done/ 700" test "$(stat -c %a "$spool")/$(stat -c %a "$spool/done")" = 3770/700
writers=$(getent group leadsync-writers | cut -d: -f3)
as_writer() { # UID COMMAND...: run as a writer with umask 022
  local uid=$1
  shift
  setpriv --reuid="$uid" --regid="$uid" --groups="$writers" -- sh -c 'umask 022; exec "$@"' sh "$@"
}
as_writer 61001 sh -c 'printf "%s\n" EmailAddress secret@boot.test >"$1"' sh "$spool/.writer-a.csv"
check "spool: writer A's file is 0604" test "$(stat -c %a "$spool/.writer-a.csv")" = 604
b_cannot_read() { ! as_writer 61002 cat "$spool/.writer-a.csv" >/dev/null 2>&1; }
check "spool: writer B cannot read writer A's file" b_cannot_read
daemon_reads() { setpriv --reuid=leadsync --regid=leadsync --clear-groups -- cat "$spool/.writer-a.csv" >/dev/null; }
check "spool: the leadsync account can read it" daemon_reads
rm -f "$spool/.writer-a.csv"

# Reload applies a change: a second spool source starts.
cp "$config" /root/leadsync.yaml.good
sed -i 's|^metrics:|  - name: second\n    type: spool\n    path: /var/spool/leadsync/second\n    create: true\nmetrics:|' "$config"
check "reload: systemctl reload succeeds" timeout 30 systemctl reload leadsync.service
check "reload: same process" test "$(main_pid)" = "$pid"
check "reload: the new source's directory appears" eventually 20 test -d "$spool/second"
drop "$spool/second" b.jsonl $'{"EmailAddress":"second@boot.test"}\n'
check "reload: the new source delivers" eventually 30 sandbox_has second@boot.test

# Reload refuses an invalid config: errors at err (PRIORITY=3), old config kept.
printf 'leadsquared: [not, a, map]\n' >"$config"
timeout 30 systemctl reload leadsync.service
check "refused reload: still active, same process" test "$(show ActiveState)/$(main_pid)" = "active/$pid"
check "refused reload: errors with FILE:LINE:COL at err" eventually 10 journal_shows 3 "reload refused: $config:1:"
check "refused reload: counted in leadsync_config_reload_failures_total" \
  eventually 10 metric_is leadsync_config_reload_failures_total 1
drop "$spool" c.jsonl $'{"EmailAddress":"third@boot.test"}\n'
check "refused reload: the old config still delivers" eventually 30 sandbox_has third@boot.test
cp /root/leadsync.yaml.good "$config"

# The watchdog: a stopped process misses its pings, systemd aborts and restarts it.
restarts=$(show NRestarts)
kill -STOP "$pid"
restarted() { [[ $(main_pid) != "$pid" && $(main_pid) != 0 ]] && active_with_status; }
check "watchdog: a SIGSTOPped daemon is restarted" eventually 60 restarted
timed_out() { journalctl -q -u leadsync.service -o cat | grep -q "Watchdog timeout"; }
check "watchdog: systemd logged the timeout" timed_out
check "watchdog: NRestarts went up" test "$(show NRestarts)" -gt "$restarts"

# Stop drains: a request in flight (the sandbox takes 1.5 s) finishes, exit 0,
# well within TimeoutStopSec. The restarted daemon first sends again what the
# stopped one had in flight (at-least-once); the request to watch is the one
# that carries the only pending record.
check "stop: the restarted daemon settles what it sent again" eventually 30 metric_is 'leadsync_queue_pending{priority="normal"}' 0
drop "$spool" d.jsonl $'{"EmailAddress":"fourth@boot.test"}\n'
carrying_fourth() { metric_is 'leadsync_queue_pending{priority="normal"}' 1 && metric_is leadsync_in_flight_requests 1; }
check "stop: a request carrying the new lead is in flight" eventually 20 carrying_fourth
start=$SECONDS
check "stop: systemctl stop returns" timeout 120 systemctl stop leadsync.service
took=$((SECONDS - start))
limit=$(systemd-analyze timespan "$(show TimeoutStopUSec)" | awk '/μs:/ {print int($2 / 1000000)}')
check "stop: within TimeoutStopSec (${took}s of ${limit}s)" test "$took" -lt "$limit"
check "stop: exit status 0, result success" test "$(show ExecMainStatus)/$(show Result)" = 0/success
check "stop: the in-flight request was delivered" sandbox_has fourth@boot.test
check "stop: logged a clean stop" journal_shows 6 "leadsync stopped;"

journal_without_keys() { journalctl -q -u leadsync.service -o cat | without_keys; }
check "journal: the keys never appear in the service's journal" journal_without_keys
