#!/usr/bin/env bash
# Runs the setup script only when something it installs is missing, so the README's commands work on a fresh machine
# and cost nothing on a prepared one.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${FAULTLINE_TOOLS:-$root/.tools}"
need=0
for bin in k6 toxiproxy etcd kube-apiserver kube-controller-manager kube-scheduler kwok chaos-controller-manager vault slowfs; do [ -x "$tools/bin/$bin" ] || need=1; done
[ -f "$tools/share/chaos-mesh/crd.yaml" ] || need=1
# A changed pin in kube/go/<wrapper> (its go.mod, go.sum or main.go) means that wrapper must be rebuilt.
for w in kubernetes etcd kwok chaos-mesh controller-gen; do
  stamp="$(cd "$root/kube/go/$w" && cat go.mod go.sum ldflags ./*.go 2>/dev/null | sha256sum | cut -c1-16)"
  [ "$(cat "$tools/bin/.kube-$w.version" 2>/dev/null)" = "$stamp" ] || need=1
done
for cmd in openssl prometheus redis-server redis-cli psql nginx nats-server stress-ng iptables java; do command -v "$cmd" >/dev/null || need=1; done
for w in vault slowfs; do
  stamp="$(cd "$root/lab/go/$w" && cat go.mod go.sum ldflags ./*.go 2>/dev/null | sha256sum | cut -c1-16)"
  [ "$(cat "$tools/bin/.lab-$w.version" 2>/dev/null)" = "$stamp" ] || need=1
done
[ -x /usr/lib/postgresql/15/bin/postgres ] || need=1
for f in /usr/sbin/dnsmasq /usr/bin/prometheus-alertmanager /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 /usr/lib/nginx/modules/ngx_http_js_module.so; do [ -e "$f" ] || need=1; done
[ -d "$root/node_modules/@playwright/test" ] || need=1
# A lockfile newer than what npm ci last installed (a pulled change added or moved a package): setup re-runs npm ci.
[ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ] && need=1
if [ "$need" = 1 ]; then exec bash "$root/scripts/setup.sh"; fi
