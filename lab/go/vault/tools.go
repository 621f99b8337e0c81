//go:build tools

// Package tools records the command this wrapper module builds, so `go mod tidy` keeps its dependencies.
package tools

import _ "github.com/hashicorp/vault"
