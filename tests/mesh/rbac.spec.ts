import { readFileSync } from 'node:fs';
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { isFaultlineError } from '../../core/index.ts';
import { K6OperatorRunner, type K6OperatorProfile } from '../../load/k6-operator/index.ts';
import { expect, test, type LoopbackKube } from '../support/loopback-kube.ts';
import { binding, catalogueFaults, CONTEXTS, driverOn, expectNoChaosLeft, JKT, plan, seedFaults } from './mesh-fixture.ts';

/*
 * The shipped RBAC (deploy/rbac/) judged by the real authorizer: faultline runs as the ServiceAccount token those
 * files bind, and each API server's audit log records every request that identity made with the authorizer's
 * decision. Every call must be allowed, and every grant must be used by some call.
 */

const rbacDir = new URL('../../deploy/rbac/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, rbacDir), 'utf8');
interface Rule { apiGroups: string[]; resources: string[]; verbs: string[] }
const rulesOf = (yaml: string): Rule[] => parseAllDocuments(yaml).flatMap((d) => ((d.toJS() as { rules?: Rule[] } | null)?.rules ?? []));
const chaosRules = rulesOf(read('chaos-clusterrole.yaml'));
const loadRules = rulesOf(read('load-role.yaml'));
const boundNamespaces = parseAllDocuments(read('chaos-rolebindings.yaml')).map((d) => (d.toJS() as { metadata: { namespace: string } }).metadata.namespace);

const FAULTLINE_USER = 'system:serviceaccount:faultline:faultline';
const triple = (group: string, resource: string, verb: string) => `${group || 'core'}/${resource}:${verb}`;
const granted = (rules: Rule[]) => new Set(rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => triple(g, res, v))))));

interface AuditEvent {
  stage: string;
  verb: string;
  user: { username: string };
  objectRef?: { resource?: string; namespace?: string; apiGroup?: string; subresource?: string };
  responseStatus?: { code?: number };
  annotations?: Record<string, string>;
  requestReceivedTimestamp: string;
}

/** What faultline's identity asked of every API server since `since`, as the real audit log recorded it. */
function auditSince(kube: LoopbackKube, since: number): (AuditEvent & { context: string })[] {
  return kube.state.clusters.flatMap((c) =>
    readFileSync(c.auditLog, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => ({ ...(JSON.parse(line) as AuditEvent), context: c.context }))
      .filter((e) => e.user.username === FAULTLINE_USER && Date.parse(e.requestReceivedTimestamp) >= since && e.stage !== 'ResponseStarted'),
  );
}
const tripleOf = (e: AuditEvent) => triple(e.objectRef?.apiGroup ?? '', e.objectRef?.resource ?? '', e.verb);
// SelfSubjectAccessReview is granted to every authenticated user by Kubernetes' own system:basic-user role.
const isAccessReview = (e: AuditEvent) => e.objectRef?.resource === 'selfsubjectaccessreviews';

test.afterEach(async ({ kube }) => {
  await expectNoChaosLeft(kube);
});

