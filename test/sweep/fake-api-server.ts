/**
 * Just enough of a Kubernetes API server for `kubectl apply --dry-run=client`: kubectl still asks the
 * server for discovery (which kinds exist) and whether each object exists, so the test answers those
 * and nothing else (every object: 404 Not Found, so kubectl would create it).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const resource = (name: string, kind: string, namespaced: boolean) => ({
  name,
  singularName: kind.toLowerCase(),
  namespaced,
  kind,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
});

const DISCOVERY: Record<string, object> = {
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [
      {
        name: 'batch',
        versions: [{ groupVersion: 'batch/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'batch/v1', version: 'v1' },
      },
    ],
  },
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      resource('configmaps', 'ConfigMap', true),
      resource('namespaces', 'Namespace', false),
      resource('persistentvolumeclaims', 'PersistentVolumeClaim', true),
    ],
  },
  '/apis/batch/v1': {
    kind: 'APIResourceList',
    groupVersion: 'batch/v1',
    resources: [resource('jobs', 'Job', true)],
  },
};

export interface FakeApiServer {
  readonly url: string;
  /** Paths kubectl asked for, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startFakeApiServer(): Promise<FakeApiServer> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    requests.push(`${request.method} ${path}`);
    const body = DISCOVERY[path];
    response.setHeader('Content-Type', 'application/json');
    if (body !== undefined) {
      response.end(JSON.stringify(body));
      return;
    }
    response.statusCode = 404;
    response.end(
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
        message: 'not found',
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A kubeconfig that points kubectl at `url`, without credentials. */
export function kubeconfigFor(url: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters: [{ name: fake, cluster: { server: "' + url + '" } }]',
    'users: [{ name: fake, user: {} }]',
    'contexts: [{ name: fake, context: { cluster: fake, user: fake } }]',
    'current-context: fake',
    '',
  ].join('\n');
}
