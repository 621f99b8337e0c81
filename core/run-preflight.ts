import { FaultlineError, isFaultlineError, PreflightError } from './errors.ts';
import type { FailoverDriver } from './failover-driver.ts';
import type { FaultDriver } from './fault-driver.ts';
import type { Journal } from './journal.ts';
import { isRequestGuardrail } from './guardrail.ts';
import type { Ledger } from './ledger.ts';
import type { LoadRunner } from './load-runner.ts';
import { safetyNetProblems } from './safety-net.ts';
import { loadDurationMs } from './scenario.ts';
import type { Scenario } from './scenario.ts';
import type { SloJudge } from './slo-judge.ts';
import type { Topology } from './topology.ts';
import { validateScenario } from './validate-scenario.ts';

export interface PreflightContext {
  scenario: Scenario;
  topology: Topology;
  driver: FaultDriver;
  judge: SloJudge;
  ledger: Ledger;
  journal: Journal;
  /** The load runner: request-stream guardrails need one that streams. */
  load?: Pick<LoadRunner, 'streamsRequests'>;
  /** The target's runbook runner; a scenario with a failover needs one. */
  failover?: FailoverDriver;
  /**
   * Runs holding the target's lease with this one (`--allow-concurrent`): their ledger entries are not leftovers.
   * Undefined when the target has no lease, so nothing is known about other runs.
   */
  activeRuns?: () => string[];
  /**
   * Takes the target's lease (first preflight only). Called once the scenario and its faults passed the static checks:
   * a lease may ask the target itself (on clusters it lists their chaos resources), and a binding preflight refuses
   * (a production-like one without its flag, an unknown context) must be refused before anything is asked.
   */
  takeLease?: () => Promise<void>;
}

/**
 * Everything that can refuse a run before anything changes: the scenario against its topology, each fault against
 * the live target, leftovers in the ledger, and every SLO and guardrail query. Collects every problem, journals the
 * result and throws one {@link PreflightError} listing them all. `keep` filters problems that do not apply yet
 * (before load starts, an SLI fed by load has no data by design).
 */
export async function runPreflight(c: PreflightContext, keep: (problem: FaultlineError) => boolean = () => true): Promise<void> {
  const problems: FaultlineError[] = [...validateScenario(c.scenario, c.topology)];
  if (problems.length === 0) {
    for (const plan of c.scenario.faults) problems.push(...(await c.driver.check(plan)));
    problems.push(...(await failoverProblems(c)));
  }
  let leased = problems.length === 0;
  if (leased && c.takeLease) {
    try {
      await c.takeLease();
    } catch (error) {
      if (!isFaultlineError(error) || !error.isPreflight) throw error;
      problems.push(error);
      leased = false;
    }
  }
  // The safety net: what reverts faults if this harness dies, a ledger that takes entries, room for the journal.
  problems.push(...((await c.driver.checkSafetyNet?.()) ?? []));
  problems.push(...safetyNetProblems({ ledger: c.ledger, journal: c.journal, load: c.scenario.load, loadDurationMs: loadDurationMs(c.scenario) }));
  // Without the lease, whose entries are whose is not known: the busy target (or the bad input) is the problem to fix.
  if (leased || !c.takeLease) problems.push(...leftoverProblems(c.ledger, c.activeRuns?.()));
  problems.push(...streamProblems(c));
  // A scenario with bad names would only earn a second, noisier message per SLO from the judge.
  if (problems.length === 0) problems.push(...(await c.judge.check(c.scenario.slos, c.scenario.guardrails)));
  const kept = problems.filter(keep);
  c.journal.append({ type: 'preflight', ok: kept.length === 0, problems: kept.map((p) => ({ code: p.code, message: p.message })) });
  if (kept.length) throw new PreflightError(kept);
}

/** A request-stream guardrail without a PromQL fallback cannot be watched where the load generator streams nothing. */
function streamProblems(c: PreflightContext): FaultlineError[] {
  if (!c.load || c.load.streamsRequests) return [];
  return c.scenario.guardrails
    .filter((g) => isRequestGuardrail(g) && !g.fallback)
    .map(
      (g) =>
        new FaultlineError(
          'FAULTLINE_BAD_INPUT',
          `guardrail "${g.name}" reads the request stream, which this load generator does not provide`,
          'give it a PromQL fallback (requestAvailabilityGuardrail has one), or use a PromQL guardrail such as availabilityGuardrail',
        ),
    );
}

async function failoverProblems(c: PreflightContext): Promise<FaultlineError[]> {
  const plan = c.scenario.failover;
  if (!plan) return [];
  if (!c.failover) {
    return [new FaultlineError('FAULTLINE_BAD_INPUT', `scenario "${c.scenario.name}" fails over, but the ${c.driver.target} target has no runbook runner`, 'run it on a target that can run its runbook, or remove the failover')];
  }
  return c.failover.check(plan);
}

/**
 * Entries of runs that hold the target's lease now are theirs; with a lease, the rest were left by a harness that is
 * gone. Without one (a target that keeps none), an entry may still belong to a run in progress, so cleanup is only
 * advised once that is ruled out.
 */
function leftoverProblems(ledger: Ledger, activeRuns: string[] | undefined): FaultlineError[] {
  const leftovers = ledger.list().filter((e) => !activeRuns?.includes(e.runId));
  if (leftovers.length === 0) return [];
  const list = leftovers.map((e) => `${e.fault} of ${e.runId}`).join(', ');
  return [
    activeRuns
      ? new FaultlineError(
          'FAULTLINE_BAD_INPUT',
          `the ledger still lists ${leftovers.length} fault(s) of a run that is no longer running (${list}): its harness ended without reverting them (killed, or a revert that failed)`,
          'run `faultline cleanup` to revert them (`faultline lab status` shows what is still applied), then start again',
        )
      : new FaultlineError(
          'FAULTLINE_BAD_INPUT',
          `the ledger lists ${leftovers.length} fault(s) not reverted (${list}), by another run in progress or one that ended without reverting them`,
          'if no other run is going on, run `faultline cleanup` to revert them, then start again',
        ),
  ];
}
