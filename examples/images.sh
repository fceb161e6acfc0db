#!/usr/bin/env bash
# Local stand-ins for the official images the examples' building blocks name, for a
# cluster with no registry: built from the host's Debian binaries with umoci and
# imported into the node's containerd as localhost/vibe/NAME:TAG. Run the operator
# with --image-mirrors docker.io/library/=localhost/vibe/ so plans use them.
#   examples/images.sh            build (when missing) and import every image
source "$(dirname "$0")/../test/cluster/lib/common.sh"
IMAGES=$VIBE_CACHE/images

# copy_with_libs ROOT FILE...: FILEs into ROOT at the same paths, with the shared libraries they load.
copy_with_libs() {
  local root=$1 file lib
  shift
  for file in "$@"; do
    mkdir -p "$root$(dirname "$file")"
    cp -aL "$file" "$root$file"
    for lib in $(ldd "$file" 2>/dev/null | grep -o '/[^ ]*' | sort -u); do
      [ -e "$root$lib" ] && continue
      mkdir -p "$root$(dirname "$lib")"
      cp -aL "$lib" "$root$lib"
    done
  done
}

populate_postgres() {
  local root=$1 pg=/usr/lib/postgresql/15 applet
  need_tool busybox "Install it with 'apt-get install busybox-static'."
  [ -x "$pg/bin/postgres" ] || die "PostgreSQL 15 is not installed; install it with 'apt-get install postgresql-15'."
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/usr/share" "$root/usr/local/bin" \
    "$root/var/lib/postgresql/data" "$root/var/run/postgresql"
  chmod 1777 "$root/tmp"
  install -m 0755 /bin/busybox "$root/bin/busybox"
  for applet in sh mkdir chmod rm cat echo sleep; do ln -sf busybox "$root/bin/$applet"; done
  copy_with_libs "$root" "$pg/bin/postgres" "$pg/bin/initdb"
  cp -a "$pg/lib" "$root$pg/" 2>/dev/null || true
  for lib in "$root$pg"/lib/*.so; do [ -e "$lib" ] && copy_with_libs "$root" "${lib#"$root"}"; done
  mkdir -p "$root/usr/share/postgresql"
  cp -a /usr/share/postgresql/15 "$root/usr/share/postgresql/"
  cp -a /usr/share/zoneinfo "$root/usr/share/"
  printf 'root:x:0:0:root:/:/bin/sh\npostgres:x:70:70:postgres:/var/lib/postgresql:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\npostgres:x:70:\n' >"$root/etc/group"
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

populate_nats() {
  local root=$1
  command -v nats-server >/dev/null || die "nats-server is not installed; install it with 'apt-get install nats-server'."
  mkdir -p "$root/etc" "$root/tmp"
  chmod 1777 "$root/tmp"
  copy_with_libs "$root" "$(command -v nats-server)"
  ln -s "$(command -v nats-server)" "$root/nats-server"
  printf 'root:x:0:0:root:/:/nonexistent\nnats:x:1000:1000:nats:/:/nonexistent\n' >"$root/etc/passwd"
}

# build NAME TAG POPULATE ENTRYPOINT USER: the image as a docker-archive in the cache.
build() {
  local name=$1 tag=$2 populate=$3 entrypoint=$4 user=$5
  local out=$IMAGES/$name-$tag.tar work
  [ -f "$out" ] && { echo "$out"; return 0; }
  need_tool umoci "Install it with 'apt-get install umoci'."
  need_tool skopeo "Install it with 'apt-get install skopeo'."
  mkdir -p "$IMAGES"
  work=$(mktemp -d)
  umoci init --layout "$work/layout"
  umoci new --image "$work/layout:$tag"
  umoci unpack --image "$work/layout:$tag" "$work/bundle" >/dev/null
  "$populate" "$work/bundle/rootfs"
  umoci repack --image "$work/layout:$tag" "$work/bundle"
  umoci config --image "$work/layout:$tag" --config.entrypoint "$entrypoint" --config.user "$user" \
    --config.workingdir / >/dev/null
  skopeo copy -q "oci:$work/layout:$tag" "docker-archive:$out.tmp:localhost/vibe/$name:$tag"
  mv "$out.tmp" "$out"
  rm -rf "$work"
  echo "$out"
}

healthy containerd || die "containerd is not running; start the cluster with 'make cluster-up' first."
for tar in \
  "$(build postgres 15-alpine populate_postgres /usr/local/bin/docker-entrypoint.sh 70:70)" \
  "$(build nats 2.9-alpine populate_nats /nats-server 1000:1000)"; do
  "$BIN/ctr" --address "$CONTAINERD_SOCK" -n k8s.io images import --no-unpack=false "$tar" >/dev/null
done
say "imported localhost/vibe/postgres:15-alpine localhost/vibe/nats:2.9-alpine"
