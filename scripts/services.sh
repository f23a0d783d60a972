#!/usr/bin/env bash
# Local services for ValueGraph without a container engine:
#   Neo4j 5.26 Community, embedded in tools/neo4j (Maven Central artifacts, Java 17)
#   Redis from Debian packages
#
#   scripts/services.sh up      install what is missing, start both, wait until each answers
#   scripts/services.sh down    stop what this script started (and make demo's server and worker)
#   scripts/services.sh status  say what answers where
#
# Idempotent: a service that already answers is used as it is. If NEO4J_URI points
# at a Neo4j that answers, no local Neo4j is started.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state=${VALUEGRAPH_STATE:-$root/.state}
: "${NEO4J_PASSWORD:=valuegraph-dev}"   # documented local default, see README
: "${NEO4J_URI:=bolt://127.0.0.1:7687}"
: "${REDIS_URL:=redis://127.0.0.1:6379/0}"
: "${NEO4J_HEAP:=4g}"
: "${NEO4J_PAGECACHE_MB:=2048}"
export NEO4J_PASSWORD

log() { printf 'services: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# host_port URI -> "host port" with the scheme's default port.
host_port() {
  local uri=$1 default=$2 rest hp
  rest=${uri#*://}; rest=${rest#*@}; hp=${rest%%/*}; hp=${hp%%\?*}
  if [[ $hp == *:* ]]; then echo "${hp%:*} ${hp##*:}"; else echo "$hp $default"; fi
}

# bolt_answers HOST PORT: true when a Bolt server completes the version handshake.
bolt_answers() {
  local host=$1 port=$2 reply
  reply=$(timeout 3 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "\x60\x60\xb0\x17\x00\x04\x04\x05\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00" >&3
    head -c 4 <&3 | od -An -tx1 | tr -d " \n"' "$host" "$port" 2>/dev/null) || return 1
  [[ -n $reply && $reply != 00000000 ]]
}

redis_answers() {
  local host=$1 port=$2
  command -v redis-cli >/dev/null || return 1
  [[ $(timeout 3 redis-cli -h "$host" -p "$port" ping 2>/dev/null) == PONG ]]
}

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

ensure_redis_installed() {
  command -v redis-server >/dev/null && return
  log "installing redis-server from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -q redis-server >/dev/null 2>&1 ||
    { as_root apt-get update -q >/dev/null && as_root apt-get install -y -q redis-server >/dev/null; } ||
    die "apt-get install redis-server failed"
}

redis_up() {
  read -r host port < <(host_port "$REDIS_URL" 6379)
  if redis_answers "$host" "$port"; then log "redis answers on $host:$port"; return; fi
  [[ $host == 127.0.0.1 || $host == localhost ]] || die "REDIS_URL=$REDIS_URL does not answer PING and is not local"
  ensure_redis_installed
  mkdir -p "$state/redis"
  # Debian's package may have started its own instance; if it answers now, use it.
  if redis_answers "$host" "$port"; then log "redis answers on $host:$port"; return; fi
  redis-server --bind 127.0.0.1 --port "$port" --dir "$state/redis" --daemonize yes \
    --pidfile "$state/redis/redis.pid" --logfile "$state/redis/redis.log" --save 60 1000 >/dev/null
  for _ in $(seq 1 50); do
    redis_answers "$host" "$port" && { log "redis started on $host:$port (data in $state/redis)"; return; }
    sleep 0.2
  done
  die "redis did not answer PING on $host:$port; see $state/redis/redis.log"
}

neo4j_build() {
  local dir=$root/tools/neo4j
  local stamp=$dir/target/classes/dev/valuegraph/neo4j/Launcher.class
  if [[ -f $dir/target/classpath.txt && -f $stamp && $stamp -nt $dir/src/main/java/dev/valuegraph/neo4j/Launcher.java && $dir/target/classpath.txt -nt $dir/pom.xml ]]; then
    return
  fi
  command -v mvn >/dev/null || die "mvn not found: Maven is needed to fetch Neo4j from Maven Central"
  command -v javac >/dev/null || die "javac not found: a Java 17 JDK is needed to run Neo4j"
  log "resolving org.neo4j:neo4j from Maven Central (cached in ~/.m2)"
  (cd "$dir" && mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/classpath.txt) ||
    die "mvn could not resolve the Neo4j launcher's dependencies"
  mkdir -p "$dir/target/classes"
  javac -nowarn -cp "$(cat "$dir/target/classpath.txt")" -d "$dir/target/classes" \
    "$dir/src/main/java/dev/valuegraph/neo4j/Launcher.java" || die "javac failed on the Neo4j launcher"
}

neo4j_up() {
  read -r host port < <(host_port "$NEO4J_URI" 7687)
  if bolt_answers "$host" "$port"; then log "neo4j answers on $NEO4J_URI"; return; fi
  [[ $host == 127.0.0.1 || $host == localhost ]] || die "NEO4J_URI=$NEO4J_URI does not answer and is not local"
  neo4j_build
  local dir=$root/tools/neo4j home=$state/neo4j
  mkdir -p "$home"
  log "starting neo4j 5.26 community on $host:$port (data in $home)"
  NEO4J_HOME_DIR=$home NEO4J_BOLT_HOST=$host NEO4J_BOLT_PORT=$port NEO4J_PAGECACHE_MB=$NEO4J_PAGECACHE_MB \
    nohup java -Xms1g -Xmx"$NEO4J_HEAP" -XX:+UseG1GC \
      -cp "$dir/target/classes:$(cat "$dir/target/classpath.txt")" dev.valuegraph.neo4j.Launcher \
      >"$home/launcher.log" 2>&1 &
  echo $! >"$home/launcher.pid"
  for _ in $(seq 1 180); do
    if bolt_answers "$host" "$port" && grep -q 'neo4j ready' "$home/launcher.log"; then
      log "$(grep 'neo4j ready' "$home/launcher.log" | tail -n 1)"; return
    fi
    if ! kill -0 "$(cat "$home/launcher.pid")" 2>/dev/null || grep -q '^Exception in thread "main"' "$home/launcher.log"; then
      grep -m 3 -E 'launcher:|Exception' "$home/launcher.log" >&2 || true
      stop_pid neo4j "$home/launcher.pid"
      die "neo4j failed to start; see $home/launcher.log"
    fi
    sleep 1
  done
  die "neo4j did not answer on $host:$port within 180s; see $home/launcher.log"
}

stop_pid() {
  local name=$1 pidfile=$2
  [[ -f $pidfile ]] || { log "$name: not started by this script"; return; }
  local pid; pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "$name stopped"
  fi
  rm -f "$pidfile"
}

status() {
  local rc=0
  read -r host port < <(host_port "$NEO4J_URI" 7687)
  if bolt_answers "$host" "$port"; then echo "neo4j  up    $NEO4J_URI"; else echo "neo4j  down  $NEO4J_URI"; rc=1; fi
  read -r host port < <(host_port "$REDIS_URL" 6379)
  if redis_answers "$host" "$port"; then echo "redis  up    $REDIS_URL"; else echo "redis  down  $REDIS_URL"; rc=1; fi
  return $rc
}

case ${1:-} in
  up) redis_up; neo4j_up; status ;;
  down)
    # make demo's server and worker first, so nothing writes while the services stop
    for p in serve worker; do [[ -f $state/demo/$p.pid ]] && stop_pid "demo $p" "$state/demo/$p.pid"; done
    stop_pid neo4j "$state/neo4j/launcher.pid"; stop_pid redis "$state/redis/redis.pid" ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
