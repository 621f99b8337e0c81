import { ExitCode, FaultlineError } from '../../core/index.ts';
import { formatStatusTable, labDown, labStatus, labUp, PortOffsets, SecretStoreOffsets } from '../../lab/index.ts';
import { requireTopology, topologies } from '../../targets/index.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

const HELP = `faultline lab: the embedded lab, a whole multi-region system as real processes on 127.0.0.1.

Usage:
  faultline lab up     [--topology NAME] [--port-base N] [--run-dir DIR] [--replicas N | REGION=N,...]
  faultline lab status [--run-dir DIR] [--region R] [--service S] [--json]
  faultline lab down   [--run-dir DIR] [--keep-data]

  up      Starts Prometheus, toxiproxy (one proxy per cross-region link), PostgreSQL (primary + streaming replicas,
          replicating through toxiproxy), Redis and an NGINX ingress per region, and the supervisor that runs the
          reference service replicas (restarting killed ones) and reverts faults whose TTL has passed. Waits until
          the lab is really usable: replicas streaming, every ingress answering 200 from its database, Prometheus
          holding scraped samples. Takes 10-30 s. On a running lab it only reports the status.
  status  Probes every component: pid, port, health; toxics on a link and frozen processes show up here.
          Exits 0 when all is healthy, 2 otherwise.
  down    Stops everything by pid (supervisor first, so nothing restarts), waits until no lab process and no lab
          port is left. Keeps the logs (<run-dir>/logs); removes the data unless --keep-data.

Options:
  --topology NAME    topology to bring up (default: tri-region-tgw)
  --port-base N      first port of the lab's range (default: 19000). Fixed offsets from it:
                     +${PortOffsets.prometheus} Prometheus, +${PortOffsets.toxiproxy} toxiproxy API, +${PortOffsets.proxies}… links, +${PortOffsets.ingress}… ingress (jkt, bdg, sby),
                     +${PortOffsets.postgres}… PostgreSQL, +${PortOffsets.redis}… Redis, +${PortOffsets.services}… services (10 per region),
                     +${PortOffsets.alertmanager} Alertmanager, +${PortOffsets.dns}… DNS resolvers, +${PortOffsets.routeProxy}… route proxy,
                     +${SecretStoreOffsets.api}… Vault (API; cluster +${SecretStoreOffsets.cluster}…, agents +${SecretStoreOffsets.agents}…); 100 ports in all. The
                     active/passive labs have their own base and layout (lab/active-passive/plan.ts): garage-platform
                     19500, garage-workshop 19600, garage-inventory 19700, multi-cloud-mesh 19800
  --run-dir DIR      data, logs, state and the fault ledger (default: .faultline/lab, from the current folder)
  --replicas N       service-main replicas per region (default: 2 each); or per region: jkt=3,bdg=1
  --keep-data        down: keep PostgreSQL's data, so the next up skips initdb and pg_basebackup
  --region R         status: only this region's components
  --service S        status: only this service's replicas (service-main, service-backup)
  --json             status: machine-readable output

Examples:
  faultline lab up                              bring the seed-003 lab up on ports 19000-19099
  curl -s localhost:19011/items/42              read through the Bandung ingress (cache → local replica)
  curl -s -XPOST -d '{"body":"hi"}' localhost:19012/items
                                                write from Surabaya: goes to Jakarta's API across the TGW link
  faultline lab status --region bdg             is Bandung's replica streaming? any toxics on its links?
  faultline lab up --port-base 20000 --run-dir /tmp/lab2 --replicas jkt=3
                                                a second lab beside the first
  faultline lab down --keep-data && faultline lab up    restart quickly, keeping the databases
`;

export const command: Command = {
  name: 'lab',
  summary: 'bring the embedded multi-region lab up, show its status, or take it down',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('lab', argv, {
      topology: { type: 'string', default: 'tri-region-tgw' },
      'port-base': { type: 'string' },
      'run-dir': { type: 'string' },
      replicas: { type: 'string' },
      'keep-data': { type: 'boolean', default: false },
      region: { type: 'string' },
      service: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    const [action, ...extra] = positionals;
    if (!action || !['up', 'down', 'status'].includes(action) || extra.length) {
      throw new FaultlineError('FAULTLINE_BAD_INPUT', `lab needs one action: up, status or down${action ? ` (got "${[action, ...extra].join(' ')}")` : ''}`, 'see: faultline lab --help');
    }
    const targets = requireTopology(values.topology);
    if (!targets.lab) throw new FaultlineError('FAULTLINE_BAD_INPUT', `topology "${values.topology}" has no lab binding`, 'the lab can run: ' + Object.entries(topologies).filter(([, t]) => t.lab).map(([n]) => n).join(', '));
    const runDir = values['run-dir'] ?? targets.lab.runDir;
    const out = (line: string) => process.stdout.write(line + '\n');

    if (action === 'up') {
      const controller = new AbortController();
      // Ctrl-C mid-way: finish the current step, then stop what was started rather than leave half a lab.
      const onInterrupt = () => {
        out('interrupted: stopping what was started…');
        controller.abort();
      };
      process.once('SIGINT', onInterrupt);
      try {
        out(`faultline lab up: ${values.topology} in ${runDir}`);
        const result = await labUp({
          topology: targets.topology,
          binding: targets.lab,
          runDir,
          portBase: values['port-base'] === undefined ? undefined : parsePortBase(values['port-base']),
          replicas: values.replicas === undefined ? undefined : parseReplicas(values.replicas),
          log: out,
          signal: controller.signal,
        });
        const status = await labStatus({ runDir: result.state.runDir });
        out(formatStatusTable(status).trimEnd());
        if (result.started) out('next: faultline lab status · faultline gameday · faultline lab down');
        else if (!status.healthy) out('the running lab is unhealthy; to start it afresh: faultline lab down && faultline lab up');
        return status.healthy ? ExitCode.ok : ExitCode.preflight;
      } finally {
        process.off('SIGINT', onInterrupt);
      }
    }
    if (action === 'status') {
      const status = await labStatus({ runDir, region: values.region, service: values.service, topology: targets.topology });
      process.stdout.write(values.json ? JSON.stringify(status, null, 2) + '\n' : formatStatusTable(status));
      return status.healthy ? ExitCode.ok : ExitCode.preflight;
    }
    const result = await labDown({ runDir, keepData: values['keep-data'], log: out });
    if (result.found) out('no lab process and no lab port left.');
    return ExitCode.ok;
  },
};

function parsePortBase(text: string): number {
  if (!/^\d+$/.test(text)) throw new FaultlineError('FAULTLINE_BAD_INPUT', `--port-base must be a port number, got "${text}"`, 'for example --port-base 19000');
  return Number(text);
}

/** `3` (every region) or `jkt=3,bdg=1`; region names are checked against the topology by the lab. */
function parseReplicas(text: string): number | Record<string, number> {
  if (/^\d+$/.test(text)) return Number(text);
  const perRegion: Record<string, number> = {};
  for (const part of text.split(',')) {
    const m = /^([\w-]+)=(\d+)$/.exec(part.trim());
    if (!m) throw new FaultlineError('FAULTLINE_BAD_INPUT', `--replicas "${text}" is neither a number nor REGION=N pairs`, 'for example --replicas 3 or --replicas jkt=3,bdg=1');
    perRegion[m[1]!] = Number(m[2]);
  }
  return perRegion;
}
