import { validateCatalogueFault } from './catalogue-fault-rules.ts';
import { FaultlineError } from './errors.ts';
import { parseDuration } from './duration.ts';
import type { Duration } from './duration.ts';
import type { FailoverPlan, Runbook } from './failover.ts';
import { requireSecretStore, validateSecretSlo, validateSecretStoreFault } from './secret-store.ts';
import type { FaultSpec } from './fault.ts';
import type { Scenario } from './scenario.ts';
import type { SloSpec } from './slo.ts';
import { validateGuardrails } from './validate-guardrails.ts';
import { linkBetween, requireDatastore, requireRegion, requireService, type Topology } from './topology.ts';

/**
 * Checks a scenario against its topology without touching anything: names exist, durations parse, objectives are
 * in range. Returns every problem, so a user fixes them all in one pass.
 */
export function validateScenario(scenario: Scenario, topology: Topology): FaultlineError[] {
  const problems: FaultlineError[] = [];
  const attempt = (where: string, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      const err = e instanceof FaultlineError ? e : new FaultlineError('FAULTLINE_BAD_INPUT', String(e));
      problems.push(new FaultlineError(err.code, `${where}: ${err.message}`));
    }
  };
  const bad = (where: string, message: string, hint?: string) =>
    problems.push(new FaultlineError('FAULTLINE_BAD_INPUT', `${where}: ${message}`, hint));

  if (scenario.topology !== topology.name) {
    bad(`scenario "${scenario.name}"`, `is written for topology "${scenario.topology}", not "${topology.name}"`);
  }
  if (!/^[a-z0-9][a-z0-9-]*$/.test(scenario.name)) {
    bad(`scenario "${scenario.name}"`, 'name must be lowercase letters, digits and dashes', "e.g. 'jkt-pod-loss'");
  }
  for (const key of ['warmup', 'baseline', 'recovery'] as const) {
    attempt(`timeline.${key}`, () => parseDuration(scenario.timeline[key], `timeline.${key}`));
  }

  const regions = Object.keys(scenario.load.regions);
  if (regions.length === 0) bad('load', 'no region has traffic', "add at least one, e.g. load: { regions: { jkt: { executor: 'constant-arrival-rate', rate: 20 } } }");
  for (const region of regions) attempt(`load.regions.${region}`, () => requireRegion(topology, region));
  if (!(scenario.load.writeRatio >= 0 && scenario.load.writeRatio <= 1)) bad('load.writeRatio', `${scenario.load.writeRatio} is not between 0 and 1`);

  const faultNames = new Set<string>();
  for (const fault of scenario.faults) {
    const where = `fault "${fault.name}"`;
    if (faultNames.has(fault.name)) bad(where, 'name is used twice', 'give each fault a unique name');
    faultNames.add(fault.name);
    attempt(`${where} at`, () => parseDuration(fault.at, 'at'));
    attempt(`${where} duration`, () => parseDuration(fault.duration, 'duration'));
    attempt(where, () => validateFaultNames(fault.spec, topology));
  }

  const sloNames = new Set<string>();
  for (const slo of scenario.slos) {
    const where = `SLO "${slo.name}"`;
    if (sloNames.has(slo.name)) bad(where, 'name is used twice', 'give each SLO a unique name');
    sloNames.add(slo.name);
    attempt(where, () => validateSlo(slo, topology, faultNames));
  }
  if (scenario.slos.length === 0) bad(`scenario "${scenario.name}"`, 'has no SLO, so it can never fail', 'add at least one .expect(...)');
  if (scenario.failover) problems.push(...validateFailover(scenario.failover, topology, faultNames));
  for (const slo of scenario.slos) {
    if ((slo.kind === 'rpo' || slo.kind === 'dataLoss') && !(scenario.load.writeRatio > 0)) {
      bad(`SLO "${slo.name}"`, `a ${slo.kind} SLO is measured from acknowledged writes, and the load profile sends none (writeRatio ${scenario.load.writeRatio})`, 'give the load a writeRatio above 0, e.g. 0.2');
    }
  }

  problems.push(...validateGuardrails(scenario.guardrails, scenario.load, topology));
  return problems;
}

