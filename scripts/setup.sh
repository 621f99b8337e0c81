#!/usr/bin/env bash
# Installs every system dependency faultline needs: Debian packages; k6 and toxiproxy built from their Go modules into
# the project-local tools folder; and the loopback Kubernetes control plane (etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, kwok, Chaos Mesh's chaos-controller-manager) built from the wrapper modules
# in kube/go/. Idempotent: a second run only checks, which takes a few seconds.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${FAULTLINE_TOOLS:-$root/.tools}"
K6_MODULE="go.k6.io/k6/v2@v2.2.0"
TOXIPROXY_MODULE="github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0"
# Lints the example GitHub Actions workflows (docs/examples/*.yml); tests/experiments/workflow.spec.ts runs it.
ACTIONLINT_MODULE="github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"
# psql and redis-cli carry the lab driver's reverts; Java runs the Allure 2 CLI bundled by allure-commandline.
APT_PACKAGES=(openssl postgresql postgresql-client redis-server redis-tools prometheus nginx nats-server stress-ng iptables iproute2 chromium procps psmisc openjdk-17-jre-headless)
# The fault catalogue: dnsmasq (a resolver per region, dnsFault), libfaketime (timeSkew), NGINX's njs module (the
# route proxy's httpFault) and Alertmanager (the alert SLO).
APT_PACKAGES+=(dnsmasq-base libfaketime libnginx-mod-http-js prometheus-alertmanager)

step() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
fail() {
  printf '\033[31m[setup] step failed: %s\033[0m\n' "$1" >&2
  printf '[setup] what to do: %s\n' "$2" >&2
  exit 1
}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq || fail "apt-get update" "check that the Debian mirror is reachable, then re-run npm run setup"
  # --no-install-recommends keeps the install small; the packages' own services are not used (the lab starts its own).
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]}" "run 'apt-get install ${missing[*]}' by hand to see the error, then re-run npm run setup"
  # Debian starts these as system services on install; the lab runs its own instances on its own ports.
  for svc in nginx redis-server prometheus postgresql prometheus-node-exporter prometheus-alertmanager nats-server; do
    as_root systemctl stop "$svc" >/dev/null 2>&1 || as_root service "$svc" stop >/dev/null 2>&1 || true
  done
else
  step "apt: all ${#APT_PACKAGES[@]} packages present"
fi

