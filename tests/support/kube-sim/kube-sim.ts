import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { admissionDenials } from './admission.ts';
import { CrdValidator } from './crd-validator.ts';
import { FakeChaosMesh, type ChaosMeshBehaviour } from './fake-chaos-mesh.ts';
import { FakeK6Operator, type K6OperatorBehaviour } from './fake-k6-operator.ts';
import { ObjectStore, type WatchEventType } from './object-store.ts';
import { rulesAllow, type PolicyRule } from './rbac.ts';
import { apiVersionOf, findType, RESOURCE_TYPES, type ResourceType } from './resource-types.ts';
import { fieldMatcher, labelMatcher, type Matcher, type SimObject } from './selectors.ts';

export interface KubeSimOptions {
  /** One simulated cluster per name; each is served under `/clusters/<name>` and named so in kubeConfigOptions(). */
  clusters: string[];
  /** Bearer token every request must carry. Default: none checked. */
  token?: string;
  chaosMesh?: Partial<ChaosMeshBehaviour>;
  k6Operator?: Partial<K6OperatorBehaviour>;
  /** Interval of BOOKMARK events on watches that allow them. Default 1000 ms. */
  bookmarkIntervalMs?: number;
  /** Schemas creates are validated against. Default: the vendored CRDs. `false`: no schema validation. */
  crds?: CrdValidator | false;
  /**
   * Status of an admission-webhook denial: 422 (default), or 403, which is what controller-runtime's `Denied` really
   * sends and the driver must still read as a denial, not as missing RBAC.
   */
  webhookDenialStatus?: 400 | 403 | 422;
}

/** One request as the API server saw it; tests check RBAC coverage and watch behaviour from these. */
export interface RequestRecord {
  cluster: string;
  method: string;
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
  query: Record<string, string>;
  status: number;
}

export interface WatchRecord {
  cluster: string;
  resource: string;
  namespace?: string;
  /** The resourceVersion the client asked to resume from; absent for "from now, with current state". */
  resourceVersion?: string;
  timeoutSeconds?: number;
  /** resourceVersions of the BOOKMARK events sent. */
  bookmarks: string[];
  events: number;
  endedBy?: 'timeout' | 'client' | 'dropped' | 'gone';
}

/** A failure injected on the next matching request(s). */
export interface ErrorRule {
  cluster?: string;
  verb?: string;
  group?: string;
  resource?: string;
  status: number;
  message?: string;
  reason?: string;
  /** How many requests fail. Default 1. */
  times?: number;
}

interface SimCluster {
  name: string;
  store: ObjectStore;
  chaos: FakeChaosMesh;
  k6: FakeK6Operator;
  uninstalled: Set<string>;
  rbac?: { rules: PolicyRule[]; namespaces?: string[] };
  watches: Set<{ drop(): void }>;
}

type Ctx = { cluster: SimCluster; rec: RequestRecord; res: ServerResponse; url: URL; type: ResourceType };

const REASONS: Record<number, string> = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'AlreadyExists', 410: 'Expired', 422: 'Invalid', 500: 'InternalError', 503: 'ServiceUnavailable' };
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const USER = 'system:serviceaccount:faultline:faultline';

export function statusBody(code: number, message: string, reason = REASONS[code] ?? 'Unknown', details?: object) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

/**
 * An in-process Kubernetes API server, over real HTTP, speaking enough of the API for @kubernetes/client-node:
 * CRUD, list with label/field selectors, watch with resourceVersion, bookmarks and timeouts, SelfSubjectAccessReview,
 * schema validation against the official CRDs, Chaos Mesh's admission rules, and fake Chaos Mesh and k6-operator
 * controllers. Failures are injectable per request. Several clusters share one port, one path prefix each.
 */
export class KubeSim {
  readonly requests: RequestRecord[] = [];
  readonly watches: WatchRecord[] = [];
  readonly chaosMesh: ChaosMeshBehaviour;
  readonly k6Operator: K6OperatorBehaviour;
  bookmarkIntervalMs: number;
  webhookDenialStatus: 400 | 403 | 422;
  private readonly clusters = new Map<string, SimCluster>();
  private readonly rules: ErrorRule[] = [];
  private readonly crds: CrdValidator | undefined;
  private server: Server | undefined;
  private eventSeq = 0;

