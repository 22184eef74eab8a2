#!/usr/bin/env bash
# Sequin's load benchmark. In one run, on loopback, with the server pinned to one core and the client to another:
#   1. GET /plaintext and GET /json with wrk on each backend raw (answering on its I/O thread), each backend through
#      Sequin in its default mode (a virtual thread per request) and its non-blocking mode (@NonBlocking views on the
#      I/O thread), Javalin 7 and Jooby 3 (Netty): warm-up until throughput
#      stops climbing, then interleaved rounds; median req/s, spread, p99 latency, server CPU seconds per 100k requests;
#   2. streaming 1 GiB through resp.streaming vs the raw server, after downloads until throughput stops climbing:
#      throughput, server CPU, peak heap (from -Xlog:gc);
#   3. uploading 1 GiB, read through req.body() vs the raw server's asynchronous reads, measured as streaming is
#      (with the same STREAM_* settings);
#   4. the time from `java -jar` to the first answered request of the example app, per backend;
#   5. only when PHASES names it: a JFR profile of each server under wrk (benchmarks/profile.jfc), one endpoint at a
#      time after PROFILE_WARMUP seconds (= WARMUP_MIN), reported as CPU per request by layer of code (Sequin, server
#      library, JDK, system calls...) and allocation per request by site.
# It prints markdown tables (every figure also as a ratio to the raw server of the same backend) and keeps them, with
# every wrk output and server log, in benchmarks/target/load/.
#
#   benchmarks/load.sh                     full run (~20 min on 2 cores): ROUNDS=5 DURATION=8
#   QUICK=1 benchmarks/load.sh             smoke test (~3 min): ROUNDS=2 DURATION=2, 4 s warm-up, 512 MiB streams
#                                          and uploads (one to warm up, one measured)
#   ROUNDS=3 DURATION=15 benchmarks/load.sh
#
# Other settings (environment): CONNECTIONS (64), WARMUP_SLICE/WARMUP_MIN/WARMUP_MAX (seconds: 5/15/40),
# STREAM_ROUNDS (5), STREAM_MIB (1024), STREAM_WARMUP_MIN/STREAM_WARMUP_MAX (downloads or uploads: 3/10),
# STARTUP_ROUNDS (= ROUNDS), SERVER_CPU (0), CLIENT_CPU (1), PORT_BASE (18080), SERVER_JAVA_OPTS (-Xms256m -Xmx256m),
# PHASES ("load stream upload startup"; add "profile" for phase 5), PROFILE_WARMUP, SKIP_BUILD=1 (use the jars already built),
# ONLY (a substring of variant keys, for example ONLY=jetty: raw-jetty, sequin-jetty, sequin-nb-jetty),
# OUT (benchmarks/target/load). Needs wrk (installed from Debian packages when missing), curl, taskset, Maven, JDK 21+.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

QUICK="${QUICK:-0}"
if [ "$QUICK" = 1 ]; then
  ROUNDS="${ROUNDS:-2}"; DURATION="${DURATION:-2}"
  WARMUP_SLICE="${WARMUP_SLICE:-2}"; WARMUP_MIN="${WARMUP_MIN:-4}"; WARMUP_MAX="${WARMUP_MAX:-4}"
  STREAM_ROUNDS="${STREAM_ROUNDS:-1}"; STREAM_MIB="${STREAM_MIB:-512}"; STREAM_WARMUP_MIN="${STREAM_WARMUP_MIN:-1}"
  STREAM_WARMUP_MAX="${STREAM_WARMUP_MAX:-1}"
fi
ROUNDS="${ROUNDS:-5}"; DURATION="${DURATION:-8}"
WARMUP_SLICE="${WARMUP_SLICE:-5}"; WARMUP_MIN="${WARMUP_MIN:-15}"; WARMUP_MAX="${WARMUP_MAX:-40}"
STREAM_ROUNDS="${STREAM_ROUNDS:-5}"; STREAM_MIB="${STREAM_MIB:-1024}"; STARTUP_ROUNDS="${STARTUP_ROUNDS:-$ROUNDS}"
STREAM_WARMUP_MIN="${STREAM_WARMUP_MIN:-3}"; STREAM_WARMUP_MAX="${STREAM_WARMUP_MAX:-10}"
PROFILE_WARMUP="${PROFILE_WARMUP:-$WARMUP_MIN}"
CONNECTIONS="${CONNECTIONS:-64}"; SERVER_CPU="${SERVER_CPU:-0}"; CLIENT_CPU="${CLIENT_CPU:-1}"; PORT_BASE="${PORT_BASE:-18080}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xms256m -Xmx256m}"; PHASES="${PHASES:-load stream upload startup}"
OUT="${OUT:-$ROOT/benchmarks/target/load}"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
EXAMPLE_JAR="$ROOT/benchmarks/target/example-app.jar"
SERVERS=dev.sequin.benchmarks.servers
CLK_TCK="$(getconf CLK_TCK)"
STARTED="$(date +%s)"
LOADAVG="$(cut -d" " -f1-3 /proc/loadavg)"

