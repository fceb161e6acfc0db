# Builds small OCI images without a registry or a daemon: a populate function fills an empty
# rootfs, umoci packs it, skopeo writes a docker-archive into the cache, ctr imports it into the
# node's containerd. Shared by test/cluster/images.sh and examples/images.sh.
# shellcheck shell=bash
IMAGES=$VIBE_CACHE/images
# Images are built inside $(...): without this a failing step in a populate function went unnoticed.
shopt -s inherit_errexit

ctr_node() { "$BIN/ctr" --address "$CONTAINERD_SOCK" -n k8s.io "$@"; }

import_tar() {
  healthy containerd || die "containerd is not running; start the cluster with 'make cluster-up' first."
  ctr_node images import --no-unpack=false "$1" >/dev/null
}

# build_image NAME TAG POPULATE_FN ENTRYPOINT CMD [USER]: localhost/vibe/NAME:TAG as a
# docker-archive in the cache (built once), its path on stdout. USER defaults to nobody.
build_image() {
  local name=$1 tag=$2 populate=$3 entrypoint=$4 cmd=$5 user=${6:-65534:65534}
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
  umoci config --image "$work/layout:$tag" --config.entrypoint "$entrypoint" ${cmd:+--config.cmd "$cmd"} \
    --config.user "$user" --config.workingdir / >/dev/null
  skopeo copy -q "oci:$work/layout:$tag" "docker-archive:$out.tmp:localhost/vibe/$name:$tag"
  mv "$out.tmp" "$out"
  rm -rf "$work"
  echo "$out"
}

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

# install_busybox ROOT [APPLET...]: a static busybox with links for the applets (all when none given).
install_busybox() {
  local root=$1 applet applets
  shift
  need_tool busybox "Install it with 'apt-get install busybox-static'."
  if [ $# -gt 0 ]; then applets=("$@"); else mapfile -t applets < <(/bin/busybox --list); fi
  mkdir -p "$root/bin" "$root/etc" "$root/tmp"
  chmod 1777 "$root/tmp"
  install -m 0755 /bin/busybox "$root/bin/busybox"
  for applet in "${applets[@]}"; do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
}