  constructor(private readonly options: KubeSimOptions) {
    this.chaosMesh = { stepDelayMs: 20, recoverDelayMs: 50, injection: { mode: 'normal' }, ...options.chaosMesh };
    this.k6Operator = { stageDelayMs: 20, runMs: 100, outcome: 'finished', ...options.k6Operator };
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? 1_000;
    this.webhookDenialStatus = options.webhookDenialStatus ?? 422;
    this.crds = options.crds === false ? undefined : (options.crds ?? CrdValidator.fromDirectory());
    for (const name of options.clusters) {
      const store = new ObjectStore();
      const cluster: SimCluster = {
        name,
        store,
        uninstalled: new Set(),
        watches: new Set(),
        chaos: new FakeChaosMesh({ store, recordEvent: (about, type, reason, message) => this.recordEvent(cluster, about, type, reason, message) }, () => this.chaosMesh),
        k6: new FakeK6Operator(store, () => this.k6Operator),
      };
      this.clusters.set(name, cluster);
    }
  }

  /** Starts listening on 127.0.0.1; port 0 picks a free one. */
  static async start(options: KubeSimOptions, port = 0): Promise<KubeSim> {
    const sim = new KubeSim(options);
    await sim.listen(port);
    return sim;
  }

  async listen(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(statusBody(500, `simulator bug: ${(e as Error).message}`)));
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** The server URL of one simulated cluster. */
  url(cluster: string): string {
    return `http://127.0.0.1:${this.port}/clusters/${cluster}`;
  }

  /** Options for client-node's `KubeConfig.loadFromOptions`: one context per cluster, named like it. */
  kubeConfigOptions(token: string | undefined = this.options.token) {
    const names = [...this.clusters.keys()];
    return {
      // client-node refuses plain http unless TLS verification is off; the simulator serves loopback http only.
      clusters: names.map((name) => ({ name, server: this.url(name), skipTLSVerify: true })),
      users: [{ name: 'faultline', ...(token ? { token } : {}) }],
      contexts: names.map((name) => ({ name, cluster: name, user: 'faultline' })),
      currentContext: names[0]!,
    };
  }

  private cluster(name: string): SimCluster {
    const c = this.clusters.get(name);
    if (!c) throw new Error(`no simulated cluster "${name}"`);
    return c;
  }

  private typeOf(plural: string): ResourceType {
    return RESOURCE_TYPES.find((t) => t.plural === plural)!;
  }

