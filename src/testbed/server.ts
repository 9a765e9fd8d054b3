/**
 * The testbed's Kubernetes API over HTTPS: discovery (`/api`, `/apis`, resource lists), list, get,
 * watch (from a resourceVersion), patch (merge, strategic-as-merge, JSON), update, create, delete,
 * the deployment scale and KubeVirt start/stop subresources, server-side tables for `kubectl get`,
 * and the power endpoint `/testbed/v1/nodes/<node>/power` (the IPMI stand-in). Every request must
 * carry the bearer token; every request is logged (verb and resource, never the token) for the
 * RBAC test.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { ShutdownMode } from '../trace/nodes.ts';
import type { ServingCertificate } from './certificate.ts';
import { type TestbedCluster, WriteRefused } from './cluster.ts';
import type { KubeObject } from './objects.ts';
import { jsonPatch, mergePatch, PatchError } from './patch.ts';
import { apiVersionOf, findType, objectKey, RESOURCE_TYPES, type ResourceType } from './resources.ts';
import type { WatchEvent } from './store.ts';
import { toTable, wantsTable } from './tables.ts';

/** One API request as RBAC sees it. */
export interface AuditEntry {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
  /** Set for requests outside the resource API (`/version`). */
  readonly nonResourceUrl?: string;
}

/** Default and longest watch, in seconds (clients re-watch; no watch outlives its bound). */
const WATCH_DEFAULT_SECONDS = 300;
const WATCH_MAX_SECONDS = 1800;
/** Largest request body accepted. */
const MAX_BODY_BYTES = 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

interface Route {
  readonly type: ResourceType;
  readonly namespace: string;
  readonly name: string;
  readonly subresource: string;
}

export class TestbedServer {
  readonly token = randomBytes(24).toString('hex');
  readonly audit: AuditEntry[] = [];
  private server: Server | null = null;
  private readonly openWatches = new Set<ServerResponse>();
  port = 0;

  constructor(
    private readonly cluster: TestbedCluster,
    private readonly certificate: ServingCertificate,
  ) {}

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  async listen(port = 0): Promise<void> {
    const server = createServer(
      { cert: this.certificate.certPem, key: this.certificate.keyPem },
      (req, res) => {
        this.handle(req, res).catch((error: unknown) => {
          if (!res.headersSent) this.fail(res, error);
          else res.end();
        });
      },
    );
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the testbed did not get a port');
    this.port = address.port;
  }

  async close(): Promise<void> {
    for (const res of this.openWatches) res.end();
    this.openWatches.clear();
    const server = this.server;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = null;
  }