say() { echo "[load $(( $(date +%s) - STARTED ))s] $*" >&2; }
die() { echo "load.sh: $*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------------------------------------------
java_major() { # the major version of the java binary $1, or 0 (as ./sequin does)
  "$1" -version 2>&1 | sed -nE '1s/.*version "([0-9]+)(\.[^"]*)?".*/\1/p' | grep -E '^[0-9]+$' || echo 0
}
pick_jdk() { # JAVA_HOME, then `java` on PATH, then /usr/lib/jvm/*, the first JDK 21+ (as ./sequin does)
  local candidates=() home dir
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  command -v java >/dev/null 2>&1 && candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  for dir in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${dir%/}"); done
  for home in "${candidates[@]}"; do
    if [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] && [ "$(java_major "$home/bin/java")" -ge 21 ]; then
      echo "$home"; return 0
    fi
  done
  die "no JDK 21 or newer found in JAVA_HOME, on PATH or under /usr/lib/jvm"
}
JAVA_HOME="$(pick_jdk)"; export JAVA_HOME; export PATH="$JAVA_HOME/bin:$PATH"
JAVA_FLAGS=()
[ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ] && JAVA_FLAGS+=(--sun-misc-unsafe-memory-access=allow)
export MAVEN_OPTS="${MAVEN_OPTS:-} ${JAVA_FLAGS[*]}"
read -r -a HEAP_OPTS <<< "$SERVER_JAVA_OPTS"

if ! command -v wrk >/dev/null 2>&1; then
  say "installing wrk from Debian packages"
  SUDO=(); [ "$(id -u)" -ne 0 ] && SUDO=(sudo)
  "${SUDO[@]}" apt-get update && "${SUDO[@]}" apt-get install -y wrk
fi
for tool in curl taskset mvn; do command -v "$tool" >/dev/null 2>&1 || die "$tool is not on PATH"; done
[ "$(nproc)" -ge 2 ] || say "warning: only $(nproc) CPU; server and client will share it"

# --- build -------------------------------------------------------------------------------------------------------
PEERS=(javalin jooby)
BUILD_LOG="$ROOT/benchmarks/target/load-build.log"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mkdir -p "$(dirname "$BUILD_LOG")"; : > "$BUILD_LOG"
  say "building benchmarks (and the modules it uses); log in $BUILD_LOG"
  mvn -B -q -pl benchmarks -am -DskipTests package >> "$BUILD_LOG" 2>&1 || { tail -40 "$BUILD_LOG"; die "the build failed"; }
  for peer in "${PEERS[@]}"; do
    say "building peer $peer"
    rm -f "benchmarks/peers/$peer/target/classpath.txt" # so a peer that fails to build is left out, not run stale
    mvn -B -q -f "benchmarks/peers/$peer/pom.xml" package >> "$BUILD_LOG" 2>&1 \
      || say "warning: peer $peer did not build (see $BUILD_LOG); left out"
  done
fi
[ -f "$JAR" ] || die "$JAR is missing: run without SKIP_BUILD=1"
peer_version() { sed -nE "s|.*<$1.version>([^<]+)</$1.version>.*|\1|p" "benchmarks/peers/$1/pom.xml"; }
peer_cp() { echo "$ROOT/benchmarks/peers/$1/target/classes:$(cat "$ROOT/benchmarks/peers/$1/target/classpath.txt")"; }

rm -rf "$OUT"; mkdir -p "$OUT/wrk" "$OUT/logs" "$OUT/gc"

# --- servers -----------------------------------------------------------------------------------------------------
# variant|label|baseline variant|main class and arguments (before the port)|classpath
VARIANTS=(
  "raw-undertow|Undertow (raw, I/O thread)|raw-undertow|$SERVERS.RawUndertow|$JAR"
  "sequin-undertow|Sequin on Undertow|raw-undertow|$SERVERS.SequinServer undertow|$JAR"
  "sequin-nb-undertow|Sequin on Undertow, non-blocking|raw-undertow|$SERVERS.SequinServer undertow nonblocking|$JAR"
  "raw-jetty|Jetty (raw, I/O thread)|raw-jetty|$SERVERS.RawJetty|$JAR"
  "sequin-jetty|Sequin on Jetty|raw-jetty|$SERVERS.SequinServer jetty|$JAR"
  "sequin-nb-jetty|Sequin on Jetty, non-blocking|raw-jetty|$SERVERS.SequinServer jetty nonblocking|$JAR"
)
[ -f benchmarks/peers/javalin/target/classpath.txt ] && VARIANTS+=(
  "javalin|Javalin $(peer_version javalin) (Jetty)|raw-jetty|dev.sequin.peers.JavalinServer|$(peer_cp javalin)")
VARIANTS+=(
  "raw-netty|Netty (raw, I/O thread)|raw-netty|$SERVERS.RawNetty|$JAR"
  "sequin-netty|Sequin on Netty|raw-netty|$SERVERS.SequinServer netty|$JAR"
  "sequin-nb-netty|Sequin on Netty, non-blocking|raw-netty|$SERVERS.SequinServer netty nonblocking|$JAR"
)
[ -f benchmarks/peers/jooby/target/classpath.txt ] && VARIANTS+=(
  "jooby|Jooby $(peer_version jooby) (Netty)|raw-netty|dev.sequin.peers.JoobyServer|$(peer_cp jooby)")
if [ -n "${ONLY:-}" ]; then # ONLY=jetty: just the variants whose key contains it (and their raw baselines)
  kept=(); for spec in "${VARIANTS[@]}"; do [[ "$(cut -d'|' -f1 <<< "$spec")" == *"$ONLY"* ]] && kept+=("$spec"); done
  VARIANTS=("${kept[@]}")
fi

declare -A PID PORT
stop_all() {
  local key
  for key in "${!PID[@]}"; do kill "${PID[$key]}" 2>/dev/null || true; done
  for key in "${!PID[@]}"; do wait "${PID[$key]}" 2>/dev/null || true; done
  PID=()
}
trap stop_all EXIT

field() { local parts; IFS='|' read -r -a parts <<< "$1"; echo "${parts[$2]}"; } # field N of a variant spec

start_server() { # variant-spec port logname [extra JVM options...]
  local spec="$1" port="$2" name="$3"; shift 3
  local key main cp
  key="$(field "$spec" 0)"; main="$(field "$spec" 3)"; cp="$(field "$spec" 4)"
  # shellcheck disable=SC2086
  taskset -c "$SERVER_CPU" java "${JAVA_FLAGS[@]}" "${HEAP_OPTS[@]}" "$@" -cp "$cp" $main "$port" \
    > "$OUT/logs/$name.log" 2>&1 &
  PID[$key]=$!; PORT[$key]=$port
  local deadline=$(( $(date +%s) + 60 ))
  until curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/plaintext"; do
    kill -0 "${PID[$key]}" 2>/dev/null || { tail -20 "$OUT/logs/$name.log" >&2; die "$key exited while starting"; }
    [ "$(date +%s)" -lt "$deadline" ] || die "$key did not answer within 60 s"
    sleep 0.1
  done
}

check_answers() { # variant: the two endpoints answer as specified
  local key="$1" port="${PORT[$1]}" body type
  body="$(curl -s "http://127.0.0.1:$port/plaintext")"; type="$(curl -s -o /dev/null -w '%{content_type}' "http://127.0.0.1:$port/plaintext")"
  [ "$body" = "Hello, World!" ] && [[ "$type" == text/plain* ]] || die "$key /plaintext answered '$body' ($type)"
  body="$(curl -s "http://127.0.0.1:$port/json")"; type="$(curl -s -o /dev/null -w '%{content_type}' "http://127.0.0.1:$port/json")"
  [ "$(tr -d ' ' <<< "$body")" = '{"message":"Hello,World!"}' ] && [[ "$type" == application/json* ]] \
    || die "$key /json answered '$body' ($type)"
}

cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; } # utime + stime of the whole process
core_ticks() { awk -v cpu="cpu$SERVER_CPU" '$1 == cpu {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; } # server core busy

heap_in_use() { # KiB of heap in use now: the "used" of each top-level space jcmd GC.heap_info lists (any collector)
  jcmd "$1" GC.heap_info | awk '/^[A-Za-z]/ && !/Metaspace|class space/ && match($0, /used [0-9]+K/) {
    kib += substr($0, RSTART + 5, RLENGTH - 6)} END {printf "%d", kib}'
}

