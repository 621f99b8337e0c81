#!/usr/bin/env bash
# The machine's load beside a long run (CI calls it around `npm test`): a game day that fails because the machine was
# starved, not because the system under test broke, shows it here.
#   host-sampler.sh <file>            every 10 s, appends the load average, how busy the CPUs were and the busiest
#                                     processes over the last 2 s, until killed
#   host-sampler.sh --summary <file>  prints how often the CPUs were saturated and the five busiest samples
set -uo pipefail

if [ "${1:-}" = "--summary" ]; then
  file="${2:?usage: host-sampler.sh --summary <file>}"
  [ -s "$file" ] || exit 0
  python3 - "$file" <<'EOF'
import re, sys
samples, cur = [], None
for line in open(sys.argv[1], encoding='utf8', errors='replace'):
    if line.startswith('top - '):
        cur = {'head': line.strip(), 'busy': 0.0, 'procs': []}
        samples.append(cur)
    elif cur is not None and line.startswith('%Cpu(s):'):
        idle = re.search(r'([\d.]+) id', line)
        cur['busy'] = 100.0 - float(idle.group(1)) if idle else 0.0
    elif cur is not None and re.match(r'\s*\d+ ', line) and len(cur['procs']) < 3:
        f = line.split()
        if float(f[8]) > 0: cur['procs'].append(f"{' '.join(f[11:])[:60]} {f[8]}%")
if not samples: sys.exit(0)
hot = [s for s in samples if s['busy'] >= 95]
print(f'host: {len(samples)} samples, 10 s apart; CPUs at least 95% busy in {len(hot)}')
for s in sorted(samples, key=lambda s: -s['busy'])[:5]:
    print(f"  {s['head'][6:14]} {s['busy']:.0f}% busy, load {s['head'].split('load average: ')[-1]}")
    for p in s['procs']: print(f'    {p}')
EOF
  exit 0
fi

file="${1:?usage: host-sampler.sh <file>}"
mkdir -p "$(dirname "$file")"
while :; do
  # The second frame: top's first one averages since each process started, not over the last interval.
  top -b -c -n 2 -d 2 -o %CPU -w 400 | awk '/^top -/{n++} n==2' | head -13 >> "$file"
  sleep 8
done
