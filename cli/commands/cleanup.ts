import { join, resolve } from 'node:path';
import { ExitCode, FaultlineError, Ledger, type LedgerEntry } from '../../core/index.ts';
import { hostname } from 'node:os';
import { isLiveHolder, LAB_LEDGER_DIR, readLeaseHolders } from '../../lab/index.ts';
import { KUBERNETES_DRIVER, sweep } from '../../chaos/mesh/index.ts';
import { requireTopology } from '../../targets/index.ts';
import { KUBERNETES_LEDGER_DIR, labRunDir } from '../../scenarios/index.ts';
import { parseCommandArgs } from '../args.ts';
import { parseTarget } from '../target-flag.ts';
import type { Command } from '../command.ts';

const HELP = `faultline cleanup: revert every fault a crashed or killed run left behind.

Usage: faultline cleanup [--target lab|k8s] [options]

  lab (default)  Reads the lab's fault ledger (every injection is written there before it is applied, and removed
                 after its revert) and carries out each leftover entry's revert: toxics removed, paused processes
                 continued, replica apply delay reset, and so on. The lab watchdog does the same by itself once an
                 entry's TTL passes; cleanup does it now. Faults of an experiment still in progress (it holds the
                 lab's lease) are left to it, unless --force.
  k8s            Deletes every Chaos Mesh resource labelled app.kubernetes.io/managed-by=faultline in the
                 binding's allowlisted namespaces of every kube context, waits until each is recovered, and
                 clears the local Kubernetes ledger (.faultline/kubernetes/ledger).

Options:
  --target lab|k8s     where to clean (default: lab)
  --topology NAME      topology whose bindings to use (default: tri-region-tgw)
  --run-dir DIR        the lab's run folder (default: the topology's lab binding, .faultline/lab)
  --run-id ID          only this run's leftovers (default: all)
  --dry-run            list what would be reverted, change nothing
  --force              lab: also revert the faults of an experiment still in progress
  --json               machine-readable output

Examples:
  faultline cleanup                      # after a harness was killed with -9
  faultline cleanup --dry-run --json
  faultline cleanup --target k8s --run-id jkt-pod-loss-20261121t0230
`;

export const command: Command = {
  name: 'cleanup',
  summary: 'revert faults a crashed run left behind (lab ledger, or Chaos Mesh resources by label)',
  help: HELP,
  async run(argv) {
    const { values } = parseCommandArgs('cleanup', argv, {
      target: { type: 'string', default: 'lab' },
      topology: { type: 'string', default: 'tri-region-tgw' },
      'run-dir': { type: 'string' },
      'run-id': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    const targets = requireTopology(values.topology);
    const print = (human: string, data: unknown) => process.stdout.write(values.json ? JSON.stringify(data, null, 2) + '\n' : human + '\n');

    if (parseTarget(values.target) === 'kubernetes') {
      if (!targets.kubernetes) throw new FaultlineError('FAULTLINE_BAD_INPUT', `topology "${values.topology}" has no Kubernetes binding`);
      if (values['dry-run']) throw new FaultlineError('FAULTLINE_BAD_INPUT', 'cleanup --dry-run is only for the lab target', 'list leftovers with: kubectl get podchaos,networkchaos,stresschaos,iochaos,dnschaos,httpchaos,timechaos -A -l app.kubernetes.io/managed-by=faultline');
      const removed = await sweep(targets.kubernetes, { runId: values['run-id'] });
      // The sweep removed every labelled resource, so the local ledger's entries for them are settled too.
      const ledger = new Ledger(resolve(KUBERNETES_LEDGER_DIR));
      for (const entry of ledger.list()) if (!values['run-id'] || entry.runId === values['run-id']) ledger.remove(entry.id);
      print(
        removed.length ? removed.map((r) => `removed ${r.kind} ${r.namespace}/${r.name} in ${r.context}`).join('\n') : 'nothing to clean: no faultline chaos resource found',
        { target: KUBERNETES_DRIVER, removed },
      );
      return ExitCode.ok;
    }
    const runDir = labRunDir(targets, values['run-dir']);
    const ledger = new Ledger(join(runDir, LAB_LEDGER_DIR));
    const live = readLeaseHolders(runDir).filter((h) => isLiveHolder(h, hostname()));
    const asked = ledger.list().filter((e) => !values['run-id'] || e.runId === values['run-id']);
    // A run in progress reverts its own faults on schedule; reverting them under it would end its game day unseen.
    const inProgress = values.force ? [] : asked.filter((e) => live.some((h) => h.runId === e.runId));
    const leftovers = asked.filter((e) => !inProgress.includes(e));
    const kept = inProgress.map((e) => {
      const h = live.find((x) => x.runId === e.runId)!;
      return `left alone: ${describe(e)}: run ${h.runId} (${h.scenario}, pid ${h.pid}) is in progress and reverts it itself; --force reverts it now`;
    });
    if (values['dry-run'] || leftovers.length === 0) {
      const none = asked.length ? '' : 'nothing to clean: the ledger is empty';
      print([...leftovers.map(describe), ...kept, none].filter(Boolean).join('\n'), { target: 'lab', dryRun: values['dry-run'], leftovers, inProgress });
      return ExitCode.ok;
    }
    const results: { entry: LedgerEntry; ok: boolean; error?: string }[] = [];
    for (const entry of leftovers) {
      try {
        await ledger.revert(entry);
        results.push({ entry, ok: true });
      } catch (e) {
        results.push({ entry, ok: false, error: (e as Error).message });
      }
    }
    const failed = results.some((r) => !r.ok);
    const lines = [
      ...results.map((r) => `${r.ok ? 'reverted' : 'FAILED  '} ${describe(r.entry)}${r.error ? `: ${r.error}` : ''}`),
      ...kept,
      ...(failed
        ? ['→ what a failed revert acts on does not answer; `faultline lab status` shows which component is down. Restarting the lab (faultline lab down && faultline lab up) starts every component without faults; then run faultline cleanup again to clear the ledger']
        : []),
    ];
    print(lines.join('\n'), { target: 'lab', results, inProgress });
    return failed ? ExitCode.harnessError : ExitCode.ok;
  },
};

function describe(e: LedgerEntry): string {
  const age = Math.round((Date.now() - e.createdAt) / 1000);
  const expired = e.expiresAt <= Date.now() ? 'TTL passed' : `TTL in ${Math.round((e.expiresAt - Date.now()) / 1000)}s`;
  return `${e.fault} (${e.spec.kind}) from run ${e.runId}, injected ${age}s ago, ${expired}`;
}
