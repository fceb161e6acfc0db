//go:build tools

// Package tools keeps the commands this component builds in go.mod.
package tools

import (
	_ "github.com/traefik/traefik/v3/cmd/traefik"
)