  /** A kubeconfig for this server (its token and CA inline). */
  kubeconfig(): string {
    const ca = Buffer.from(this.certificate.certPem).toString('base64');
    return [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: harvester-sim-testbed',
      '  cluster:',
      `    server: ${this.url}`,
      `    certificate-authority-data: ${ca}`,
      'users:',
      '- name: harvester-sim-testbed',
      '  user:',
      `    token: ${this.token}`,
      'contexts:',
      '- name: harvester-sim-testbed',
      '  context:',
      '    cluster: harvester-sim-testbed',
      '    user: harvester-sim-testbed',
      'current-context: harvester-sim-testbed',
      '',
    ].join('\n');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    if (req.headers.authorization !== `Bearer ${this.token}`)
      throw new HttpError(401, 'Unauthorized', 'Unauthorized');
    this.cluster.tick();
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const power = /^\/testbed\/v1\/nodes\/([^/]+)\/power$/.exec(path);
    if (power !== null) return this.handlePower(req, res, power[1]);
    if (path === '/healthz' || path === '/readyz' || path === '/livez') {
      const up = this.cluster.world.apiAvailable();
      res.writeHead(up ? 200 : 503, { 'content-type': 'text/plain' });
      res.end(up ? 'ok' : 'etcd or apiserver unavailable');
      return;
    }
    if (!this.cluster.world.apiAvailable())
      throw new HttpError(
        503,
        'ServiceUnavailable',
        'the simulated API server is unavailable (etcd quorum or no apiserver)',
      );
    if (path === '/version') {
      this.audit.push({
        verb: 'get',
        group: '',
        resource: '',
        subresource: '',
        namespace: '',
        name: '',
        nonResourceUrl: '/version',
      });
      return this.json(res, 200, this.version());
    }
    if (path === '/api')
      return this.json(res, 200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${this.port}` }],
      });
    if (path === '/apis') return this.json(res, 200, this.groupList());
    if (path.startsWith('/openapi'))
      throw new HttpError(404, 'NotFound', 'the testbed serves no OpenAPI document');
    const discovery = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (discovery !== null)
      return this.json(res, 200, this.resourceList(discovery[2] ?? '', discovery[1] ?? discovery[3]));
    const group = /^\/apis\/([^/]+)$/.exec(path);
    if (group !== null) {
      const found = this.groupList().groups.find((g) => g.name === group[1]);
      if (found === undefined) throw new HttpError(404, 'NotFound', `group ${group[1]} not found`);
      return this.json(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...found });
    }
    const proxy = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/proxy(\/.*)?$/.exec(path);
    if (proxy !== null)
      return this.podProxy(req, res, proxy[1], decodeURIComponent(proxy[2]), proxy[3] ?? '/');
    const route = this.route(path);
    return this.resource(req, res, url, route);
  }

  /**
   * `pods/proxy` (GET): the API server's proxy to a pod port, `[scheme:]name[:port]`. The testbed's
   * virt-handler pods answer `/metrics` on 8443 with the migration gauges; nothing else is proxied.
   */
  private podProxy(
    req: IncomingMessage,
    res: ServerResponse,
    namespace: string,
    target: string,
    rest: string,
  ): void {
    const parts = target.split(':');
    const name =
      parts.length === 3 || (parts.length === 2 && /^https?$/.test(parts[0])) ? parts[1] : parts[0];
    const port =
      parts.length === 3 ? parts[2] : parts.length === 2 && !/^https?$/.test(parts[0]) ? parts[1] : '';
    this.audit.push({ verb: 'get', group: '', resource: 'pods', subresource: 'proxy', namespace, name });
    if ((req.method ?? 'GET') !== 'GET')
      throw new HttpError(405, 'MethodNotAllowed', `${req.method} is not supported on pods/proxy`);
    const pod = this.cluster.store.get(`/pods/${namespace}/${name}`) as
      | (KubeObject & { spec?: { nodeName?: string }; status?: { phase?: string } })
      | undefined;
    if (pod === undefined) throw new HttpError(404, 'NotFound', `pods "${name}" not found`);
    if (
      pod.metadata.labels === undefined ||
      (pod.metadata.labels as Record<string, string>)['kubevirt.io'] !== 'virt-handler' ||
      rest !== '/metrics' ||
      (port !== '' && port !== '8443')
    )
      throw new HttpError(
        404,
        'NotFound',
        `the testbed proxies only virt-handler's /metrics on 8443, not ${target}${rest}`,
      );
    if (pod.status?.phase !== 'Running')
      throw new HttpError(503, 'ServiceUnavailable', `pod ${name} is not running`);
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(this.cluster.virtHandlerMetrics(String(pod.spec?.nodeName ?? '')));
  }

  private route(path: string): Route {
    const m =
      /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(
        path,
      );
    if (m === null)
      throw new HttpError(404, 'NotFound', `the server could not find the requested resource (${path})`);
    const group = m[2] ?? '';
    const version = m[1] ?? m[3];
    const type = findType(group, version, m[5]);
    if (type === undefined)
      throw new HttpError(404, 'NotFound', `the server could not find the requested resource (${path})`);
    return { type, namespace: m[4] ?? '', name: m[6] ?? '', subresource: m[7] ?? '' };
  }

  private verb(method: string, route: Route, watch: boolean): string {
    switch (method) {
      case 'GET':
        return watch ? 'watch' : route.name === '' ? 'list' : 'get';
      case 'POST':
        return 'create';
      case 'PUT':
        return 'update';
      case 'PATCH':
        return 'patch';
      case 'DELETE':
        return 'delete';
      default:
        throw new HttpError(405, 'MethodNotAllowed', `method ${method} is not allowed`);
    }
  }

