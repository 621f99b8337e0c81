import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  FaultlineError,
  parseDuration,
  runRevertAction,
  type FaultPlan,
  type FaultSpec,
  type PreparedFault,
  type RevertAction,
} from '../../core/index.ts';
import {
  clockFileOf,
  hostsFileOf,
  labHostname,
  reloadAndWaitArgv,
  routeCleanConfig,
  routeCounterFile,
  routeFaultConfig,
  routeFile,
  slowDiskFolder,
  slowDiskRule,
  slowDiskRuleFile,
  SLOW_DISK_METHODS,
  type LabServiceProcess,
  type SlowDiskRule,
  type LabSnapshot,
} from '../../lab/contract/index.ts';

export type CatalogueFault = Extract<FaultSpec, { kind: 'httpFault' | 'dnsFault' | 'timeSkew' | 'ioLatency' }>;

export function isCatalogueFault(spec: FaultSpec): spec is CatalogueFault {
  return spec.kind === 'httpFault' || spec.kind === 'dnsFault' || spec.kind === 'timeSkew' || spec.kind === 'ioLatency';
}

/**
 * libfaketime reads whole seconds from the clock file ("+90", "-30"; its decimal separator follows the locale, so
 * fractions are not trusted), and the skewed clock must stay a time the process can represent: not before the Unix
 * epoch, not past JavaScript's last Date (8.64e15 ms).
 */
const MAX_JS_DATE_MS = 8.64e15;

/**
 * Checks an HTTP, DNS, clock or disk fault against the running lab without changing it: the component that carries
 * it runs, nothing else holds it, and the mechanism can do what is asked. Disk latency goes on the lab's own
 * delaying FUSE filesystem (faultline-slowfs) that the databases' data directories live on: this kernel has no
 * device-mapper (no dm-delay), but FUSE works.
 */
export function checkCatalogueFault(spec: CatalogueFault, lab: LabSnapshot): void {
  switch (spec.kind) {
    case 'httpFault': {
      const file = routeFileFor(spec, lab);
      if (readFileSync(file, 'utf8') !== routeCleanConfig()) {
        throw new FaultlineError('FAULTLINE_BAD_INPUT', `the route ${spec.from} → ${spec.region} already carries an HTTP fault`, 'one HTTP fault per route at a time: wait for the other to be reverted, or run `faultline cleanup`');
      }
      return;
    }
    case 'dnsFault':
      hostsFileFor(spec, lab);
      return;
    case 'timeSkew': {
      if (!lab.state.clockDir) throw restartLab('no service clock can be moved in this lab');
      const offsetMs = parseDuration(spec.offset, 'offset');
      if (offsetMs % 1_000 !== 0) {
        throw new FaultlineError('FAULTLINE_BAD_INPUT', `the lab moves clocks by whole seconds (libfaketime offsets), and ${spec.offset} is not one`, `round it, e.g. '${Math.max(1, Math.round(offsetMs / 1_000))}s'`);
      }
      const skewed = Date.now() + (spec.backwards ? -offsetMs : offsetMs);
      if (skewed < 0 || skewed > MAX_JS_DATE_MS) {
        throw new FaultlineError(
          'FAULTLINE_BAD_INPUT',
          `a skew of ${spec.backwards ? '-' : '+'}${spec.offset} puts the service clock ${skewed < 0 ? 'before the Unix epoch' : 'past the last date JavaScript can represent'}, which the lab's mechanism (libfaketime under Node) cannot run`,
          spec.backwards ? `move it back by less than ${Math.floor(Date.now() / 86_400_000)} days` : 'use an offset of less than a few hundred thousand years',
        );
      }
      return;
    }
    case 'ioLatency': {
      const file = ruleFileFor(spec, lab);
      if (readRule(file)) {
        throw new FaultlineError('FAULTLINE_BAD_INPUT', `the ${spec.region} database's disk already carries an ioLatency fault`, 'one disk fault per database at a time: wait for the other to be reverted, or run `faultline cleanup`');
      }
      return;
    }
  }
}

