#!/usr/bin/env bash
# Installs the Debian packages the local cluster needs, when any is missing.
# Go is not among them: Debian's is too old; the hint below says where to get it.
source "$(dirname "$0")/lib/common.sh"

packages=(runc containernetworking-plugins iptables nftables iproute2 util-linux openssl curl umoci skopeo catatonit busybox-static)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get to install them; install their equivalents by hand."
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
need_tool go "Install Go 1.25 or newer (https://go.dev/dl): the cluster's components build from Go modules."
