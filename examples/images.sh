#!/usr/bin/env bash
# Local stand-ins for the official images the examples' building blocks name, and the demo app
# the multi-component example runs, for a cluster with no registry. Each is built from Debian's
# binaries (installed here with apt-get when missing) with umoci and imported into the node's
# containerd as localhost/vibe/NAME:TAG. The local cluster's operator runs with
# --image-mirrors docker.io/library/=localhost/vibe/, so plans naming docker.io/library/postgres,
# redis or nats use them.
#   examples/images.sh            build (when missing) and import every image
#   examples/images.sh build      only build them into the cache (no cluster needed)
source "$(dirname "$0")/../test/cluster/lib/common.sh"
source "$(dirname "$0")/../test/cluster/lib/oci-image.sh"

PG=/usr/lib/postgresql/15
DEMO_APP_SRC=$REPO_ROOT/examples/demo-app

install_debian_packages busybox-static umoci skopeo postgresql-15 postgresql-client-15 redis-server redis-tools \
  nats-server

# passwd ROOT NAME UID: /etc/passwd and /etc/group with root and one non-root user.
passwd() {
  printf 'root:x:0:0:root:/:/bin/sh\n%s:x:%s:%s:%s:/tmp:/bin/sh\n' "$2" "$3" "$3" "$2" >"$1/etc/passwd"
  printf 'root:x:0:\n%s:x:%s:\n' "$2" "$3" >"$1/etc/group"
}

populate_postgres() {
  local root=$1 lib
  install_busybox "$root" sh mkdir chmod rm cat echo sleep
  mkdir -p "$root/usr/share/postgresql" "$root/usr/local/bin" "$root/var/lib/postgresql/data" \
    "$root/var/run/postgresql"
  copy_with_libs "$root" "$PG/bin/postgres" "$PG/bin/initdb"
  cp -a "$PG/lib" "$root$PG/"
  # JIT would pull in LLVM (over 100 MB); without it PostgreSQL plans as usual.
  rm -rf "$root$PG"/lib/llvmjit* "$root$PG/lib/bitcode"
  for lib in "$root$PG"/lib/*.so; do copy_with_libs "$root" "${lib#"$root"}"; done
  cp -a /usr/share/postgresql/15 "$root/usr/share/postgresql/"
  cp -a /usr/share/zoneinfo "$root/usr/share/"
  passwd "$root" postgres 70
  chown -R 70:70 "$root/var/lib/postgresql" "$root/var/run/postgresql"
  cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'SCRIPT'
#!/bin/sh
# The official image's contract: POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, PGDATA.
set -e
PATH=/usr/lib/postgresql/15/bin:/bin
PGDATA=${PGDATA:-/var/lib/postgresql/data}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA" && chmod 700 "$PGDATA"
  echo "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}" >/tmp/pwfile
  initdb -D "$PGDATA" -U "${POSTGRES_USER:-postgres}" --pwfile=/tmp/pwfile --auth=scram-sha-256 \
    --no-locale -E UTF8 >/dev/null
  rm -f /tmp/pwfile
  echo 'host all all all scram-sha-256' >>"$PGDATA/pg_hba.conf"
  if [ -n "$POSTGRES_DB" ] && [ "$POSTGRES_DB" != postgres ]; then
    echo "CREATE DATABASE \"$POSTGRES_DB\";" | postgres --single -D "$PGDATA" postgres >/dev/null
  fi
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/var/run/postgresql
SCRIPT
  chmod 0755 "$root/usr/local/bin/docker-entrypoint.sh"
}

populate_redis() {
  local root=$1
  install_busybox "$root" sh
  mkdir -p "$root/data" "$root/usr/local/bin"
  copy_with_libs "$root" /usr/bin/redis-server
  passwd "$root" redis 999
  chown 999:999 "$root/data"
  # Like the official image: no password, so protected mode (loopback only) is off; data in /data.
  cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'SCRIPT'
#!/bin/sh
exec /usr/bin/redis-server --protected-mode no --dir /data "$@"
SCRIPT
  chmod 0755 "$root/usr/local/bin/docker-entrypoint.sh"
}

populate_nats() {
  local root=$1
  mkdir -p "$root/etc" "$root/tmp"
  chmod 1777 "$root/tmp"
  copy_with_libs "$root" /usr/sbin/nats-server
  ln -s /usr/sbin/nats-server "$root/nats-server"
  passwd "$root" nats 1000
}

# The demo app: busybox httpd whose CGI pages ask the database and the cache with psql and redis-cli.
populate_demo_app() {
  local root=$1
  install_busybox "$root"
  copy_with_libs "$root" "$PG/bin/psql" /usr/bin/redis-cli
  ln -s "$PG/bin/psql" "$root/bin/psql"
  mkdir -p "$root/www/cgi-bin" "$root/usr/local/bin"
  install -m 0755 "$DEMO_APP_SRC/reach.sh" "$root/usr/local/bin/reach"
  install -m 0755 "$DEMO_APP_SRC/index.cgi" "$root/www/cgi-bin/index.cgi"
  install -m 0755 "$DEMO_APP_SRC/health.cgi" "$root/www/cgi-bin/health"
  printf '#!/bin/sh\nexec httpd -f -p 8080 -h /www\n' >"$root/usr/local/bin/demo-app"
  chmod 0755 "$root/usr/local/bin/demo-app"
  passwd "$root" app 10001
}

tars=()
tars+=("$(build_image postgres 15-alpine populate_postgres /usr/local/bin/docker-entrypoint.sh '' 70:70)")
tars+=("$(build_image redis 7-alpine populate_redis /usr/local/bin/docker-entrypoint.sh '' 999:999)")
tars+=("$(build_image nats 2.9-alpine populate_nats /nats-server '' 1000:1000)")
tars+=("$(build_image demo-app 1 populate_demo_app /usr/local/bin/demo-app '' 10001:10001)")
[ "${1:-all}" = build ] && { printf '%s\n' "${tars[@]}"; exit 0; }
for tar in "${tars[@]}"; do import_tar "$tar"; done
say "imported localhost/vibe/postgres:15-alpine localhost/vibe/redis:7-alpine localhost/vibe/nats:2.9-alpine localhost/vibe/demo-app:1"
