#!/usr/bin/env bash
# A real S3-compatible server for tests, CI and local runs: a single-node OpenStack Swift (Debian
# packages) with the s3api + tempauth middlewares, bound to 127.0.0.1. No systemd: the daemons are
# started directly and stopped by the PIDs recorded in the state directory.
#
#   scripts/s3-server.sh install        apt-get install the Swift packages (no-op when installed)
#   scripts/s3-server.sh start [DIR]    start (or reuse) a server whose state lives in DIR; prints env
#   scripts/s3-server.sh env   [DIR]    print the export lines for a running server
#   scripts/s3-server.sh stop  [DIR]    stop the daemons by PID
#   scripts/s3-server.sh bucket NAME... [--dir DIR]   create buckets (idempotent)
#
# Settings (environment): DETECT_S3_DIR (state dir, default ${TMPDIR:-/tmp}/detect-s3-server),
# DETECT_S3_PORT (base port, default 39080: proxy = base, object = +1, container = +2,
# account = +3, memcached = +4), DETECT_S3_BUCKETS (buckets created at start, default "detect").
# Credentials: access key "test:tester", secret "testing", region "us-east-1".
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PACKAGES=(swift swift-proxy swift-account swift-container swift-object memcached)
ACCESS_KEY="test:tester"
SECRET_KEY="testing"
REGION="us-east-1"
PY=/usr/bin/python3

die() { echo "s3-server: $*" >&2; exit 1; }
log() { echo "s3-server: $*" >&2; }

state_dir() { local d="${1:-${DETECT_S3_DIR:-${TMPDIR:-/tmp}/detect-s3-server}}"; mkdir -p "$d"; (cd "$d" && pwd); }

installed() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || return 1
  done
}

cmd_install() {
  if installed; then log "Swift packages already installed"; return 0; fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "installing ${PACKAGES[*]} needs root (or sudo)"
    sudo="sudo -n"
  fi
  log "installing ${PACKAGES[*]} (about 40 s)"
  # policy-rc.d 101: the packages' postinst must not try to start services (no init system here).
  local policy=/usr/sbin/policy-rc.d created_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && created_policy=1
  fi
  local rc=0
  {
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" </dev/null ||
      { $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null &&
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" </dev/null; }
  } >&2 || rc=$?
  [ -n "$created_policy" ] && $sudo rm -f "$policy"
  [ "$rc" = 0 ] || die "apt-get install ${PACKAGES[*]} failed (exit $rc)"
  installed || die "packages ${PACKAGES[*]} still not installed after apt-get"
}

ports() {
  BASE="${DETECT_S3_PORT:-39080}"
  [[ "$BASE" =~ ^[0-9]+$ ]] && [ "$BASE" -gt 1023 ] && [ "$BASE" -lt 65530 ] ||
    die "DETECT_S3_PORT='$BASE' must be a port number between 1024 and 65529"
  PROXY_PORT=$BASE; OBJECT_PORT=$((BASE + 1)); CONTAINER_PORT=$((BASE + 2))
  ACCOUNT_PORT=$((BASE + 3)); MEMCACHED_PORT=$((BASE + 4))
}

write_configs() {
  local dir="$1" etc="$1/etc"
  mkdir -p "$etc" "$dir/node/d1" "$dir/run" "$dir/log" "$dir/cache"
  cat >"$etc/swift.conf" <<EOF
[swift-hash]
swift_hash_path_suffix = detect-test-suffix
swift_hash_path_prefix = detect-test-prefix

[storage-policy:0]
name = Policy-0
default = yes
EOF
  local common="[DEFAULT]
bind_ip = 127.0.0.1
workers = 0
user = $(id -un)
swift_dir = $etc
devices = $dir/node
mount_check = false
log_level = WARNING
"
  local server
  for server in account container object; do
    local port_var="${server^^}_PORT"
    cat >"$etc/$server-server.conf" <<EOF
$common
bind_port = ${!port_var}

[pipeline:main]
pipeline = healthcheck $server-server

[app:$server-server]
use = egg:swift#$server

[filter:healthcheck]
use = egg:swift#healthcheck
EOF
  done
  cat >"$etc/proxy-server.conf" <<EOF
$common
bind_port = $PROXY_PORT

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats detect_stash_conditional_put s3api tempauth detect_restore_conditional_put copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:s3api]
use = egg:swift#s3api
location = $REGION
s3_acl = false
multi_delete_concurrency = 16

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = $SECRET_KEY .admin

[filter:detect_stash_conditional_put]
paste.filter_factory = detect_conditional_put:stash_filter_factory

[filter:detect_restore_conditional_put]
paste.filter_factory = detect_conditional_put:restore_filter_factory

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$MEMCACHED_PORT

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:copy]
use = egg:swift#copy