interleaved() { # round spec...: the specs one a line, backwards in even rounds, so no server always runs first
  local round="$1"; shift
  if [ $((round % 2)) -eq 0 ]; then
    local j; for ((j = $#; j >= 1; j--)); do echo "${!j}"; done
  else
    printf '%s\n' "$@"
  fi
}

run_wrk() { # url seconds outfile
  taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"$2s" --latency "$1" > "$3"
  grep -q 'Requests/sec' "$3" || die "wrk failed on $1: $(cat "$3")"
}

# --- 1. load -----------------------------------------------------------------------------------------------------
if [[ " $PHASES " == *" load "* ]]; then
  say "load: ${#VARIANTS[@]} servers, ${ROUNDS} rounds of ${DURATION}s per endpoint, $CONNECTIONS connections"
  i=0
  for spec in "${VARIANTS[@]}"; do
    key="$(field "$spec" 0)"
    start_server "$spec" $((PORT_BASE + i)) "$key" "-Xlog:gc:file=$OUT/gc/$key.log"
    check_answers "$key"
    i=$((i + 1))
  done
  for spec in "${VARIANTS[@]}"; do
    key="$(field "$spec" 0)"
    for endpoint in plaintext json; do
      best=0; elapsed=0; trace=""
      while [ "$elapsed" -lt "$WARMUP_MAX" ]; do
        run_wrk "http://127.0.0.1:${PORT[$key]}/$endpoint" "$WARMUP_SLICE" "$OUT/wrk/warmup.txt"
        rps="$(awk '/Requests\/sec/ {printf "%d", $2}' "$OUT/wrk/warmup.txt")"
        elapsed=$((elapsed + WARMUP_SLICE)); trace="$trace $rps"
        # stops climbing: this slice is under 2% above the best before it
        [ "$elapsed" -ge "$WARMUP_MIN" ] && [ $((rps * 100)) -lt $((best * 102)) ] && break
        [ "$rps" -gt "$best" ] && best="$rps"
      done
      echo "$key /$endpoint warm-up req/s per ${WARMUP_SLICE}s slice:$trace" >> "$OUT/warmup.txt"
      say "warmed $key /$endpoint:$trace"
    done
  done
  rm -f "$OUT/wrk/warmup.txt"
  for round in $(seq "$ROUNDS"); do
    mapfile -t order < <(interleaved "$round" "${VARIANTS[@]}")
    for endpoint in plaintext json; do
      for spec in "${order[@]}"; do
        key="$(field "$spec" 0)"; file="wrk/$key-$endpoint-r$round.txt"
        before="$(cpu_ticks "${PID[$key]}")"; core_before="$(core_ticks)"
        run_wrk "http://127.0.0.1:${PORT[$key]}/$endpoint" "$DURATION" "$OUT/$file"
        after="$(cpu_ticks "${PID[$key]}")"; core_after="$(core_ticks)"
        # the server core's busy time not charged to the server: other processes, and kernel work done in interrupts
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$(field "$spec" 1)" "$(field "$spec" 2)" "$endpoint" "$round" \
          "$file" "$(awk -v t=$((after - before)) -v hz="$CLK_TCK" 'BEGIN {printf "%.2f", t / hz}')" \
          "$(awk -v t=$((core_after - core_before - after + before)) -v hz="$CLK_TCK" 'BEGIN {printf "%.2f", (t < 0 ? 0 : t) / hz}')" \
          >> "$OUT/load.tsv"
      done
    done
    say "round $round of $ROUNDS done"
  done
  stop_all
fi

# --- 2. streaming and 3. uploading -------------------------------------------------------------------------------
TRANSFER_BYTES=$((STREAM_MIB * 1024 * 1024))
stream_curl() { # port -> "status bytes seconds counted" of one GET /stream: curl counted what it received
  taskset -c "$CLIENT_CPU" curl -s -o /dev/null --max-time 300 \
    -w '%{http_code} %{size_download} %{time_total} %{size_download}\n' "http://127.0.0.1:$1/stream"
}
upload_curl() { # port -> "status bytes seconds counted" of one POST /upload: the server answers what it received
  : > "$OUT/upload-answer.txt"
  taskset -c "$CLIENT_CPU" curl -s -o "$OUT/upload-answer.txt" --max-time 300 -X POST -H 'Expect:' \
    -T "$OUT/upload.bin" -w '%{http_code} %{size_upload} %{time_total}' "http://127.0.0.1:$1/upload"
  echo " $(cat "$OUT/upload-answer.txt")"
}
transfer_once() { # phase key -> "MiB/s seconds cpu-seconds" of one transfer by ${phase}_curl, which must be whole
  local before after code size seconds counted
  before="$(cpu_ticks "${PID[$2]}")"
  read -r code size seconds counted < <("$1_curl" "${PORT[$2]}")
  after="$(cpu_ticks "${PID[$2]}")"
  [ "$code" = 200 ] && [ "$size" = "$TRANSFER_BYTES" ] && [ "$counted" = "$TRANSFER_BYTES" ] \
    || die "$2 $1: status $code, curl moved $size of $TRANSFER_BYTES bytes, the receiver counted ${counted:-none}"
  awk -v b="$TRANSFER_BYTES" -v s="$seconds" -v t=$((after - before)) -v hz="$CLK_TCK" \
    'BEGIN {printf "%d %s %.2f\n", b / 1048576 / s, s, t / hz}'
}
transfer_phase() { # phase [JVM options...]: raw and default-mode servers, warmed up, then STREAM_ROUNDS into $phase.tsv
  local phase="$1"; shift
  local spec key transfer speed seconds cpu best trace warmup round servers=() order=()
  say "$phase: $STREAM_MIB MiB, warm-up until throughput stops climbing, then $STREAM_ROUNDS interleaved rounds"
  for spec in "${VARIANTS[@]}"; do
    key="$(field "$spec" 0)"
    [[ "$key" == raw-* || "$key" == sequin-* ]] || continue
    [[ "$key" == sequin-nb-* ]] && continue # transfers on a virtual thread, as in the default mode
    start_server "$spec" $((PORT_BASE + ${#servers[@]})) "$phase-$key" "$@" "-Xlog:gc:file=$OUT/gc/$phase-$key.log"
    servers+=("$spec")
  done
  for spec in "${servers[@]}"; do
    key="$(field "$spec" 0)"
    # the JIT takes several gigabytes: downloads at 0.6, 1.1, 1.9, 2.1, then 2.2 GiB/s was one start on this machine
    best=0; trace=""
    for warmup in $(seq "$STREAM_WARMUP_MAX"); do
      transfer="$(transfer_once "$phase" "$key")"
      read -r speed _ _ <<< "$transfer"
      trace="$trace $speed"
      # stops climbing: this transfer is under 2% faster than the best before it
      [ "$warmup" -ge "$STREAM_WARMUP_MIN" ] && [ $((speed * 100)) -lt $((best * 102)) ] && break
      [ "$speed" -gt "$best" ] && best="$speed"
    done
    echo "$phase-$key warm-up MiB/s per transfer:$trace" >> "$OUT/warmup.txt"
    say "warmed $phase-$key, MiB/s per transfer:$trace"
  done
  for round in $(seq "$STREAM_ROUNDS"); do
    mapfile -t order < <(interleaved "$round" "${servers[@]}")
    for spec in "${order[@]}"; do
      key="$(field "$spec" 0)"
      transfer="$(transfer_once "$phase" "$key")"
      read -r _ seconds cpu <<< "$transfer"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$(field "$spec" 1)" "$(field "$spec" 2)" "$round" \
        "$TRANSFER_BYTES" "$seconds" "$cpu" "gc/$phase-$key.log" "$(heap_in_use "${PID[$key]}")" >> "$OUT/$phase.tsv"
    done
    say "$phase round $round of $STREAM_ROUNDS done"
  done
  stop_all
}
if [[ " $PHASES " == *" stream "* ]]; then
  transfer_phase stream "-Dbench.streamBytes=$TRANSFER_BYTES"
fi
if [[ " $PHASES " == *" upload "* ]]; then
  truncate -s "$TRANSFER_BYTES" "$OUT/upload.bin" # sparse: zeros that take no disk
  transfer_phase upload
  rm -f "$OUT/upload.bin"
fi

# --- 4. start-up -------------------------------------------------------------------------------------------------
if [[ " $PHASES " == *" startup "* ]]; then
  say "start-up: the example app, $STARTUP_ROUNDS times per backend"
  for backend in undertow jetty netty; do
    for round in $(seq "$STARTUP_ROUNDS"); do
      t0="$(date +%s%N)"
      (cd examples && PORT="$PORT_BASE" exec taskset -c "$SERVER_CPU" java "${JAVA_FLAGS[@]}" \
        -Dsequin.backend="$backend" -jar "$EXAMPLE_JAR") > "$OUT/logs/startup-$backend-$round.log" 2>&1 &
      PID[startup]=$!
      until [ "$(taskset -c "$CLIENT_CPU" curl -s -o /dev/null --max-time 1 -w '%{http_code}' \
          "http://127.0.0.1:$PORT_BASE/text")" = 200 ]; do
        kill -0 "${PID[startup]}" 2>/dev/null || die "the example app on $backend exited: see $OUT/logs"
        [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt 60 ] || die "the example app on $backend did not answer in 60 s"
        sleep 0.005
      done
      t1="$(date +%s%N)"
      printf '%s\t%s\t%s\n' "$backend" "$round" $(( (t1 - t0) / 1000000 )) >> "$OUT/startup.tsv"
      stop_all
    done
    say "started the example app on $backend"
  done
fi

# --- 5. profile (not in the default PHASES) ------------------------------------------------------------------
if [[ " $PHASES " == *" profile "* ]]; then
  say "profile: each server under wrk with JFR (benchmarks/profile.jfc), ${PROFILE_WARMUP}s warm-up and ${DURATION}s per endpoint"
  mkdir -p "$OUT/jfr"
  i=0
  for spec in "${VARIANTS[@]}"; do
    key="$(field "$spec" 0)"
    start_server "$spec" $((PORT_BASE + i)) "profile-$key" \
      "-XX:StartFlightRecording:name=profile,settings=$ROOT/benchmarks/profile.jfc"
    i=$((i + 1))
    for endpoint in plaintext json; do
      run_wrk "http://127.0.0.1:${PORT[$key]}/$endpoint" "$PROFILE_WARMUP" "$OUT/wrk/warmup.txt"
      from="$(date +%s%3N)"; before="$(cpu_ticks "${PID[$key]}")"
      run_wrk "http://127.0.0.1:${PORT[$key]}/$endpoint" "$DURATION" "$OUT/wrk/profile-$key-$endpoint.txt"
      after="$(cpu_ticks "${PID[$key]}")"; to="$(date +%s%3N)"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$(field "$spec" 1)" "$endpoint" "jfr/$key.jfr" \
        "$(awk '/requests in/ {print $1}' "$OUT/wrk/profile-$key-$endpoint.txt")" \
        "$(awk -v t=$((after - before)) -v hz="$CLK_TCK" 'BEGIN {printf "%.2f", t / hz}')" "$from" "$to" >> "$OUT/profile.tsv"
    done
    jcmd "${PID[$key]}" JFR.dump name=profile filename="$OUT/jfr/$key.jfr" > /dev/null
    stop_all
    say "profiled $key"
  done
  rm -f "$OUT/wrk/warmup.txt"
fi

# --- report ------------------------------------------------------------------------------------------------------
{
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)),"
  echo "$(java -version 2>&1 | head -1), wrk $(wrk -v 2>&1 | sed -nE '1s/^wrk ([^ ]+).*/\1/p'); server on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU;"
  echo "ROUNDS=$ROUNDS DURATION=${DURATION}s CONNECTIONS=$CONNECTIONS warm-up ${WARMUP_MIN}-${WARMUP_MAX}s in ${WARMUP_SLICE}s slices,"
  echo "STREAM_ROUNDS=$STREAM_ROUNDS of $STREAM_MIB MiB after a warm-up of $STREAM_WARMUP_MIN-$STREAM_WARMUP_MAX transfers,"
  echo "server JVM options: ${JAVA_FLAGS[*]} $SERVER_JAVA_OPTS; load average before the run: $LOADAVG, after: $(cut -d" " -f1-3 /proc/loadavg)."
  java -cp "$JAR" dev.sequin.benchmarks.report.LoadReport "$OUT"
  java -cp "$JAR" dev.sequin.benchmarks.report.ProfileReport "$OUT"
} > "$OUT/results.md"
cat "$OUT/results.md"
say "done; tables in $OUT/results.md"
