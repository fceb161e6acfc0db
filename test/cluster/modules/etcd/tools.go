//go:build tools

// Package tools keeps the commands this component builds in go.mod.
package tools

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "go.etcd.io/etcd/etcdctl/v3"
)