[filter:slo]
use = egg:swift#slo

[filter:dlo]
use = egg:swift#dlo
EOF
}

# Rings are built once per state dir (and again only when the ports change): one device, one replica.
build_rings() {
  local etc="$1/etc" stamp="$1/etc/rings.ports"
  if [ -f "$etc/object.ring.gz" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$BASE" ]; then return 0; fi
  local ring
  for ring in account container object; do
    local port_var="${ring^^}_PORT"
    rm -f "$etc/$ring.builder" "$etc/$ring.ring.gz"
    swift-ring-builder "$etc/$ring.builder" create 6 1 1 >/dev/null
    swift-ring-builder "$etc/$ring.builder" add "r1z1-127.0.0.1:${!port_var}/d1" 100 >/dev/null
    swift-ring-builder "$etc/$ring.builder" rebalance >/dev/null ||
      [ -f "$etc/$ring.ring.gz" ] || die "could not build the $ring ring in $etc"
  done
  echo "$BASE" >"$stamp"
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_free() {
  ! $PY - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.settimeout(0.3)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
EOF
}

launch() { # name pidfile command...
  local name="$1" pidfile="$2"; shift 2
  if pid_alive "$pidfile"; then return 0; fi
  setsid "$@" </dev/null >>"$DIR/log/$name.log" 2>&1 &
  echo $! >"$pidfile"
}

# Polls until every daemon answers and the S3 endpoint returns an S3 error document (proves s3api
# is in the pipeline and the proxy can reach account/container servers).
wait_ready() {
  $PY - "$DIR" "$PROXY_PORT" "$ACCOUNT_PORT" "$CONTAINER_PORT" "$OBJECT_PORT" <<'EOF' || return 1
import os, sys, time, urllib.request, urllib.error
state, ports = sys.argv[1], sys.argv[2:]
deadline = time.time() + float(os.environ.get("DETECT_S3_START_TIMEOUT", "60"))
def answers(url, want_s3_error=False):
    # s3api only handles requests that carry S3 auth; a bogus signature must give an S3 error document.
    headers = {"Authorization": "AWS probe:probe"} if want_s3_error else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=2) as r:
            return not want_s3_error and r.status == 200
    except urllib.error.HTTPError as e:
        return want_s3_error and b"<Error>" in e.read()
    except Exception:
        return False
while time.time() < deadline:
    for pidfile in [f for f in os.listdir(os.path.join(state, "run")) if f.endswith(".pid")]:
        pid = int(open(os.path.join(state, "run", pidfile)).read())
        try:
            os.kill(pid, 0)
        except OSError:
            sys.stderr.write("s3-server: %s exited; see %s/log/%s.log\n" % (pidfile[:-4], state, pidfile[:-4]))
            sys.exit(1)
    if all(answers("http://127.0.0.1:%s/healthcheck" % p) for p in ports) and \
            answers("http://127.0.0.1:%s/" % ports[0], want_s3_error=True):
        sys.exit(0)
    time.sleep(0.2)
sys.stderr.write("s3-server: not ready after the timeout; logs in %s/log\n" % state)
sys.exit(1)
EOF
}

print_env() {
  cat <<EOF
export AWS_ENDPOINT_URL_S3=http://127.0.0.1:$PROXY_PORT
export AWS_ACCESS_KEY_ID=$ACCESS_KEY
export AWS_SECRET_ACCESS_KEY=$SECRET_KEY
export AWS_REGION=$REGION
export AWS_DEFAULT_REGION=$REGION
EOF
}

# Buckets are created through Swift's own API (tempauth token), which needs no request signing.
create_buckets() {
  [ "$#" -gt 0 ] || return 0
  $PY - "$PROXY_PORT" "$ACCESS_KEY" "$SECRET_KEY" "$@" <<'EOF'
import sys, urllib.request
port, user, key, buckets = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
auth = urllib.request.Request("http://127.0.0.1:%s/auth/v1.0" % port,
                              headers={"X-Auth-User": user, "X-Auth-Key": key})
with urllib.request.urlopen(auth, timeout=10) as r:
    token, storage = r.headers["X-Auth-Token"], r.headers["X-Storage-Url"]
for b in buckets:
    req = urllib.request.Request(storage + "/" + b, method="PUT", headers={"X-Auth-Token": token})
    with urllib.request.urlopen(req, timeout=10) as r:
        if r.status not in (201, 202):
            sys.exit("s3-server: creating bucket %s answered %s" % (b, r.status))
EOF
}

cmd_start() {
  installed || die "Swift is not installed: run '$0 install' first"
  DIR="$(state_dir "${1:-}")"
  # A server already running in DIR keeps the ports it was started with.
  pid_alive "$DIR/run/proxy.pid" && [ -f "$DIR/port" ] && DETECT_S3_PORT="$(cat "$DIR/port")"
  ports
  if [ -f "$DIR/run/proxy.pid" ] && pid_alive "$DIR/run/proxy.pid" && wait_ready 2>/dev/null; then
    log "already running in $DIR"
  else
    cmd_stop_dir "$DIR" quiet
    local p
    for p in "$PROXY_PORT" "$OBJECT_PORT" "$CONTAINER_PORT" "$ACCOUNT_PORT" "$MEMCACHED_PORT"; do
      port_free "$p" || die "port $p on 127.0.0.1 is in use; set DETECT_S3_PORT to another base port"
    done
    $PY -c "import os,sys; open(sys.argv[1],'w').close(); os.setxattr(sys.argv[1],'user.detect',b'1')" "$DIR/.xattr-probe" 2>/dev/null ||
      die "the file system of $DIR does not support user xattrs, which Swift needs; set DETECT_S3_DIR to another place"
    rm -f "$DIR/.xattr-probe"
    write_configs "$DIR"
    build_rings "$DIR"
    local mc_user=()
    [ "$(id -u)" = 0 ] && mc_user=(-u root)
    launch memcached "$DIR/run/memcached.pid" memcached -l 127.0.0.1 -p "$MEMCACHED_PORT" -U 0 -m 64 "${mc_user[@]}"
    launch account "$DIR/run/account.pid" swift-account-server "$DIR/etc/account-server.conf" -v
    launch container "$DIR/run/container.pid" swift-container-server "$DIR/etc/container-server.conf" -v
    launch object "$DIR/run/object.pid" swift-object-server "$DIR/etc/object-server.conf" -v
    PYTHONPATH="$SCRIPT_DIR/swift${PYTHONPATH:+:$PYTHONPATH}" \
      launch proxy "$DIR/run/proxy.pid" swift-proxy-server "$DIR/etc/proxy-server.conf" -v
    if ! wait_ready; then
      tail -n 20 "$DIR"/log/*.log >&2 || true
      cmd_stop_dir "$DIR" quiet
      die "the server did not come up"
    fi
    echo "$BASE" >"$DIR/port"
    log "started in $DIR (S3 endpoint http://127.0.0.1:$PROXY_PORT)"
  fi
  # shellcheck disable=SC2086
  create_buckets ${DETECT_S3_BUCKETS-detect}
  print_env | tee "$DIR/env"
}

cmd_stop_dir() { # dir [quiet]
  local dir="$1" f stopped=0 pids=()
  [ -d "$dir/run" ] || { [ "${2:-}" = quiet ] || log "nothing to stop in $dir"; return 0; }
  for f in "$dir"/run/*.pid; do
    [ -f "$f" ] || continue
    if pid_alive "$f"; then pids+=("$(cat "$f")"); kill "$(cat "$f")" 2>/dev/null || true; stopped=$((stopped + 1)); fi
  done
  local i
  for i in $(seq 50); do
    local alive=0 p
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -f "$dir"/run/*.pid
  [ "${2:-}" = quiet ] || log "stopped $stopped daemon(s) of $dir"
}

cmd_env() {
  DIR="$(state_dir "${1:-}")"
  [ -f "$DIR/port" ] && DETECT_S3_PORT="$(cat "$DIR/port")"
  ports
  pid_alive "$DIR/run/proxy.pid" || die "no server running in $DIR; run '$0 start'"
  print_env
}

cmd_bucket() {
  local names=() dir=""
  while [ "$#" -gt 0 ]; do
    case "$1" in --dir) dir="$2"; shift 2 ;; *) names+=("$1"); shift ;; esac
  done
  [ "${#names[@]}" -gt 0 ] || die "usage: $0 bucket NAME... [--dir DIR]"
  DIR="$(state_dir "$dir")"
  [ -f "$DIR/port" ] && DETECT_S3_PORT="$(cat "$DIR/port")"
  ports
  create_buckets "${names[@]}"
}

case "${1:-}" in
  install) cmd_install ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop_dir "$(state_dir "${1:-}")" ;;
  env) shift; cmd_env "$@" ;;
  bucket) shift; cmd_bucket "$@" ;;
  *) echo "usage: $0 install | start [DIR] | env [DIR] | stop [DIR] | bucket NAME... [--dir DIR]" >&2; exit 2 ;;
esac
