import { FaultlineError, type FaultSpec, type SelectionMode, type Topology } from '../core/index.ts';

/** The fault grammar of `faultline inject`, shown in its --help. */
export const FAULT_GRAMMAR = `  pod-kill     <region>/<service>          SIGKILL (lab) / PodChaos pod-kill   [--mode, --value]
  pod-failure  <region>/<service>          SIGSTOP (lab) / PodChaos pod-failure [--mode, --value]
  partition    <regionA> <regionB>         every link between them blackholed, both directions
  latency      <regionA> <regionB> <delay> added delay on the link, e.g. 200ms
  replica-lag  <region> <by>               the region's read replica applies WAL <by> late, e.g. 5s
  stress       <region>/<service>          CPU stress beside the service      [--workers]
  cache-loss   <region>                    the region's Redis flushed and frozen (reads fall back to the DB)
  http-fault   <from> <region>/<service> abort <status> | delay <d>
                                           a share of the route's requests answered <status> or held <d> longer,
                                           at the proxy in front of the service  [--share, --method, --path]
  dns-fault    <from> <region>/<service>   <from>'s lookups of the service's name fail  [--action error|random]
  time-skew    <region>/<service> <offset> the service's clock moved, e.g. 90s or -90s  [--mode, --value]
  io-latency   <region> <delay>            the region's database disk slowed by <delay> per call  [--percent, --store]
  region-loss  <region>                    every process of the region frozen and every link to it blackholed
  store-loss   <store>                     the datastore's primary frozen (its copies untouched)
  secret-store-loss <region> [leader]      the region's secret store (Vault) nodes down, or with "leader" the active
                                           node killed so its raft group elects another  [--store]`;

/** Turns `partition jkt bdg` and friends into a FaultSpec; every mistake gets a message that shows the right form. */
export function parseFaultArgs(
  words: string[],
  topology: Topology,
  options: { mode?: string; value?: string; workers?: string; store?: string; share?: string; method?: string; path?: string; action?: string; percent?: string },
): FaultSpec {
  const [kind, ...args] = words;
  const need = (n: number, form: string) => {
    if (args.length !== n) throw usage(`"${kind}" takes ${form}`);
  };
  const target = (text: string | undefined): { region: string; service: string } => {
    const [region, service] = (text ?? '').split('/');
    if (!region || !service) throw usage(`write the target as <region>/<service>, e.g. jkt/service-main (got "${text ?? ''}")`);
    return { region, service };
  };
  switch (kind) {
    case 'pod-kill':
    case 'pod-failure':
      need(1, '<region>/<service>');
      return { kind: kind === 'pod-kill' ? 'podKill' : 'podFailure', ...target(args[0]), ...selection(options) };
    case 'partition':
      need(2, '<regionA> <regionB>');
      return { kind: 'partition', regions: [args[0]!, args[1]!] };
    case 'latency':
      need(3, '<regionA> <regionB> <delay>');
      return { kind: 'latency', regions: [args[0]!, args[1]!], latency: args[2]! };
    case 'replica-lag': {
      need(2, '<region> <by>');
      const store = options.store ?? topology.datastores[0]?.name;
      if (!store) throw new FaultlineError('FAULTLINE_BAD_INPUT', `topology "${topology.name}" has no datastore to lag`);
      return { kind: 'replicaLag', store, region: args[0]!, by: args[1]! };
    }
    case 'stress':
      need(1, '<region>/<service>');
      return { kind: 'stress', ...target(args[0]), cpuWorkers: Number(options.workers ?? 1) };
    case 'cache-loss':
      need(1, '<region>');
      return { kind: 'cacheLoss', region: args[0]! };
    case 'region-loss':
      need(1, '<region>');
      return { kind: 'regionLoss', region: args[0]! };
    case 'store-loss':
      need(1, '<store>');
      return { kind: 'storeLoss', store: args[0]! };
    case 'http-fault': {
      need(4, '<from> <region>/<service> abort <status> | delay <duration>');
      const [from, served, how, amount] = args as [string, string, string, string];
      if (how !== 'abort' && how !== 'delay') throw usage(`http-fault takes "abort <status>" or "delay <duration>", got "${how}"`);
      return {
        kind: 'httpFault',
        from,
        ...target(served),
        share: Number(options.share ?? 1),
        ...(how === 'abort' ? { abort: Number(amount) } : { delay: amount }),
        ...(options.method !== undefined && { method: options.method }),
        ...(options.path !== undefined && { path: options.path }),
      };
    }
    case 'dns-fault':
      need(2, '<from> <region>/<service>');
      return { kind: 'dnsFault', from: args[0]!, ...target(args[1]), action: (options.action ?? 'error') as 'error' | 'random' };
    case 'time-skew': {
      need(2, '<region>/<service> <offset>');
      const offset = args[1]!;
      return { kind: 'timeSkew', ...target(args[0]), offset: offset.replace(/^[-+]/, ''), backwards: offset.startsWith('-'), ...selection(options) };
    }
    case 'secret-store-loss': {
      if (args.length !== 1 && !(args.length === 2 && args[1] === 'leader')) throw usage('"secret-store-loss" takes <region> or <region> leader');
      const store = options.store ?? topology.secretStores?.[0]?.name;
      if (!store) throw new FaultlineError('FAULTLINE_BAD_INPUT', `topology "${topology.name}" has no secret store to lose`);
      return { kind: 'secretStoreLoss', store, region: args[0]!, scope: args[1] === 'leader' ? 'leader' : 'region' };
    }
    case 'io-latency': {
      need(2, '<region> <delay>');
      const store = options.store ?? topology.datastores[0]?.name;
      if (!store) throw new FaultlineError('FAULTLINE_BAD_INPUT', `topology "${topology.name}" has no datastore to slow`);
      return { kind: 'ioLatency', store, region: args[0]!, delay: args[1]!, ...(options.percent !== undefined && { percent: Number(options.percent) }) };
    }
    default:
      throw usage(kind ? `unknown fault "${kind}"` : 'name a fault');
  }
}

function selection(o: { mode?: string; value?: string }): SelectionMode {
  const mode = o.mode ?? 'one';
  if (mode === 'one' || mode === 'all') return { mode };
  if (mode === 'fixed' || mode === 'fixed-percent' || mode === 'random-max-percent') {
    const value = Number(o.value);
    if (!Number.isFinite(value)) throw usage(`--mode ${mode} needs --value N`);
    return { mode, value };
  }
  throw usage(`unknown --mode "${mode}": use one, all, fixed, fixed-percent or random-max-percent`);
}

function usage(message: string): FaultlineError {
  return new FaultlineError('FAULTLINE_BAD_INPUT', message, `faults:\n${FAULT_GRAMMAR}`);
}
