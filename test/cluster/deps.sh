#!/usr/bin/env bash
# Installs the Debian packages the local cluster needs, when any is missing.
# Go is not among them: Debian's is too old; the hint below says where to get it.
source "$(dirname "$0")/lib/common.sh"

packages=(runc containernetworking-plugins iptables nftables iproute2 util-linux openssl curl umoci skopeo catatonit busybox-static)
install_debian_packages "${packages[@]}"
need_tool go "Install Go 1.25 or newer (https://go.dev/dl): the cluster's components build from Go modules."