test.describe('the shipped RBAC is exactly what faultline uses, judged by the real authorizer', () => {
  test('the chaos role is bound in precisely the binding’s allowlisted namespaces', () => {
    expect(boundNamespaces.sort()).toEqual([...binding.allowedNamespaces].sort());
  });

  test('every call the chaos driver makes is allowed, and every grant of the chaos role is used', async ({ kube }) => {
    const t0 = Date.now();
    const driver = driverOn(kube);
    // A game day's worth of driver work: preflight, inject, revert; kinds Chaos Mesh cannot inject here for want of a
    // chaos-daemon (diagnosed from records and events, their finalizer released by an update), PodChaos
    // container-kill among them; and a sweep that lists every kind.
    const faults = [
      seedFaults.podKill,
      plan({ kind: 'podFailure', service: 'service-backup', region: 'bdg', mode: 'all' }),
      plan({ kind: 'cacheLoss', region: 'sby' }),
      plan({ kind: 'containerKill', service: 'service-main', region: 'sby', mode: 'one' }),
      seedFaults.partition,
      plan({ kind: 'stress', service: 'service-main', region: 'jkt', cpuWorkers: 1 }),
    ];
    for (const p of faults) {
      expect((await driver.check(p)).map((e) => e.message), p.name).toEqual([]);
      const prepared = await driver.prepare(p, { runId: 'rbac', scenario: 'rbac', ttlMs: 60_000 });
      await prepared.apply().catch((e: unknown) => expect((e as { code?: string }).code).toBe('FAULTLINE_KUBE_DAEMON_MISSING'));
      for (const a of prepared.revert) if (a.type === 'driver') await driver.revertHandlers.kubernetes(a.ref);
    }
    await driver.sweep();
    const calls = auditSince(kube, t0).filter((e) => !isAccessReview(e));
    expect(calls.length).toBeGreaterThan(20);
    const denied = calls.filter((e) => e.annotations?.['authorization.k8s.io/decision'] !== 'allow' || (e.responseStatus?.code ?? 0) === 403);
    expect(denied.map((e) => `${e.context} ${tripleOf(e)} ns=${e.objectRef?.namespace}`)).toEqual([]);
    expect(calls.filter((e) => !boundNamespaces.includes(e.objectRef?.namespace ?? '')).map(tripleOf)).toEqual([]);
    // Every verb of every rule is used, on some resource the rule names. (Per resource would also demand, say, a
    // watch on StressChaos, which only happens when its injection takes time, which it never does without a daemon.)
    const used = new Set(calls.map(tripleOf));
    const unused = chaosRules.flatMap((r) => r.verbs.filter((v) => !r.apiGroups.some((g) => r.resources.some((res) => used.has(triple(g, res, v))))).map((v) => `${r.resources.join(',')}:${v}`));
    expect(unused).toEqual([]);
    // And nothing was used that the role does not grant.
    expect([...used].filter((t) => !granted(chaosRules).has(t))).toEqual([]);
  });

  test('every call the k6-operator runner makes is allowed, and every grant of the load role is used', async ({ kube }) => {
    const t0 = Date.now();
    const profile: K6OperatorProfile = { regions: { jkt: { executor: 'constant-vus', vus: 5 }, sby: { executor: 'constant-vus', vus: 5 } }, writeRatio: 0.1 };
    const runner = new K6OperatorRunner({ target: binding, prometheusUrl: 'http://prom:9090', kubeConfig: kube.faultline(), pollEvery: '100ms' });
    const run = { runId: 'rbac', scenario: 'rbac', durationMs: 60_000 };
    await runner.validate(profile, run);
    const load = await runner.start(profile, run);
    // No k6-operator runs here, so the TestRuns never progress: let the runner read their stage, then stop it.
    await new Promise((r) => setTimeout(r, 500));
    await load.stop();
    const calls = auditSince(kube, t0).filter((e) => !isAccessReview(e));
    expect(calls.filter((e) => e.annotations?.['authorization.k8s.io/decision'] !== 'allow').map(tripleOf)).toEqual([]);
    expect(calls.filter((e) => e.objectRef?.namespace !== 'k6').map(tripleOf)).toEqual([]);
    expect(new Set(calls.map(tripleOf))).toEqual(granted(loadRules));
  });

  test('withholding any one verb of the chaos role makes preflight name that exact rule', async ({ kube }) => {
    const rbac = kube.admin(JKT).makeApiClient(RbacAuthorizationV1Api);
    const original = await rbac.readClusterRole({ name: 'faultline-chaos' });
    try {
      for (const verb of ['create', 'list', 'watch', 'delete', 'update']) {
        const current = await rbac.readClusterRole({ name: 'faultline-chaos' });
        // A rule left with no verb is invalid, so it goes altogether.
        const rules = original.rules!.map((r) => (r.apiGroups?.includes('chaos-mesh.org') ? { ...r, verbs: r.verbs.filter((v) => v !== verb) } : r)).filter((r) => r.verbs.length > 0);
        await rbac.replaceClusterRole({ name: 'faultline-chaos', body: { ...current, rules } });
        const problems = await driverOn(kube).check(seedFaults.podKill);
        expect(problems.length, verb).toBeGreaterThan(0);
        expect(problems.every(isFaultlineError)).toBe(true);
        expect(problems.map((p) => p.code)).toContain('FAULTLINE_KUBE_FORBIDDEN');
        expect(problems.map((p) => p.hint).join('\n')).toContain(`{apiGroups: ["chaos-mesh.org"], resources: ["podchaos"], verbs: ["${verb}"]} in namespace "shop"`);
      }
    } finally {
      const current = await rbac.readClusterRole({ name: 'faultline-chaos' });
      await rbac.replaceClusterRole({ name: 'faultline-chaos', body: { ...current, rules: original.rules } });
    }
    for (const c of CONTEXTS) expect((await driverOn(kube).check(plan({ kind: 'podKill', service: 'service-main', region: c === JKT ? 'jkt' : c.includes('bandung') ? 'bdg' : 'sby', mode: 'one' }))).map((p) => p.code)).toEqual([]);
  });
});
