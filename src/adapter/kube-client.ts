/**
 * The adapter's one way to the Kubernetes API: @kubernetes/client-node loads the kubeconfig and
 * context and supplies TLS and credentials (`applyToHTTPSOptions`); requests go out with node:https.
 * Retries with exponential backoff on 409 (updates), 429, 5xx, timeouts and refused connections;
 * every request has a deadline and every retry loop a bound. Errors name the method, the path and
 * the API's message; never a token, certificate or kubeconfig content.
 */
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { KubeConfig, Watch } from '@kubernetes/client-node';

export interface KubeClientOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  /** Attempts per request (default 6). */
  readonly attempts?: number;
  /** Deadline of one attempt (default 15 s). */
  readonly requestTimeoutMs?: number;
}

/** One request as RBAC sees it: verb and path. */
export interface RequestRecord {
  readonly method: string;
  readonly path: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const RETRYABLE = (status: number) => status === 429 || status >= 500;
const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 4000;

export type PatchType = 'merge' | 'json' | 'strategic';
const PATCH_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class KubeClient {
  readonly requests: RequestRecord[] = [];
  private readonly attempts: number;
  private readonly timeoutMs: number;

  private constructor(
    readonly config: KubeConfig,
    readonly server: string,
    options: KubeClientOptions,
  ) {
    this.attempts = options.attempts ?? 6;
    this.timeoutMs = options.requestTimeoutMs ?? 15_000;
  }

  static load(options: KubeClientOptions = {}): KubeClient {
    const config = new KubeConfig();
    try {
      if (options.kubeconfig !== undefined) config.loadFromFile(options.kubeconfig);
      else config.loadFromDefault();
    } catch (error) {
      throw new Error(
        `${options.kubeconfig ?? '$KUBECONFIG'}: cannot load the kubeconfig (${error instanceof Error ? error.message.split('\n')[0] : error})`,
      );
    }
    if (options.context !== undefined) {
      if (!config.getContexts().some((c) => c.name === options.context))
        throw new Error(`--context: no context named '${options.context}' in the kubeconfig`);
      config.setCurrentContext(options.context);
    }
    const cluster = config.getCurrentCluster();
    if (cluster === null) throw new Error('the kubeconfig has no current cluster');
    return new KubeClient(config, cluster.server, options);
  }

  async get<T = Record<string, unknown>>(path: string): Promise<T> {
    return (await this.request('GET', path)) as T;
  }

  /** GET that returns null on 404. */
  async find<T = Record<string, unknown>>(path: string): Promise<T | null> {
    try {
      return await this.get<T>(path);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }

  async list<T = Record<string, unknown>>(path: string): Promise<T[]> {
    const body = (await this.request('GET', path)) as { items?: T[] };
    return body.items ?? [];
  }

  /** A text body (a pod's `/metrics` through the API server proxy), one attempt: a scrape that fails is skipped. */
  async getText(path: string): Promise<string> {
    this.requests.push({ method: 'GET', path: path.split('?')[0] });
    const body = await this.once('GET', path, undefined, 'application/json');
    if (typeof body !== 'string') throw new Error(`GET ${path}: expected text, found JSON`);
    return body;
  }

  patch(path: string, body: unknown, type: PatchType = 'merge'): Promise<unknown> {
    return this.request('PATCH', path, body, PATCH_TYPES[type]);
  }

  put(path: string, body: unknown): Promise<unknown> {
    return this.request('PUT', path, body);
  }

  post(path: string, body: unknown): Promise<unknown> {
    return this.request('POST', path, body);
  }

  delete(path: string): Promise<unknown> {
    return this.request('DELETE', path);
  }

  /** A request with retries; 409 is retried only for PUT (an update that lost a race). */
  async request(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<unknown> {
    this.requests.push({ method, path: path.split('?')[0] });
    let lastError: unknown = null;
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      if (attempt > 0) await sleep(Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (attempt - 1)));
      try {
        return await this.once(method, path, body, contentType);
      } catch (error) {
        lastError = error;
        const retry =
          error instanceof ApiError
            ? RETRYABLE(error.status) || (error.status === 409 && method === 'PUT')
            : true; // timeouts, refused or reset connections
        if (!retry) throw error;
      }
    }
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }

  /** Waits as a watch: resolves when `done(objects)` holds for the collection at `path`, or rejects at the timeout. */
  async watchUntil<T extends { metadata?: { name?: string; namespace?: string } }>(
    path: string,
    done: (objects: readonly T[]) => boolean,
    timeoutMs: number,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let objects: T[] = [];
      let resourceVersion = '';
      try {
        const list = (await this.once('GET', path, undefined, 'application/json')) as {
          items?: T[];
          metadata?: { resourceVersion?: string };
        };
        objects = list.items ?? [];
        resourceVersion = list.metadata?.resourceVersion ?? '';
        this.requests.push({ method: 'GET', path });
        if (done(objects)) return;
      } catch {
        // The API may be down (the cluster is restarting): try again until the deadline.
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s watching ${path}`);
      if (resourceVersion === '') {
        await sleep(Math.min(1000, remaining));
        continue;
      }
      const byKey = new Map(objects.map((o) => [`${o.metadata?.namespace}/${o.metadata?.name}`, o]));
      this.requests.push({ method: 'WATCH', path });
      const met = await new Promise<boolean>((resolve) => {
        let settled = false;
        let abort: AbortController | null = null;
        const finish = (value: boolean) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          abort?.abort();
          resolve(value);
        };
        const timer = setTimeout(() => finish(false), Math.min(remaining, 60_000));
        new Watch(this.config)
          .watch(
            path,
            {
              resourceVersion,
              allowWatchBookmarks: false,
              timeoutSeconds: Math.ceil(Math.min(remaining, 60_000) / 1000),
            },
            (phase, object: T) => {
              const key = `${object.metadata?.namespace}/${object.metadata?.name}`;
              if (phase === 'DELETED') byKey.delete(key);
              else if (phase === 'ADDED' || phase === 'MODIFIED') byKey.set(key, object);
              if (done([...byKey.values()])) finish(true);
            },
            () => finish(false),
          )
          .then((controller) => {
            abort = controller;
            if (settled) controller.abort();
          })
          .catch(() => finish(false));
      });
      if (met) return;
    }
  }

  private async once(method: string, path: string, body: unknown, contentType: string): Promise<unknown> {
    const url = new URL(path, this.server);
    const options: RequestOptions = {
      method,
      hostname: url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': contentType }) },
      timeout: this.timeoutMs,
    };
    await this.config.applyToHTTPSOptions(options);
    return new Promise((resolve, reject) => {
      const req = httpsRequest(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = null;
          try {
            parsed = text === '' ? null : JSON.parse(text);
          } catch {
            // Not JSON: a proxied endpoint's text (virt-handler's Prometheus exposition).
            parsed = text;
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(parsed);
          else {
            const message = (parsed as { message?: string } | null)?.message ?? `HTTP ${status}`;
            reject(new ApiError(status, `${method} ${url.pathname}: ${status} ${message}`));
          }
        });
        res.on('error', reject);
      });
      req.on('timeout', () =>
        req.destroy(new Error(`${method} ${url.pathname}: no answer within ${this.timeoutMs / 1000} s`)),
      );
      req.on('error', (error) => reject(new Error(`${method} ${url.pathname}: ${error.message}`)));
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }
}