/** Builds the fault's apply and its revert (as data) for the processes or files `checkCatalogueFault` accepted. */
export function prepareCatalogueFault(
  plan: FaultPlan & { spec: CatalogueFault },
  lab: LabSnapshot,
  selected: LabServiceProcess[],
): PreparedFault {
  const spec = plan.spec;
  checkCatalogueFault(spec, lab);
  switch (spec.kind) {
    case 'httpFault': {
      const proxy = lab.state.routeProxy!;
      const file = routeFileFor(spec, lab);
      const counter = routeCounterFile(proxy.dir, spec.from);
      const reload: RevertAction = { type: 'exec', argv: reloadAndWaitArgv(proxy) };
      const fault = { method: spec.method, path: spec.path, share: spec.share, abort: spec.abort, delayMs: spec.delay === undefined ? undefined : parseDuration(spec.delay) };
      return {
        plan,
        detail: { routeProxy: proxy.pid, route: `${spec.from} → ${spec.region}`, ...fault },
        revert: [writeFileAction(file, routeCleanConfig()), reload],
        apply: async () => {
          writeFileSync(counter, '0 0');
          writeFileSync(file, routeFaultConfig(fault, counter));
          await runRevertAction(reload);
        },
      };
    }
    case 'dnsFault': {
      const file = hostsFileFor(spec, lab);
      const name = labHostname(spec.service, spec.region);
      // `random`: an address in 127/8 where nothing listens, so the lookup succeeds and the connection is refused.
      const wrong = `127.${1 + Math.floor(Math.random() * 254)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
      const faulty = spec.action === 'random' ? `${wrong} ${name}\n` : '';
      return {
        plan,
        detail: { resolver: `${spec.from}`, name, answer: spec.action === 'random' ? wrong : 'NXDOMAIN' },
        // The lab serves every name at 127.0.0.1 (lab up writes it so); the revert writes exactly that back.
        revert: [writeFileAction(file, `127.0.0.1 ${name}\n`)],
        apply: async () => writeFileSync(file, faulty),
      };
    }
    case 'timeSkew': {
      const offsetS = parseDuration(spec.offset) / 1_000;
      const files = selected.map((p) => clockFileOf(lab.state.clockDir!, p.region, p.service, p.replica));
      return {
        plan,
        detail: { pids: selected.map((p) => p.pid), offsetSeconds: spec.backwards ? -offsetS : offsetS },
        revert: files.map((f) => writeFileAction(f, '+0\n')),
        apply: async () => {
          for (const f of files) writeFileSync(f, `${spec.backwards ? '-' : '+'}${offsetS}\n`);
        },
      };
    }
    case 'ioLatency': {
      const file = ruleFileFor(spec, lab);
      const rule: SlowDiskRule = { delayUs: Math.round(parseDuration(spec.delay) * 1000), percent: spec.percent ?? 100, methods: SLOW_DISK_METHODS };
      const pg = lab.state.postgres.find((p) => p.region === spec.region)!;
      return {
        plan,
        detail: { database: `${spec.store}@${spec.region}`, dataDir: pg.dataDir, ...rule },
        // An empty rule file delays nothing; writing it is idempotent for the watchdog and cleanup.
        revert: [writeFileAction(file, '')],
        apply: async () => writeFileSync(file, slowDiskRule(rule)),
      };
    }
  }
}

/** The rule file of the faulted database's folder on the lab's FUSE disk; refused when the lab has none. */
function ruleFileFor(spec: Extract<CatalogueFault, { kind: 'ioLatency' }>, lab: LabSnapshot): string {
  const disk = lab.state.slowDisk;
  if (!disk) {
    throw new FaultlineError(
      'FAULTLINE_BAD_INPUT',
      "this lab's databases are not on its delaying FUSE disk, so their I/O cannot be slowed (the disk needs root and /dev/fuse; `faultline lab up` said which was missing)",
      'run the lab as root on a machine with /dev/fuse, or run ioLatency on Kubernetes (Chaos Mesh IOChaos)',
    );
  }
  if (!lab.state.postgres.some((p) => p.region === spec.region)) {
    throw new FaultlineError('FAULTLINE_NO_TARGETS', `selector matched nothing: no database of this lab runs in ${spec.region}`, `databases run in: ${lab.state.postgres.map((p) => p.region).join(', ')}`);
  }
  return slowDiskRuleFile(disk.controlDir, slowDiskFolder(spec.region));
}

function readRule(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function routeFileFor(spec: Extract<CatalogueFault, { kind: 'httpFault' }>, lab: LabSnapshot): string {
  const proxy = lab.state.routeProxy;
  if (!proxy) throw restartLab('this lab has no route proxy for HTTP faults');
  if (proxy.region !== spec.region || !proxy.routes.some((r) => r.from === spec.from) || (proxy.service !== undefined && proxy.service !== spec.service)) {
    const fronts = proxy.service ? `${proxy.service} in ${proxy.region}` : `${proxy.region}'s API`;
    throw new FaultlineError(
      'FAULTLINE_NO_TARGETS',
      `selector matched nothing: the lab's route proxy fronts ${fronts} for ${proxy.routes.map((r) => r.from).join(', ')}, not ${spec.from} → ${spec.service}@${spec.region}`,
      proxy.service ? `HTTP faults on this lab go on the mesh route ${proxy.routes.map((r) => r.from).join(', ')} → ${proxy.service}@${proxy.region}` : 'HTTP faults on the lab go on the regional write path to the primary region',
    );
  }
  return routeFile(proxy.dir, spec.from);
}

function hostsFileFor(spec: Extract<CatalogueFault, { kind: 'dnsFault' }>, lab: LabSnapshot): string {
  const resolver = lab.state.dns?.find((d) => d.region === spec.from);
  if (!lab.state.dns) throw restartLab('this lab has no DNS resolvers');
  const file = resolver && hostsFileOf(resolver.hostsDir, labHostname(spec.service, spec.region));
  if (!file || !existsSync(file)) {
    throw new FaultlineError('FAULTLINE_NO_TARGETS', `selector matched nothing: no resolver in ${spec.from} serves ${labHostname(spec.service, spec.region)}`, 'check `faultline lab status`');
  }
  return file;
}

/** Writing a file's whole content back: idempotent, so the watchdog and cleanup can run it any number of times. */
function writeFileAction(file: string, content: string): RevertAction {
  return { type: 'exec', argv: ['sh', '-c', 'printf "%s" "$0" > "$1"', content, file] };
}

function restartLab(what: string): FaultlineError {
  return new FaultlineError('FAULTLINE_NO_TARGETS', `${what} (it was started by an older faultline)`, 'restart it: faultline lab down && faultline lab up');
}