  private async resource(req: IncomingMessage, res: ServerResponse, url: URL, route: Route): Promise<void> {
    const method = req.method ?? 'GET';
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const verb = this.verb(method, route, watch);
    const { type } = route;
    this.audit.push({
      verb,
      group: type.group,
      resource: type.plural,
      subresource: route.subresource,
      namespace: route.namespace,
      name: route.name,
    });
    const sub = type.subresources.find((s) => s.name === route.subresource);
    const verbs = route.subresource === '' ? type.verbs : (sub?.verbs ?? []);
    if (!verbs.includes(verb))
      throw new HttpError(
        405,
        'MethodNotAllowed',
        `${verb} is not supported on ${type.plural}${route.subresource === '' ? '' : `/${route.subresource}`}`,
      );
    const key = objectKey(type, route.namespace, route.name);
    if (route.subresource === 'start' || route.subresource === 'stop') {
      this.cluster.vmSubresource(route.namespace, route.name, route.subresource);
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('');
      return;
    }
    if (verb === 'list' || verb === 'watch') return this.list(req, res, url, route, watch);
    if (verb === 'create') {
      const body = (await readJson(req)) as KubeObject;
      if (type.plural === 'supportbundles')
        try {
          return this.json(
            res,
            201,
            this.cluster.createSupportBundle(route.namespace, {
              ...body,
              metadata: body.metadata ?? {},
            } as KubeObject),
          );
        } catch (error) {
          throw refused(error);
        }
      if (type.plural !== 'virtualmachineinstancemigrations')
        throw new HttpError(405, 'MethodNotAllowed', `create is not supported on ${type.plural}`);
      try {
        return this.json(
          res,
          201,
          this.cluster.createMigration(route.namespace, {
            ...body,
            metadata: body.metadata ?? {},
          } as KubeObject),
        );
      } catch (error) {
        throw refused(error);
      }
    }
    const current = this.cluster.store.get(key);
    if (current === undefined)
      throw new HttpError(
        404,
        'NotFound',
        `${type.plural}${type.group === '' ? '' : `.${type.group}`} "${route.name}" not found`,
      );
    if (route.subresource === 'scale') return this.scale(req, res, verb, route, current);
    if (verb === 'get') return this.json(res, 200, current);
    if (verb === 'delete') {
      if (type.plural === 'virtualmachineinstancemigrations')
        this.cluster.deleteMigration(route.namespace, route.name);
      if (type.plural === 'supportbundles') this.cluster.deleteSupportBundle(route.namespace, route.name);
      // Pods: a static pod (etcd-<node>) is only a mirror; deleting it stops nothing (controlplane.md S1).
      return this.json(res, 200, current);
    }
    const body = await readJson(req);
    let next: KubeObject;
    try {
      if (verb === 'update') next = body as KubeObject;
      else if ((req.headers['content-type'] ?? '').startsWith('application/json-patch+json'))
        next = jsonPatch(current, body) as KubeObject;
      else next = mergePatch(current, body) as KubeObject;
    } catch (error) {
      if (error instanceof PatchError) throw new HttpError(422, 'Invalid', error.message);
      throw error;
    }
    const expected = (next.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
    if (verb === 'update' && expected !== undefined && expected !== current.metadata.resourceVersion)
      throw new HttpError(
        409,
        'Conflict',
        `the object has been modified; please apply your changes to the latest version and try again`,
      );
    try {
      this.cluster.applyObjectChange(key, current, next);
    } catch (error) {
      throw refused(error);
    }
    return this.json(res, 200, this.cluster.store.get(key) ?? next);
  }

  private async scale(
    req: IncomingMessage,
    res: ServerResponse,
    verb: string,
    route: Route,
    current: KubeObject,
  ): Promise<void> {
    const replicas = Number((current.spec as { replicas?: number }).replicas ?? 0);
    const scale = (object: KubeObject, n: number) => ({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: route.name,
        namespace: route.namespace,
        resourceVersion: object.metadata.resourceVersion,
        uid: object.metadata.uid,
        creationTimestamp: object.metadata.creationTimestamp,
      },
      spec: { replicas: n },
      status: { replicas: n, selector: `app=${route.name}` },
    });
    if (verb === 'get') return this.json(res, 200, scale(current, replicas));
    const body = await readJson(req);
    const before = scale(current, replicas);
    let next: { spec?: { replicas?: unknown } };
    try {
      next = (
        verb === 'update'
          ? body
          : (req.headers['content-type'] ?? '').startsWith('application/json-patch+json')
            ? jsonPatch(before, body)
            : mergePatch(before, body)
      ) as typeof next;
    } catch (error) {
      if (error instanceof PatchError) throw new HttpError(422, 'Invalid', error.message);
      throw error;
    }
    const wanted = next.spec?.replicas;
    if (typeof wanted !== 'number' || !Number.isInteger(wanted) || wanted < 0)
      throw new HttpError(
        422,
        'Invalid',
        `spec.replicas: expected a whole number ≥ 0, found ${JSON.stringify(wanted)}`,
      );
    try {
      this.cluster.scale(route.namespace, route.name, wanted);
    } catch (error) {
      throw refused(error);
    }
    const after = this.cluster.store.get(objectKey(route.type, route.namespace, route.name)) ?? current;
    return this.json(
      res,
      200,
      scale(after, Number((after.spec as { replicas?: number }).replicas ?? wanted)),
    );
  }