export function validateFaultNames(spec: FaultSpec, topology: Topology): void {
  switch (spec.kind) {
    case 'podKill':
    case 'podFailure':
    case 'containerKill':
    case 'stress':
    case 'timeSkew':
      requireService(topology, spec.service, spec.region);
      if ('mode' in spec && spec.mode !== 'one' && spec.mode !== 'all') {
        const pct = spec.mode !== 'fixed';
        if (!(spec.value > 0) || (pct && spec.value > 100)) {
          throw new FaultlineError('FAULTLINE_BAD_INPUT', `mode ${spec.mode} needs a value ${pct ? 'in 1..100' : '≥ 1'}, got ${spec.value}`);
        }
      }
      if (spec.kind === 'timeSkew') validateCatalogueFault(spec, topology);
      return;
    case 'partition':
    case 'latency':
      linkBetween(topology, spec.regions[0], spec.regions[1]);
      if (spec.kind === 'latency') parseDuration(spec.latency, 'latency');
      return;
    case 'replicaLag': {
      const store = requireDatastore(topology, spec.store);
      requireRegion(topology, spec.region);
      if (!store.replicas.some((r) => r.region === spec.region)) {
        throw new FaultlineError(
          'FAULTLINE_UNKNOWN_NAME',
          `datastore "${spec.store}" has no replica in region "${spec.region}"`,
          `its replicas are in: ${store.replicas.map((r) => r.region).join(', ')}`,
        );
      }
      parseDuration(spec.by, 'by');
      return;
    }
    case 'cacheLoss':
    case 'regionLoss':
      requireRegion(topology, spec.region);
      return;
    case 'httpFault':
    case 'dnsFault':
    case 'ioLatency':
      validateCatalogueFault(spec, topology);
      return;
    case 'storeLoss':
      requireDatastore(topology, spec.store);
      return;
    case 'secretStoreLoss':
      validateSecretStoreFault(spec, topology);
      return;
  }
}

function validateSlo(slo: SloSpec, topology: Topology, faults: Set<string>): void {
  if ('region' in slo && slo.region !== undefined) requireRegion(topology, slo.region);
  switch (slo.kind) {
    case 'availability':
    case 'freshness':
      if (!(slo.objective >= 0 && slo.objective <= 1)) {
        throw new FaultlineError('FAULTLINE_BAD_INPUT', `objective ${slo.objective} is a ratio and must be between 0 and 1`, 'write 99.5% as 0.995');
      }
      if (slo.kind === 'freshness') parseDuration(slo.staleAfter, 'staleAfter');
      return;
    case 'latency':
      if (!(slo.quantile > 0 && slo.quantile < 1)) throw new FaultlineError('FAULTLINE_BAD_INPUT', `quantile ${slo.quantile} must be between 0 and 1`, 'p95 is 0.95');
      parseDuration(slo.objective, 'objective');
      return;
    case 'replicaLag':
      parseDuration(slo.objective, 'objective');
      return;
    case 'rto':
      parseDuration(slo.objective, 'objective');
      if (slo.sli === 'capacity' && slo.service) requireService(topology, slo.service, slo.region);
      if (slo.sli === 'leader') {
        if (!slo.store) throw new FaultlineError('FAULTLINE_BAD_INPUT', 'a leader RTO names the secret store whose leader it times', "e.g. store: 'vault'");
        requireSecretStore(topology, slo.store);
      }
      if (slo.fault !== undefined && !faults.has(slo.fault)) {
        throw new FaultlineError('FAULTLINE_UNKNOWN_NAME', `names fault "${slo.fault}", which the scenario does not inject`, `faults: ${[...faults].join(', ') || '(none)'}`);
      }
      if (faults.size === 0) throw new FaultlineError('FAULTLINE_BAD_INPUT', 'an RTO needs a fault to measure from');
      return;
    case 'errorBudget':
      // An SLO's budget only exists relative to a target over a period; without them "spent" means nothing.
      if (slo.target === undefined || slo.period === undefined) {
        throw new FaultlineError('FAULTLINE_BAD_INPUT', 'an error-budget SLO needs the service SLO it spends: target and period', "e.g. target: 0.999, period: '30d' (99.9% over 30 days)");
      }
      if (!(slo.target > 0 && slo.target < 1)) throw new FaultlineError('FAULTLINE_BAD_INPUT', `target ${slo.target} must be between 0 and 1 (exclusive)`, 'write 99.9% as 0.999');
      if (!(parseDuration(slo.period, 'period') > 0)) throw new FaultlineError('FAULTLINE_BAD_INPUT', 'period must be longer than 0', "e.g. '30d'");
      if (!(slo.objective > 0 && slo.objective <= 1)) throw new FaultlineError('FAULTLINE_BAD_INPUT', `objective ${slo.objective} is the share of the budget the run may spend, in (0, 1]`, 'write 2% as 0.02');
      return;
    case 'alert':
      if (!slo.alert?.trim()) throw new FaultlineError('FAULTLINE_BAD_INPUT', 'names no alert', "e.g. alert: 'ServiceErrorBudgetBurn'");
      parseDuration(slo.within, 'within');
      if (slo.fault !== undefined && !faults.has(slo.fault)) {
        throw new FaultlineError('FAULTLINE_UNKNOWN_NAME', `names fault "${slo.fault}", which the scenario does not inject`, `faults: ${[...faults].join(', ') || '(none)'}`);
      }
      if (faults.size === 0) throw new FaultlineError('FAULTLINE_BAD_INPUT', 'an alert SLO needs a fault to time the alert from');
      return;
    case 'rpo':
    case 'dataLoss':
      if (slo.kind === 'rpo') parseDuration(slo.objective, 'objective');
      if (slo.kind === 'dataLoss' && !(Number.isInteger(slo.objective) && slo.objective >= 0)) {
        throw new FaultlineError('FAULTLINE_BAD_INPUT', `objective ${slo.objective} is not a count of lost writes`, 'give a whole number, e.g. 0 for a synchronous store');
      }
      if (slo.store !== undefined) requireDatastore(topology, slo.store);
      if (faults.size === 0) throw new FaultlineError('FAULTLINE_BAD_INPUT', `a ${slo.kind} SLO needs a fault that could lose data`);
      return;
    case 'failoverRto':
      parseDuration(slo.objective, 'objective');
      if (slo.fault !== undefined && !faults.has(slo.fault)) {
        throw new FaultlineError('FAULTLINE_UNKNOWN_NAME', `names fault "${slo.fault}", which the scenario does not inject`, `faults: ${[...faults].join(', ') || '(none)'}`);
      }
      if (slo.threshold !== undefined && !(slo.threshold > 0 && slo.threshold <= 1)) throw new FaultlineError('FAULTLINE_BAD_INPUT', `threshold ${slo.threshold} must be between 0 and 1`, 'write 99% as 0.99');
      if (faults.size === 0) throw new FaultlineError('FAULTLINE_BAD_INPUT', 'an RTO needs a fault to measure from');
      return;
    case 'secretReads':
    case 'secretLease':
      validateSecretSlo(slo, topology, faults);
      return;
    case 'throughput':
    case 'custom':
      return;
  }
}