  /** Adds Running pods, as a Deployment would have made them. */
  seedPods(cluster: string, namespace: string, pods: { name: string; labels: Record<string, string>; containers?: string[] }[]): void {
    const store = this.cluster(cluster).store;
    for (const p of pods) {
      store.create(this.typeOf('pods'), {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: p.name, namespace, labels: { ...p.labels } },
        spec: { containers: (p.containers ?? ['main']).map((name) => ({ name, image: 'example/app:1' })) },
        status: { phase: 'Running' },
      });
    }
  }

  /** An object as stored, or undefined. */
  get(cluster: string, plural: string, namespace: string, name: string): SimObject | undefined {
    return this.cluster(cluster).store.get(this.typeOf(plural), namespace, name);
  }

  list(cluster: string, plural: string, namespace?: string): SimObject[] {
    return this.cluster(cluster).store.list(this.typeOf(plural), namespace, () => true);
  }

  /** The next matching request(s) fail with this status. */
  failNext(rule: ErrorRule): void {
    this.rules.push({ times: 1, ...rule });
  }

  /** Removes an API group, as if its CRDs were never installed (Chaos Mesh missing). */
  uninstall(cluster: string, group: string): void {
    this.cluster(cluster).uninstalled.add(group);
  }

  install(cluster: string, group: string): void {
    this.cluster(cluster).uninstalled.delete(group);
  }

  /** Enforces RBAC: only these rules are granted, and only in these namespaces when given. */
  enforceRbac(cluster: string, rules: PolicyRule[], namespaces?: string[]): void {
    this.cluster(cluster).rbac = { rules, ...(namespaces ? { namespaces } : {}) };
  }

  /** Cuts every open watch connection, as a load balancer or API server restart would. */
  dropWatches(cluster?: string): void {
    for (const c of this.clusters.values()) if (!cluster || c.name === cluster) for (const w of [...c.watches]) w.drop();
  }

  /** Forgets the change history: watches resuming from an older version get 410 Gone. */
  compact(cluster: string): void {
    this.cluster(cluster).store.compact();
  }

  async stop(): Promise<void> {
    for (const c of this.clusters.values()) {
      c.chaos.stop();
      c.k6.stop();
      for (const w of [...c.watches]) w.drop();
    }
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private recordEvent(cluster: SimCluster, about: SimObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const now = new Date().toISOString();
    cluster.store.create(this.typeOf('events'), {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${about.metadata.name}.${(++this.eventSeq).toString(16).padStart(8, '0')}`, namespace: about.metadata.namespace! },
      involvedObject: { apiVersion: about.apiVersion, kind: about.kind, name: about.metadata.name, namespace: about.metadata.namespace, uid: about.metadata.uid },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: 'chaos-controller-manager' },
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const m = url.pathname.match(/^\/clusters\/([^/]+)(\/.*)?$/);
    const cluster = m ? this.clusters.get(m[1]!) : undefined;
    if (!cluster) return json(res, 404, statusBody(404, `no simulated cluster at ${url.pathname}`));
    const path = m![2] ?? '/';
    if (this.options.token && req.headers.authorization !== `Bearer ${this.options.token}`) {
      return json(res, 401, statusBody(401, 'Unauthorized'));
    }
    if (path === '/version') return json(res, 200, { major: '1', minor: '30', gitVersion: 'v1.30.0-faultline-sim' });
    if (path === '/api') return json(res, 200, { kind: 'APIVersions', versions: ['v1'] });
    if (path === '/apis') return json(res, 200, this.discovery(cluster));

    const core = path.match(/^\/api\/v1\/(?:namespaces\/([^/]+)\/)?([^/]+)(?:\/([^/]+))?$/);
    const grouped = path.match(/^\/apis\/([^/]+)\/([^/]+)\/(?:namespaces\/([^/]+)\/)?([^/]+)(?:\/([^/]+))?$/);
    if (!core && !grouped) return json(res, 404, statusBody(404, 'the server could not find the requested resource'));
    const [group = '', version = '', namespace, plural = '', name] = core ? ['', 'v1', core[1], core[2], core[3]] : grouped!.slice(1);
    const query = Object.fromEntries(url.searchParams);
    const watching = query.watch === 'true' || query.watch === '1';
    const method = req.method ?? 'GET';
    const verb =
      method === 'GET' ? (name ? 'get' : watching ? 'watch' : 'list') : method === 'POST' ? 'create' : method === 'PUT' ? 'update' : method === 'PATCH' ? 'patch' : name ? 'delete' : 'deletecollection';
    const rec: RequestRecord = { cluster: cluster.name, method, verb, group, resource: plural, query, status: 0, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) };
    this.requests.push(rec);
    const reply = (status: number, body: unknown) => {
      rec.status = status;
      json(res, status, body);
    };

    const rule = this.rules.find((r) => (r.times ?? 1) > 0 && (!r.cluster || r.cluster === cluster.name) && (!r.verb || r.verb === verb) && (r.group === undefined || r.group === group) && (!r.resource || r.resource === plural));
    if (rule) {
      rule.times = (rule.times ?? 1) - 1;
      return reply(rule.status, statusBody(rule.status, rule.message ?? `injected failure ${rule.status}`, rule.reason));
    }

    if (group === 'authorization.k8s.io' && plural === 'selfsubjectaccessreviews' && method === 'POST') {
      const review = JSON.parse(await readBody(req)) as { spec?: { resourceAttributes?: { namespace?: string; verb?: string; group?: string; resource?: string } } };
      const a = review.spec?.resourceAttributes ?? {};
      const allowed = this.allowed(cluster, { verb: a.verb ?? '', group: a.group ?? '', resource: a.resource ?? '' }, a.namespace);
      return reply(201, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: review.spec ?? {}, status: { allowed } });
    }

    const type = findType(group, version, plural);
    if (!type || cluster.uninstalled.has(group)) return reply(404, statusBody(404, 'the server could not find the requested resource', 'NotFound', {}));

    if (!this.allowed(cluster, { verb, group, resource: plural }, namespace)) {
      const gr = group ? `${plural}.${group}` : plural;
      return reply(
        403,
        statusBody(403, `${gr}${name ? ` "${name}"` : ''} is forbidden: User "${USER}" cannot ${verb} resource "${plural}" in API group "${group}"${namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope'}`, 'Forbidden', { ...(name ? { name } : {}), group, kind: plural }),
      );
    }

    const ctx: Ctx = { cluster, rec, res, url, type };
    switch (verb) {
      case 'get':
        return this.getOne(ctx, namespace, name!, reply);
      case 'list':
        return this.listMany(ctx, namespace, reply);
      case 'watch':
        return this.watch(ctx, namespace);
      case 'create':
        return this.create(ctx, namespace, await readBody(req), reply);
      case 'update':
        return this.update(ctx, namespace, name!, await readBody(req), reply);
      case 'delete':
        return this.remove(ctx, namespace, name!, reply);
      default:
        return reply(405, statusBody(405, `the simulator does not implement ${verb}`));
    }
  }

  private allowed(cluster: SimCluster, req: { verb: string; group: string; resource: string }, namespace: string | undefined): boolean {
    if (!cluster.rbac) return true;
    if (cluster.rbac.namespaces && (!namespace || !cluster.rbac.namespaces.includes(namespace))) return false;
    return rulesAllow(cluster.rbac.rules, req);
  }

  private discovery(cluster: SimCluster) {
    const groups = [...new Set(RESOURCE_TYPES.map((t) => t.group).filter((g) => g && !cluster.uninstalled.has(g)))];
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groups.map((name) => ({ name, versions: [{ groupVersion: `${name}/v1alpha1`, version: 'v1alpha1' }], preferredVersion: { groupVersion: `${name}/v1alpha1`, version: 'v1alpha1' } })),
    };
  }

  private notFound(t: ResourceType, name: string) {
    return statusBody(404, `${t.group ? `${t.plural}.${t.group}` : t.plural} "${name}" not found`, 'NotFound', { name, group: t.group, kind: t.plural });
  }

  private getOne({ cluster, type }: Ctx, namespace: string | undefined, name: string, reply: (s: number, b: unknown) => void): void {
    const obj = cluster.store.get(type, namespace, name);
    return obj ? reply(200, obj) : reply(404, this.notFound(type, name));
  }

  private matcher(url: URL): Matcher {
    const labels = labelMatcher(url.searchParams.get('labelSelector'));
    const fields = fieldMatcher(url.searchParams.get('fieldSelector'));
    return (o) => labels(o) && fields(o);
  }

  private listMany({ cluster, type, url }: Ctx, namespace: string | undefined, reply: (s: number, b: unknown) => void): void {
    let match: Matcher;
    try {
      match = this.matcher(url);
    } catch (e) {
      return reply(400, statusBody(400, (e as Error).message));
    }
    reply(200, { apiVersion: apiVersionOf(type), kind: `${type.kind}List`, metadata: { resourceVersion: cluster.store.resourceVersion }, items: cluster.store.list(type, namespace, match) });
  }

  private watch({ cluster, type, url, res, rec }: Ctx, namespace: string | undefined): void {
    let match: Matcher;
    try {
      match = this.matcher(url);
    } catch (e) {
      rec.status = 400;
      return json(res, 400, statusBody(400, (e as Error).message));
    }
    const q = url.searchParams;
    const from = q.get('resourceVersion');
    const timeoutSeconds = q.get('timeoutSeconds') ? Number(q.get('timeoutSeconds')) : undefined;
    const record: WatchRecord = { cluster: cluster.name, resource: type.plural, bookmarks: [], events: 0, ...(namespace ? { namespace } : {}), ...(from ? { resourceVersion: from } : {}), ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}) };
    this.watches.push(record);
    rec.status = 200;
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
    res.flushHeaders();
    const send = (t: WatchEventType | 'BOOKMARK' | 'ERROR', object: unknown) => {
      if (t !== 'BOOKMARK' && t !== 'ERROR') record.events++;
      res.write(JSON.stringify({ type: t, object }) + '\n');
    };

    let start: number;
    if (!from || from === '0') {
      for (const obj of cluster.store.list(type, namespace, match)) send('ADDED', obj);
      start = Number(cluster.store.resourceVersion);
    } else start = Number(from);
    const unsubscribe = cluster.store.watch({ typeKey: `${type.group}/${type.plural}`, namespace, match, send }, start);
    if (!unsubscribe) {
      send('ERROR', statusBody(410, `too old resource version: ${start} (${cluster.store.oldestResumable})`, 'Expired'));
      record.endedBy = 'gone';
      res.end();
      return;
    }
    const bookmarks =
      q.get('allowWatchBookmarks') === 'true'
        ? setInterval(() => {
            const rv = cluster.store.resourceVersion;
            record.bookmarks.push(rv);
            send('BOOKMARK', { kind: type.kind, apiVersion: apiVersionOf(type), metadata: { resourceVersion: rv } });
          }, this.bookmarkIntervalMs)
        : undefined;
    const handle = {
      drop: () => {
        record.endedBy ??= 'dropped';
        finish();
        res.destroy();
      },
    };
    const timer = timeoutSeconds !== undefined ? setTimeout(() => ((record.endedBy ??= 'timeout'), finish(), res.end()), timeoutSeconds * 1000) : undefined;
    const finish = () => {
      unsubscribe();
      clearInterval(bookmarks);
      clearTimeout(timer);
      cluster.watches.delete(handle);
    };
    cluster.watches.add(handle);
    res.on('close', () => {
      record.endedBy ??= 'client';
      finish();
    });
  }

  private create({ cluster, type, url }: Ctx, namespace: string | undefined, text: string, reply: (s: number, b: unknown) => void): void {
    let obj: SimObject;
    try {
      obj = JSON.parse(text) as SimObject;
    } catch {
      return reply(400, statusBody(400, 'the request body is not JSON'));
    }
    obj.metadata ??= { name: '' };
    if (obj.apiVersion !== apiVersionOf(type) || obj.kind !== type.kind) {
      return reply(400, statusBody(400, `the API version/kind in the body (${obj.apiVersion} ${obj.kind}) does not match the endpoint (${apiVersionOf(type)} ${type.kind})`));
    }
    if (namespace) {
      if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
        return reply(400, statusBody(400, 'the namespace of the provided object does not match the namespace sent on the request'));
      }
      obj.metadata.namespace = namespace;
    }
    const name = obj.metadata.name ?? '';
    const gk = type.group ? `${type.kind}.${type.group}` : type.kind;
    const invalid: string[] = [];
    if (!(name.length <= 253 && DNS1123_SUBDOMAIN.test(name))) invalid.push(`metadata.name: Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`);
    for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
      if (!(typeof v === 'string' && v.length <= 63 && LABEL_VALUE.test(v))) invalid.push(`metadata.labels: Invalid value: ${JSON.stringify(v)}: label ${k} must be 63 characters or less, alphanumeric at both ends`);
    }
    if (this.crds?.knows(obj.apiVersion, obj.kind)) invalid.push(...this.crds.validate(obj));
    if (invalid.length) return reply(422, statusBody(422, `${gk} "${name}" is invalid: [${invalid.join(', ')}]`, 'Invalid', { name, group: type.group, kind: type.kind }));
    if (type.group === 'chaos-mesh.org') {
      const violations = admissionDenials(obj as { kind: string; spec?: unknown });
      if (violations.length) {
        const code = this.webhookDenialStatus;
        return reply(code, statusBody(code, `admission webhook "v${type.kind.toLowerCase()}.kb.io" denied the request: [${violations.join(', ')}]`));
      }
    }
    if (cluster.store.get(type, namespace, name)) {
      return reply(409, statusBody(409, `${type.group ? `${type.plural}.${type.group}` : type.plural} "${name}" already exists`, 'AlreadyExists', { name, group: type.group, kind: type.plural }));
    }
    if (url.searchParams.get('dryRun') === 'All') return reply(201, obj);
    const created = cluster.store.create(type, obj);
    if (type.group === 'chaos-mesh.org') cluster.chaos.onCreate(type, created);
    if (type.group === 'k6.io') cluster.k6.onCreate(type, created);
    reply(201, created);
  }

  private update({ cluster, type }: Ctx, namespace: string | undefined, name: string, text: string, reply: (s: number, b: unknown) => void): void {
    const current = cluster.store.get(type, namespace, name);
    if (!current) return reply(404, this.notFound(type, name));
    const next = JSON.parse(text) as SimObject;
    next.metadata = { ...next.metadata, name, ...(namespace ? { namespace } : {}), uid: current.metadata.uid!, creationTimestamp: current.metadata.creationTimestamp! };
    if (current.metadata.deletionTimestamp) next.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
    if (next.metadata.deletionTimestamp && !next.metadata.finalizers?.length) return reply(200, cluster.store.remove(type, namespace, name));
    reply(200, cluster.store.update(type, next));
  }

  private remove({ cluster, type }: Ctx, namespace: string | undefined, name: string, reply: (s: number, b: unknown) => void): void {
    const current = cluster.store.get(type, namespace, name);
    if (!current) return reply(404, this.notFound(type, name));
    if (current.metadata.finalizers?.length) {
      // Graceful deletion: the object stays, marked, until its controller releases the finalizers.
      if (!current.metadata.deletionTimestamp) {
        current.metadata.deletionTimestamp = new Date().toISOString();
        const marked = cluster.store.update(type, current);
        if (type.group === 'chaos-mesh.org') cluster.chaos.onDelete(type, marked);
        return reply(200, marked);
      }
      return reply(200, current);
    }
    const gone = cluster.store.remove(type, namespace, name)!;
    if (type.group === 'k6.io') cluster.k6.onDelete(gone);
    reply(200, gone);
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