mkdir -p "$tools/bin"
go_build() { # name module binary-name-in-gobin
  local name="$1" module="$2" built="$3"
  local stamp="$tools/bin/.$name.version"
  if [ -x "$tools/bin/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$module" ]; then
    step "$name: present ($module)"
    return
  fi
  command -v go >/dev/null || fail "go install $module" "install Go 1.22+ (the machine image ships it), then re-run npm run setup"
  step "$name: go install $module (first time takes a few minutes)"
  # A throwaway module pins the exact version: a bare 'go install mod@version' also asks the proxy for the module's
  # version list (to look for a deprecation notice), which the proxy does not serve for k6's /v2 path.
  local work; work="$(mktemp -d)"
  (
    cd "$work" && go mod init faultline-tools >/dev/null 2>&1 \
      && go get "$module" >/dev/null 2>&1 \
      && GOBIN="$work/bin" go install "${module%@*}"
  ) || fail "go install $module" "check that the Go module proxy is reachable (go env GOPROXY), then re-run npm run setup"
  mv "$work/bin/$built" "$tools/bin/$name"
  rm -rf "$work"
  echo "$module" > "$stamp"
}
# The loopback Kubernetes binaries. Each wrapper module under kube/go/ pins its versions in go.mod and go.sum (see the
# comment at the top of each go.mod); its stamp is a hash of those files, so changing a pin rebuilds that wrapper only.
# Two lanes run side by side: Kubernetes alone (the largest build), and etcd, kwok and Chaos Mesh one after another.
KUBE_GO="$root/kube/go"
# The lab's own Go tools (Vault, the slow disk) are wrapper modules too, under lab/go/: wrapper_build builds from
# WRAPPER_DIR (default kube/go) and stamps as .<WRAPPER_STAMP>-<wrapper>.version (default kube).
LAB_GO="$root/lab/go"
# scripts/ensure-setup.sh computes the same stamp: keep the two in step.
wrapper_stamp() { (cd "${WRAPPER_DIR:-$KUBE_GO}/$1" && cat go.mod go.sum ldflags ./*.go 2>/dev/null) | sha256sum | cut -c1-16; }
wrapper_build() { # wrapper-folder extra-env package... (each binary is named after its package's last element)
  local wrapper="$1" extra_env="$2"; shift 2
  local dir="${WRAPPER_DIR:-$KUBE_GO}"
  local stamp_file="$tools/bin/.${WRAPPER_STAMP:-kube}-$wrapper.version" stamp names=() pkg ldflags
  stamp="$(wrapper_stamp "$wrapper")"
  ldflags="$(cat "$dir/$wrapper/ldflags")"
  for pkg in "$@"; do if [ "$pkg" = . ]; then names+=("$wrapper"); else names+=("${pkg##*/}"); fi; done
  local have=1 n
  for n in "${names[@]}"; do [ -x "$tools/bin/$n" ] || have=0; done
  if [ "$have" = 1 ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ]; then
    step "${names[*]}: present (${dir#$root/}/$wrapper $stamp)"
    return
  fi
  local t0=$SECONDS out; out="$(mktemp -d)"
  step "${names[*]}: go build from ${dir#$root/}/$wrapper (first time takes minutes)"
  # One go build for all of a wrapper's commands: shared packages compile once and the links run in parallel.
  # shellcheck disable=SC2086
  (cd "$dir/$wrapper" && env $extra_env nice -n 10 go build -trimpath -ldflags="$ldflags" -o "$out/" "$@") \
    > "$out/build.log" 2>&1 || { cat "$out/build.log" >&2; rm -rf "$out"; return 1; }
  for n in "${names[@]}"; do mv "$out/$n" "$tools/bin/$n"; done
  rm -rf "$out"
  echo "$stamp" > "$stamp_file"
  step "${names[*]}: built in $((SECONDS - t0)) s"
  # The benchmark (npm run bench:mesh) prints these: one line per wrapper, the latest build.
  mkdir -p "$tools/share"
  { grep -v "^$wrapper " "$tools/share/kube-build-times" 2>/dev/null || true
    echo "$wrapper (${names[*]}): built in $((SECONDS - t0)) s on $(date -u +%Y-%m-%dT%H:%MZ), Go caches ${FAULTLINE_GO_CACHES:-as found}"
  } > "$tools/share/kube-build-times.tmp" && mv "$tools/share/kube-build-times.tmp" "$tools/share/kube-build-times"
}
kube_lane_k8s() {
  wrapper_build kubernetes "" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler
}
kube_lane_rest() {
  wrapper_build etcd "" . \
    && wrapper_build kwok "" sigs.k8s.io/kwok/cmd/kwok \
    && wrapper_build chaos-mesh "GONOSUMDB=github.com/chaos-mesh/fx-logr" github.com/chaos-mesh/chaos-mesh/cmd/chaos-controller-manager \
    && wrapper_build controller-gen "" sigs.k8s.io/controller-tools/cmd/controller-gen \
    && {
      # Chaos Mesh's CRDs, generated as upstream's `make config` does (controller-gen crd:ignoreUnexportedFields=true,
      # crdVersions=v1) from the very api module the controller was built with: the crd.yaml the main module ships can
      # lag that module, and a field the controller defaults but the CRD prunes breaks the controller's own updates.
      api_dir="$(cd "$KUBE_GO/chaos-mesh" && GONOSUMDB=github.com/chaos-mesh/fx-logr go list -m -f '{{.Dir}}' github.com/chaos-mesh/chaos-mesh/api)"
      gen="$(mktemp -d)"
      (cd "$api_dir" && GOFLAGS=-mod=mod nice -n 10 "$tools/bin/controller-gen" crd:ignoreUnexportedFields=true,crdVersions=v1 paths=./... output:crd:artifacts:config="$gen") \
        && mkdir -p "$tools/share/chaos-mesh" \
        && for f in "$gen"/*.yaml; do cat "$f"; echo "---"; done > "$tools/share/chaos-mesh/crd.yaml" \
        && rm -rf "$gen"
    }
}

# The seed-003 lab's own tools: Vault's server (lab/go/vault, the secret store) and faultline-slowfs (lab/go/slowfs,
# our delaying loopback FUSE filesystem under the databases, for ioLatency). Vault is the larger build.
lab_lane() {
  WRAPPER_DIR="$LAB_GO" WRAPPER_STAMP=lab wrapper_build slowfs "" . \
    && WRAPPER_DIR="$LAB_GO" WRAPPER_STAMP=lab wrapper_build vault "" github.com/hashicorp/vault
}

go_build k6 "$K6_MODULE" k6
go_build toxiproxy "$TOXIPROXY_MODULE" server
go_build actionlint "$ACTIONLINT_MODULE" actionlint
command -v go >/dev/null || fail "go build kube/go" "install Go 1.22+ (the machine image ships it), then re-run npm run setup"
kube_t0=$SECONDS
kube_lane_k8s & k8s_pid=$!
kube_lane_rest & rest_pid=$!
lab_lane & lab_pid=$!
wait "$k8s_pid" || fail "go build kube/go/kubernetes" "check that the Go module proxy is reachable (go env GOPROXY), then re-run npm run setup"
wait "$rest_pid" || fail "go build kube/go (etcd, kwok, chaos-mesh)" "check that the Go module proxy is reachable (go env GOPROXY), then re-run npm run setup"
step "loopback Kubernetes binaries ready ($((SECONDS - kube_t0)) s)"
wait "$lab_pid" || fail "go build lab/go (slowfs, vault)" "check that the Go module proxy is reachable (go env GOPROXY), then re-run npm run setup"
step "lab tools ready ($((SECONDS - kube_t0)) s)"

if [ ! -d "$root/node_modules" ] || [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
  step "npm ci"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci" "run 'npm ci' in the project folder to see the error"
else
  step "node_modules: up to date"
fi

"$tools/bin/k6" version >/dev/null || fail "k6 version" "delete $tools/bin/k6 and re-run npm run setup"
touch "$tools/.setup-done"
step "done: tools in ${tools#$root/}/bin"
