#!/usr/bin/env bash
# Images without a registry: builds small OCI images from Debian's static
# binaries and the CoreDNS that build.sh made with umoci, stores them as
# docker-archive tarballs in the cache and imports them into the node's containerd.
#   images.sh              build (when missing) and import the cluster's images
#   images.sh import FILE  import any image tarball (docker-archive or OCI
#                          archive) — the hook for the operator and
#                          sandbox-runtime images, built elsewhere
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/oci-image.sh"

populate_pause() {
  install -m 0755 /usr/bin/catatonit "$1/pause"
}

populate_busybox() {
  local root=$1
  install_busybox "$root"
  mkdir -p "$root/www"
  printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  echo 'hello from vibe busybox' >"$root/www/index.html"
}

# Traefik's static binary alone: it runs as 65534 and needs no other file.
populate_traefik() {
  install -m 0755 "$(component_dir traefik "$TRAEFIK_VERSION")/bin/traefik" "$1/traefik"
}

# CoreDNS is one static binary; its Corefile comes from a ConfigMap (lib/cluster-dns.sh).
populate_coredns() {
  install -m 0755 "$(component_dir coredns "$COREDNS_VERSION")/bin/coredns" "$1/coredns"
}

# busybox with the cluster's kubectl: a client that verifies the API server's certificate against
# the service account's CA, which busybox's wget cannot.
populate_kubectl() {
  populate_busybox "$1"
  install -m 0755 "$(component_dir kubernetes "$KUBERNETES_VERSION")/bin/kubectl" "$1/bin/kubectl"
}

case "${1:-all}" in
  all)
    need_tool catatonit "Install it with 'apt-get install catatonit'."
    need_tool busybox "Install it with 'apt-get install busybox-static'."
    bash "$CLUSTER_SRC/build.sh" coredns
    bash "$CLUSTER_SRC/build.sh" traefik
    import_tar "$(build_image pause 1 populate_pause /pause -P)"
    import_tar "$(build_image busybox test populate_busybox /bin/sh '')"
    import_tar "$(build_image coredns "$COREDNS_VERSION" populate_coredns /coredns '')"
    import_tar "$(build_image kubectl "$KUBERNETES_VERSION" populate_kubectl /bin/sh '')"
    import_tar "$(build_image traefik "$TRAEFIK_VERSION" populate_traefik /traefik '')"
    say "images imported: localhost/vibe/pause:1 localhost/vibe/busybox:test localhost/vibe/coredns:$COREDNS_VERSION localhost/vibe/kubectl:$KUBERNETES_VERSION localhost/vibe/traefik:$TRAEFIK_VERSION"
    ;;
  import)
    [ -f "${2:-}" ] || die "usage: images.sh import FILE.tar (a docker-archive or OCI archive)"
    import_tar "$2"
    say "imported $2"
    ;;
  *) die "usage: images.sh [all | import FILE.tar]" ;;
esac