/** A failover the topology can do: known regions, something in `to` to promote, a runbook that is complete. */
export function validateFailover(plan: FailoverPlan, topology: Topology, faults: Set<string>): FaultlineError[] {
  const problems: FaultlineError[] = [];
  const attempt = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      problems.push(e instanceof FaultlineError ? new FaultlineError(e.code, `failover: ${e.message}`) : new FaultlineError('FAULTLINE_BAD_INPUT', `failover: ${String(e)}`));
    }
  };
  attempt(() => requireRegion(topology, plan.from));
  attempt(() => requireRegion(topology, plan.to));
  if (plan.from === plan.to) problems.push(new FaultlineError('FAULTLINE_BAD_INPUT', `failover: from and to are both "${plan.from}"`, 'fail over to another region'));
  const promotable = topology.datastores.filter((d) => d.primaryRegion === plan.from && d.replicas.some((r) => r.region === plan.to));
  if (problems.length === 0 && promotable.length === 0) {
    problems.push(
      new FaultlineError(
        'FAULTLINE_BAD_INPUT',
        `failover: topology "${topology.name}" has no copy in ${plan.to} of any store written in ${plan.from}, so there is nothing to promote`,
        `fail over to a region that holds replicas (${topology.datastores.flatMap((d) => d.replicas.map((r) => r.region)).join(', ') || 'none'}), or test this topology without a failover`,
      ),
    );
  }
  if (plan.trigger.mode === 'manual') {
    attempt(() => parseDuration((plan.trigger as { after: Duration }).after, 'trigger.after'));
    const fault = plan.trigger.fault;
    if (fault !== undefined && !faults.has(fault)) problems.push(new FaultlineError('FAULTLINE_UNKNOWN_NAME', `failover: trigger names fault "${fault}", which the scenario does not inject`, `faults: ${[...faults].join(', ') || '(none)'}`));
  } else {
    attempt(() => parseDuration((plan.trigger as { within: Duration }).within, 'trigger.within'));
  }
  if (faults.size === 0) problems.push(new FaultlineError('FAULTLINE_BAD_INPUT', 'failover: the scenario injects no fault to fail over from'));
  if (plan.timeout !== undefined) attempt(() => parseDuration(plan.timeout!, 'timeout'));
  const runbooks: [string, Runbook][] = [['runbook', plan.runbook], ...(plan.failback ? [['failback runbook', plan.failback.runbook] as [string, Runbook]] : [])];
  for (const [what, runbook] of runbooks) {
    if (runbook.kind === 'command' && !runbook.argv[0]?.trim()) problems.push(new FaultlineError('FAULTLINE_BAD_INPUT', `failover: the ${what} command is empty`, 'give argv, e.g. ["./promote.sh", "--to", "secondary"]'));
    if (runbook.kind === 'http' && !/^https?:\/\/[^\s]+$/.test(runbook.url)) problems.push(new FaultlineError('FAULTLINE_BAD_INPUT', `failover: the ${what} URL "${runbook.url}" is not an http(s) URL`));
    if (runbook.kind === 'job') attempt(() => requireRegion(topology, runbook.region));
  }
  if (plan.failback) attempt(() => parseDuration(plan.failback!.after, 'failback.after'));
  return problems;
}
