#!/usr/bin/env bash
# Local Docker engine and base image for Sequin's container tests, with no image registry.
#
# Builds sequin/jre:25 from the host's JDK: a jlink'd runtime plus the glibc files it links
# against, loaded with `docker import` (nothing is pulled). Starts Debian's dockerd when no
# engine answers, installing docker.io first if needed. Each step is skipped when done.
#
# Usage: local-jre-image.sh [up|image|down|status]
#   up      (default) install docker.io if missing, start dockerd if none answers, build the image
#   image   build the image only; rebuilt when the JDK, the modules or this recipe changed
#   down    stop dockerd by the PID in /var/run/docker.pid and wait for it to exit
#   status  tell whether an engine answers and whether the image is there
# Environment (all optional):
#   SEQUIN_JDK          JDK to jlink from    (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   SEQUIN_JRE_IMAGE    tag to build         (default sequin/jre:25)
#   SEQUIN_JRE_MODULES  jlink --add-modules  (default: java.se and the jdk.* modules servers use)
#   SEQUIN_DOCKERD_LOG  dockerd's log file   (default /tmp/sequin-dockerd.log)
# Exit status: 0 done; 1 failed; 3 no engine can be started here (callers may skip, not fail).
set -euo pipefail

JDK="${SEQUIN_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
IMAGE="${SEQUIN_JRE_IMAGE:-sequin/jre:25}"
MODULES="${SEQUIN_JRE_MODULES:-java.se,jdk.httpserver,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.naming.dns,jdk.management}"
DOCKERD_LOG="${SEQUIN_DOCKERD_LOG:-/tmp/sequin-dockerd.log}"
PIDFILE=/var/run/docker.pid
RECIPE=1 # bump when the image layout below changes, to force a rebuild
KEY_LABEL=dev.sequin.jre.key

log() { printf 'local-jre-image: %s\n' "$*" >&2; }

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

dockerd_pid() {
  local pid
  [[ -r "$PIDFILE" ]] || return 1
  pid="$(cat "$PIDFILE")"
  alive "$pid" && printf '%s\n' "$pid"
}

alive() { # a live process, not a zombie
  local state
  state="$(ps -o stat= -p "${1:-x}" 2>/dev/null | tr -d ' ')"
  [[ -n "$state" && "$state" != Z* ]]
}

install_engine() {
  command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1 && return 0
  log "installing docker.io from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends docker.io >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends docker.io >/dev/null; }
}

start_engine() {
  engine_answers && return 0
  install_engine || { log "docker.io could not be installed"; return 3; }
  local pid i
  if ! pid="$(dockerd_pid)"; then
    log "starting dockerd, log in $DOCKERD_LOG"
    # --bridge=none --iptables=false: no bridge, no iptables rules; containers use host networking on loopback.
    nohup dockerd --bridge=none --iptables=false </dev/null >>"$DOCKERD_LOG" 2>&1 &
    pid=$!
  fi
  for i in $(seq 1 120); do
    if engine_answers; then
      log "dockerd answers (pid $pid) after ${i} tries"
      return 0
    fi
    alive "$pid" || break
    sleep 0.5
  done
  log "dockerd did not come up; last lines of $DOCKERD_LOG:"
  tail -n 20 "$DOCKERD_LOG" >&2 || true
  return 3
}

stop_engine() {
  local pid i
  pid="$(dockerd_pid)" || { log "dockerd is not running"; return 0; }
  kill -TERM "$pid"
  for i in $(seq 1 60); do
    alive "$pid" || { log "dockerd (pid $pid) stopped"; return 0; }
    sleep 0.5
  done
  log "dockerd (pid $pid) still running after 30 s"
  return 1
}

# Copies every shared library the given ELF files link against, except the runtime's own,
# into the root filesystem at the same path, symlinks resolved; the loader included.
copy_libs() {
  local root="$1" jre="$2" file line lib
  shift 2
  for file in "$@"; do
    while read -r line; do
      case "$line" in
        "libjvm.so => not found") continue ;; # the launcher loads it by its own path
        *"not found"*) log "$file needs a library the host lacks: $line"; return 1 ;;
        *"=> /"*) lib="${line#*=> }" ;;
        /*) lib="$line" ;;
        *) continue ;;
      esac
      lib="${lib%% (*}"
      case "$lib" in "$jre"/*) continue ;; esac
      [[ -e "$root$lib" ]] && continue
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done < <(ldd "$file")
  done
}

build_image() {
  [[ -x "$JDK/bin/jlink" ]] || { log "no jlink in $JDK"; return 1; }
  local version key current root jre so
  version="$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.runtime\.version = //p')"
  key="recipe=$RECIPE jdk=$version modules=$MODULES"
  current="$(docker image inspect --format "{{ index .Config.Labels \"$KEY_LABEL\" }}" "$IMAGE" \
    2>/dev/null || true)"
  if [[ "$current" == "$key" ]]; then
    log "$IMAGE is up to date ($key)"
    return 0
  fi
  WORK="$(mktemp -d /tmp/sequin-jre.XXXXXX)"
  trap 'rm -rf "$WORK"' EXIT
  root="$WORK/rootfs"
  jre="$root/opt/jre"
  mkdir -p "$root/opt" "$root/etc" "$root/root" "$root/tmp"
  chmod 1777 "$root/tmp"
  log "jlink --add-modules $MODULES"
  "$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
    --output "$jre"
  local -a elves=("$jre/bin/java" "$jre/lib/server/libjvm.so")
  for so in "$jre"/lib/*.so; do
    case "${so##*/}" in
      libawt_xawt.so | libjawt.so | libsplashscreen.so | libjsound.so) ;; # X11 and sound, unused
      *) elves+=("$so") ;;
    esac
  done
  copy_libs "$root" "$jre" "${elves[@]}"
  printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' \
    'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' >"$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$root/etc/group"
  printf '%s\n' 'hosts: files dns' >"$root/etc/nsswitch.conf"
  log "importing $IMAGE"
  tar -C "$root" --numeric-owner --owner=0 --group=0 -cf - . |
    docker import \
      --change 'ENV JAVA_HOME=/opt/jre' \
      --change 'ENV PATH=/opt/jre/bin' \
      --change "LABEL $KEY_LABEL=\"$key\"" \
      --change 'CMD ["java", "-version"]' \
      - "$IMAGE" >/dev/null
  log "built $IMAGE, $(docker image inspect --format '{{.Size}}' "$IMAGE") bytes"
}

status() {
  engine_answers || { log "no engine answers"; return 3; }
  log "engine: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
  docker image inspect --format "$IMAGE {{.Id}} {{.Size}} bytes" "$IMAGE" 2>/dev/null ||
    log "no image $IMAGE"
}

case "${1:-up}" in
  up) start_engine && build_image ;;
  image)
    engine_answers || { log "no engine answers; run: $0 up"; exit 3; }
    build_image
    ;;
  down) stop_engine ;;
  status) status ;;
  *) sed -n '2,18p' "$0" >&2; exit 1 ;;
esac