  private matches(route: Route, url: URL): (o: KubeObject) => boolean {
    const labels = parseSelector(url.searchParams.get('labelSelector'));
    const fields = parseSelector(url.searchParams.get('fieldSelector'));
    return (o) => {
      if (route.namespace !== '' && o.metadata.namespace !== route.namespace) return false;
      const objectLabels = (o.metadata.labels ?? {}) as Record<string, string>;
      for (const [k, v] of labels)
        if (v === null ? !(k in objectLabels) : objectLabels[k] !== v) return false;
      for (const [k, v] of fields) {
        if (k === 'metadata.name' && o.metadata.name !== v) return false;
        if (k === 'metadata.namespace' && o.metadata.namespace !== v) return false;
      }
      return true;
    };
  }

  private list(req: IncomingMessage, res: ServerResponse, url: URL, route: Route, watch: boolean): void {
    const { type } = route;
    const prefix = `${type.group}/${type.plural}/`;
    const match = this.matches(route, url);
    const table = wantsTable(req.headers.accept);
    if (!watch) {
      const items = this.cluster.store.list(prefix).filter(match);
      const rv = String(this.cluster.store.resourceVersion);
      if (table) this.json(res, 200, toTable(type.kind, items, rv));
      else
        this.json(res, 200, {
          kind: `${type.kind}List`,
          apiVersion: apiVersionOf(type),
          metadata: { resourceVersion: rv },
          items,
        });
      return;
    }
    const from = url.searchParams.get('resourceVersion');
    const timeoutSeconds = Math.min(
      Number(url.searchParams.get('timeoutSeconds') ?? WATCH_DEFAULT_SECONDS) || WATCH_DEFAULT_SECONDS,
      WATCH_MAX_SECONDS,
    );
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const send = (event: WatchEvent) => {
      if (!event.key.startsWith(prefix) || !match(event.object)) return;
      const object = table ? toTable(type.kind, [event.object], String(event.resourceVersion)) : event.object;
      res.write(`${JSON.stringify({ type: event.type, object })}\n`);
    };
    const backlog =
      from === null || from === '' || from === '0' ? null : this.cluster.store.since(Number(from));
    if (from !== null && from !== '' && from !== '0' && backlog === null) {
      res.write(
        `${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${from}`) })}\n`,
      );
      res.end();
      return;
    }
    if (backlog === null) {
      for (const object of this.cluster.store.list(prefix).filter(match)) {
        send({
          type: 'ADDED',
          key: objectKey(type, object.metadata.namespace ?? '', object.metadata.name),
          resourceVersion: Number(object.metadata.resourceVersion),
          object,
        });
      }
    } else for (const event of backlog) send(event);
    const unsubscribe = this.cluster.store.subscribe(send);
    this.openWatches.add(res);
    const timer = setTimeout(() => res.end(), timeoutSeconds * 1000);
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      this.openWatches.delete(res);
    };
    res.on('close', done);
    res.on('finish', done);
  }

  private async handlePower(req: IncomingMessage, res: ServerResponse, node: string): Promise<void> {
    this.audit.push({
      verb: req.method === 'GET' ? 'get' : 'create',
      group: 'testbed',
      resource: 'power',
      subresource: '',
      namespace: '',
      name: node,
    });
    try {
      if (req.method === 'GET') return this.json(res, 200, { node, state: this.cluster.powerState(node) });
      if (req.method !== 'POST') throw new HttpError(405, 'MethodNotAllowed', 'use GET or POST');
      const body = (await readJson(req)) as { action?: string; mode?: string };
      if (body.action !== 'on' && body.action !== 'off')
        throw new HttpError(
          422,
          'Invalid',
          `action: expected "on" or "off", found ${JSON.stringify(body.action)}`,
        );
      const mode: ShutdownMode = body.mode === 'power-loss' ? 'power-loss' : 'graceful';
      return this.json(res, 200, { node, state: this.cluster.power(node, body.action, mode) });
    } catch (error) {
      throw refused(error);
    }
  }

  private version(): Record<string, string> {
    const version = this.cluster.scenario.profile.components.kubernetes;
    const [major, minor] = version.replace(/^v/, '').split('.');
    return {
      major,
      minor,
      gitVersion: `v${version.replace(/^v/, '')}`,
      platform: 'linux/amd64',
      goVersion: 'harvester-sim-testbed',
    };
  }

  private groupList(): { kind: string; apiVersion: string; groups: Record<string, unknown>[] } {
    const groups = [
      ...new Set(RESOURCE_TYPES.filter((t) => t.group !== '').map((t) => `${t.group}/${t.version}`)),
    ].map((gv) => {
      const [name, version] = gv.split('/');
      const versions = [{ groupVersion: gv, version }];
      return { name, versions, preferredVersion: versions[0] };
    });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }

  private resourceList(group: string, version: string): Record<string, unknown> {
    const types = RESOURCE_TYPES.filter((t) => t.group === group && t.version === version);
    if (types.length === 0) throw new HttpError(404, 'NotFound', `${group}/${version} not found`);
    const resources = types.flatMap((t) => [
      ...(t.kind === ''
        ? []
        : [
            {
              name: t.plural,
              singularName: t.singular,
              namespaced: t.namespaced,
              kind: t.kind,
              verbs: t.verbs,
              shortNames: t.shortNames,
              categories: ['all'],
            },
          ]),
      ...t.subresources.map((s) => ({
        name: `${t.plural}/${s.name}`,
        singularName: '',
        namespaced: t.namespaced,
        group: s.group,
        version: s.version,
        kind: s.kind,
        verbs: s.verbs,
      })),
    ]);
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: apiVersionOf({ group, version }),
      resources,
    };
  }

  private json(res: ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private fail(res: ServerResponse, error: unknown): void {
    const e =
      error instanceof HttpError
        ? error
        : new HttpError(500, 'InternalError', error instanceof Error ? error.message : String(error));
    this.json(res, e.status, status(e.status, e.reason, e.message));
  }
}

function refused(error: unknown): unknown {
  if (error instanceof WriteRefused)
    return new HttpError(
      error.status,
      error.status === 404 ? 'NotFound' : error.status === 409 ? 'AlreadyExists' : 'Invalid',
      error.message,
    );
  return error;
}

function status(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function parseSelector(selector: string | null): [string, string | null][] {
  if (selector === null || selector === '') return [];
  return selector.split(',').map((part) => {
    const [k, v] = part.split(/==?/);
    return [k.trim(), v === undefined ? null : v.trim()];
  });
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, 'RequestEntityTooLarge', 'request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new HttpError(400, 'BadRequest', 'the request body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}
