//go:build tools

// Package tools keeps the commands this component builds in go.mod.
package tools

import (
	_ "github.com/coredns/coredns"
)
