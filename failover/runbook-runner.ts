import type { KubeConfig } from '@kubernetes/client-node';
import { FaultlineError, type FailoverDriver, type FailoverPlan, type Runbook, type RunbookOutcome } from '../core/index.ts';
import { resolveCommand, runCommand } from './command-runbook.ts';
import { runHttp } from './http-runbook.ts';
import { runJob } from './job-runbook.ts';
import { awaitLabFailover, LabDrService } from './lab-runbook.ts';

export interface RunbookRunnerOptions {
  /** The embedded lab's DR service (its URL), when the target is an active/passive lab. */
  labDrService?: string;
  /** Kubernetes targets: the kubeconfig, and the context of each region's cluster, for `job` runbooks. */
  kube?: { kubeConfig: KubeConfig; contexts: Record<string, string> };
  /** Names Jobs after the run. */
  runId?: string;
}

/** Runs a scenario's runbooks, whatever their kind, on the target it was given the means to reach. */
export class RunbookRunner implements FailoverDriver {
  constructor(private readonly o: RunbookRunnerOptions = {}) {}

  async check(plan: FailoverPlan): Promise<FaultlineError[]> {
    const problems: FaultlineError[] = [];
    const runbooks: [string, Runbook][] = [['runbook', plan.runbook], ...(plan.failback ? [['failback runbook', plan.failback.runbook] as [string, Runbook]] : [])];
    for (const [what, r] of runbooks) {
      const bad = (message: string, hint: string) => problems.push(new FaultlineError('FAULTLINE_BAD_INPUT', `failover ${what}: ${message}`, hint));
      switch (r.kind) {
        case 'command':
          if (r.argv[0] && !resolveCommand(r.argv[0])) bad(`command "${r.argv[0]}" does not exist or is not executable`, 'give an absolute path, or a program on PATH, and check its execute bit');
          break;
        case 'lab':
          if (!this.o.labDrService) bad("the lab's runbook needs an active/passive lab, and this target has no DR service", 'run it on an active/passive lab (faultline lab up --topology garage-platform), or give a command or HTTP runbook');
          else if (!(await new LabDrService(this.o.labDrService).healthy())) bad(`the lab's DR service at ${this.o.labDrService} does not answer`, 'check `faultline lab status`; restart the lab if the dr-service row is unhealthy');
          if (what === 'failback runbook') bad("the lab's runbook cannot fail back in place (the old primary would need rebuilding as a replica)", 'leave failback out on the lab; `faultline lab down && faultline lab up` restores it');
          break;
        case 'job':
          if (!this.o.kube) bad('a Job runbook runs on Kubernetes, and this target is not a cluster', 'run the scenario with --target k8s, or give a command or HTTP runbook');
          else if (!this.o.kube.contexts[r.region]) bad(`region "${r.region}" has no cluster in the kubernetes binding`, `bound regions: ${Object.keys(this.o.kube.contexts).join(', ')}`);
          break;
        case 'http':
          break;
      }
    }
    if (plan.trigger.mode === 'automatic' && !this.o.labDrService) {
      problems.push(new FaultlineError('FAULTLINE_BAD_INPUT', 'failover: an automatic trigger needs a DR service faultline can watch, and this target has none', 'use a manual trigger (after: …) with your runbook'));
    }
    return problems;
  }

  /** On the lab, the DR watcher acts only in scenarios that ask for an automatic failover; after the run it is re-armed. */
  async arm(plan: FailoverPlan): Promise<() => Promise<void>> {
    if (!this.o.labDrService) return async () => {};
    const dr = new LabDrService(this.o.labDrService);
    await dr.arm(plan.trigger.mode === 'automatic');
    return () => dr.arm(true);
  }

  run(runbook: Runbook, c: { action: 'failover' | 'failback'; timeoutMs: number; signal: AbortSignal }): Promise<RunbookOutcome> {
    switch (runbook.kind) {
      case 'command':
        return runCommand(runbook.argv, runbook.env, c.timeoutMs, c.signal);
      case 'http':
        return runHttp(runbook, c.timeoutMs, c.signal);
      case 'lab':
        return new LabDrService(this.o.labDrService!).run(c.action, c.timeoutMs, c.signal);
      case 'job': {
        const name = `faultline-${c.action}-${Date.now().toString(36)}`;
        return runJob(runbook, this.o.kube!.kubeConfig, this.o.kube!.contexts[runbook.region]!, name, c.timeoutMs, c.signal);
      }
    }
  }

  awaitAutomatic(c: { since: number; timeoutMs: number; signal: AbortSignal }): Promise<RunbookOutcome> {
    return awaitLabFailover(new LabDrService(this.o.labDrService!), c);
  }
}
