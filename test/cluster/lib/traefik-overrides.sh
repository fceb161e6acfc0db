# Sourced by lib/gen-modules.sh and build.sh. Traefik's module graph names
# three things the Go module proxy does not serve, so its build replaces each
# with a local module that write_traefik_overrides writes into a module dir:
#   ext           Traefik's nested module github.com/traefik/traefik/dynamic/ext
#                 (its go.mod replaces it with a directory of its own repository,
#                 which a module zip leaves out): the extension points that
#                 Traefik's commercial builds fill in; the open-source build
#                 leaves them empty structs, and so does this one.
#   go-http-auth  Traefik's fork of github.com/abbot/go-http-auth
#                 (github.com/containous/go-http-auth) is not served: the
#                 upstream v0.4.0 is, plus the two functions the fork added
#                 that Traefik's basic and digest auth middlewares call.
#   lego          lego's DNS-01 challenge providers for Akamai, Huawei Cloud,
#                 Oracle Cloud, Sakura Cloud, UCloud and Yandex Cloud import
#                 SDK versions that are not served: those six providers are
#                 removed (asking for one is then an "unrecognized DNS
#                 provider" error). The local cluster issues no certificates.
# Traefik's web UI assets are not in its module zip; webui/static keeps a
# placeholder file, so its go:embed compiles and the dashboard stays off.

TRAEFIK_LEGO_DROPPED="edgedns huaweicloud oraclecloud sakuracloud ucloud yandexcloud"

# module_source_dir PATH@VERSION: where the Go module cache holds a module.
module_source_dir() {
  go mod download -json "$1" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p'
}

write_traefik_overrides() {
  local dir=$1 lego_version=$2 src provider
  mkdir -p "$dir/ext"
  printf 'module github.com/traefik/traefik/dynamic/ext\n\ngo 1.24.0\n' >"$dir/ext/go.mod"
  cat >"$dir/ext/ext.go" <<'GO'
// Package ext is the open-source build of Traefik's dynamic configuration
// extension points.
package ext

// HTTP adds nothing to Traefik's HTTP configuration.
type HTTP struct{}

// Router adds nothing to a Traefik router.
type Router struct{}
GO

  src=$(module_source_dir github.com/abbot/go-http-auth@v0.4.0)
  rm -rf "$dir/go-http-auth" && cp -r "$src" "$dir/go-http-auth" && chmod -R u+w "$dir/go-http-auth"
  rm -rf "$dir/go-http-auth/examples"
  printf 'module github.com/abbot/go-http-auth\n\ngo 1.24.0\n\nrequire (\n\tgolang.org/x/crypto v0.45.0\n\tgolang.org/x/net v0.47.0\n)\n' >"$dir/go-http-auth/go.mod"
  cat >"$dir/go-http-auth/traefik.go" <<'GO'
package auth

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// CheckSecret reports whether password matches secret, an htpasswd entry in
// any format BasicAuth accepts.
func CheckSecret(password, secret string) bool {
	compare := compareFuncs[0].compare
	for _, cmp := range compareFuncs[1:] {
		if strings.HasPrefix(secret, cmp.prefix) {
			compare = cmp.compare
			break
		}
	}
	return compare([]byte(secret), []byte(password)) == nil
}

// RequireAuthStale asks the client to authenticate again with a fresh nonce,
// telling it that its credentials were right and only its nonce was stale.
func (a *DigestAuth) RequireAuthStale(w http.ResponseWriter, r *http.Request) {
	a.mutex.Lock()
	if len(a.clients) > a.ClientCacheSize+a.ClientCacheTolerance {
		a.Purge(a.ClientCacheTolerance * 2)
	}
	nonce := RandomKey()
	a.clients[nonce] = &digest_client{nc: 0, last_seen: time.Now().UnixNano()}
	a.mutex.Unlock()
	w.Header().Set(contentType, a.Headers.V().UnauthContentType)
	w.Header().Set(a.Headers.V().Authenticate,
		fmt.Sprintf(`Digest realm="%s", nonce="%s", opaque="%s", algorithm="MD5", qop="auth", stale=true`,
			a.Realm, nonce, a.Opaque))
	w.WriteHeader(a.Headers.V().UnauthCode)
	_, _ = w.Write([]byte(a.Headers.V().UnauthResponse))
}
GO

  src=$(module_source_dir "github.com/go-acme/lego/v5@$lego_version")
  rm -rf "$dir/lego" && cp -r "$src" "$dir/lego" && chmod -R u+w "$dir/lego"
  for provider in $TRAEFIK_LEGO_DROPPED; do
    rm -rf "$dir/lego/providers/dns/$provider"
    sed -i -e "\#\"github.com/go-acme/lego/v5/providers/dns/$provider\"#d" \
      -e "/^\tcase .*\"$provider\"/,+1d" "$dir/lego/providers/dns/zz_gen_dns_providers.go"
  done
  rm -f "$dir/lego/providers/dns/dns_providers_test.go"
}
