import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import { FaultlineError, parseDuration, type Duration, type LoadRunner, type LoadSummary, type RunningLoad } from '../../core/index.ts';
import { clientsFor, loadKubeError, statusOf } from './kube-access.ts';
import { k6OperatorManifests, type K6OperatorProfile, type K6OperatorSettings, type RegionLoadManifests } from './testrun-manifests.ts';

export interface K6OperatorRunnerOptions extends K6OperatorSettings {
  kubeConfig: KubeConfig;
  /** How often TestRun stages are read. Default `'2s'`. */
  pollEvery?: Duration;
  /** Time allowed beyond the load's own length for pods to schedule, start and finish. Default `'5m'`. */
  startupGrace?: Duration;
}

const TESTRUN = { group: 'k6.io', version: 'v1alpha1', plural: 'testruns' };

/**
 * Distributed load through k6-operator: per region cluster a script ConfigMap and a TestRun, then waits for every
 * TestRun to reach stage `finished`. Results travel by Prometheus remote write; the summary returned here carries no
 * per-region figures (k6's own summary stays in the runner pods' logs), so SLOs must be judged from Prometheus.
 */
export class K6OperatorRunner implements LoadRunner {
  constructor(private readonly o: K6OperatorRunnerOptions) {}

  async start(profile: K6OperatorProfile, run: { runId: string; scenario: string; durationMs: number }): Promise<RunningLoad> {
    const regions = k6OperatorManifests(profile, run, this.o);
    const created: RegionLoadManifests[] = [];
    try {
      for (const r of regions) {
        const { core, custom } = clientsFor(this.o.kubeConfig, r.context);
        await core.createNamespacedConfigMap({ namespace: r.namespace, body: r.configMap as never }).catch((e: unknown) => {
          throw loadKubeError(e, { context: r.context, verb: 'create', group: '', resource: 'configmaps', namespace: r.namespace });
        });
        created.push(r);
        await custom.createNamespacedCustomObject({ ...TESTRUN, namespace: r.namespace, body: r.testRun }).catch((e: unknown) => {
          throw loadKubeError(e, { context: r.context, verb: 'create', group: 'k6.io', resource: 'testruns', namespace: r.namespace });
        });
      }
    } catch (e) {
      await this.cleanup(created);
      throw e;
    }
    return new OperatorRun(this, regions, run.durationMs + parseDuration(this.o.startupGrace ?? '5m', 'startupGrace'), parseDuration(this.o.pollEvery ?? '2s', 'pollEvery'));
  }

  /**
   * Sends every region's ConfigMap and TestRun as a server-side dry run: RBAC, the CRD schema and admission all judge
   * them, and nothing is persisted. For runs whose load comes from elsewhere (a local k6), this still proves the
   * distributed load would have been accepted by each cluster.
   */
  async validate(profile: K6OperatorProfile, run: { runId: string; scenario: string; durationMs: number }): Promise<void> {
    for (const r of k6OperatorManifests(profile, run, this.o)) {
      const { core, custom } = clientsFor(this.o.kubeConfig, r.context);
      await core.createNamespacedConfigMap({ namespace: r.namespace, body: r.configMap as never, dryRun: 'All' }).catch((e: unknown) => {
        throw loadKubeError(e, { context: r.context, verb: 'create', group: '', resource: 'configmaps', namespace: r.namespace });
      });
      await custom.createNamespacedCustomObject({ ...TESTRUN, namespace: r.namespace, body: r.testRun, dryRun: 'All' }).catch((e: unknown) => {
        throw loadKubeError(e, { context: r.context, verb: 'create', group: 'k6.io', resource: 'testruns', namespace: r.namespace });
      });
    }
  }

  /** Current stage of one region's TestRun; undefined when it is gone. */
  async stage(r: RegionLoadManifests): Promise<string | undefined> {
    const { custom } = clientsFor(this.o.kubeConfig, r.context);
    try {
      const obj = (await custom.getNamespacedCustomObject({ ...TESTRUN, namespace: r.namespace, name: r.testRun.metadata.name })) as { status?: { stage?: string } };
      return obj.status?.stage ?? 'initialization';
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw loadKubeError(e, { context: r.context, verb: 'get', group: 'k6.io', resource: 'testruns', namespace: r.namespace });
    }
  }

  /** Deletes TestRuns (k6-operator then stops their pods) and ConfigMaps; already-gone objects are fine. */
  async cleanup(regions: RegionLoadManifests[]): Promise<void> {
    await Promise.all(
      regions.map(async (r) => {
        const { core, custom } = clientsFor(this.o.kubeConfig, r.context);
        const name = r.testRun.metadata.name;
        await custom.deleteNamespacedCustomObject({ ...TESTRUN, namespace: r.namespace, name }).catch((e: unknown) => {
          if (statusOf(e) !== 404) throw loadKubeError(e, { context: r.context, verb: 'delete', group: 'k6.io', resource: 'testruns', namespace: r.namespace });
        });
        await core.deleteNamespacedConfigMap({ namespace: r.namespace, name }).catch((e: unknown) => {
          if (statusOf(e) !== 404) throw loadKubeError(e, { context: r.context, verb: 'delete', group: '', resource: 'configmaps', namespace: r.namespace });
        });
      }),
    );
  }
}

class OperatorRun implements RunningLoad {
  readonly done: Promise<LoadSummary>;
  private stopped = false;
  private readonly started = Date.now();

  constructor(
    private readonly runner: K6OperatorRunner,
    private readonly regions: RegionLoadManifests[],
    limitMs: number,
    pollMs: number,
  ) {
    this.done = this.follow(limitMs, pollMs);
    this.done.catch(() => {});
  }

  private async follow(limitMs: number, pollMs: number): Promise<LoadSummary> {
    const deadline = this.started + limitMs;
    const pending = new Set(this.regions);
    try {
      while (pending.size && !this.stopped) {
        for (const r of [...pending]) {
          const stage = await this.runner.stage(r);
          if (stage === 'finished') pending.delete(r);
          else if (this.stopped) break; // stop() deleted it: not a failure
          else if (stage === 'error' || stage === undefined) {
            throw new FaultlineError(
              'FAULTLINE_HARNESS',
              `k6-operator TestRun ${r.namespace}/${r.testRun.metadata.name} (context "${r.context}") ${stage === 'error' ? 'ended in stage error' : 'disappeared before it finished'}`,
              `read its runner pods' logs: kubectl --context ${r.context} -n ${r.namespace} logs -l k6_cr=${r.testRun.metadata.name}`,
            );
          }
        }
        if (!pending.size || this.stopped) break;
        if (Date.now() > deadline) {
          throw new FaultlineError('FAULTLINE_HARNESS', `k6-operator runs did not finish in time: ${[...pending].map((r) => `${r.context}/${r.testRun.metadata.name}`).join(', ')}`);
        }
        await sleep(pollMs);
      }
    } finally {
      await this.runner.cleanup(this.regions);
    }
    return this.summary();
  }

  private summary(): LoadSummary {
    return { tool: 'k6-operator', durationMs: Date.now() - this.started, regions: [] };
  }

  async stop(): Promise<LoadSummary> {
    this.stopped = true;
    await this.runner.cleanup(this.regions);
    return this.done.catch(() => this.summary());
  }
}
