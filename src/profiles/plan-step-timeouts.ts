/**
 * How long a plan step's action may take before the run stops with a step-timeout finding, per step
 * type, when the step gives no `timeout:` (STYLE.md "Put a limit on everything": no plan waits for
 * ever). Upstream's value where an operator's tool has one; "[inf]" marks a simulator choice where the
 * upstream controller retries without end. `sleep` and `offline` are bounded by their duration and
 * `wait-for` by its wait's own `timeout`, so they have none.
 */
import type { SourcedFields } from './sourced.ts';

export interface PlanStepTimeouts {
  readonly 'support-bundle': number;
  readonly 'rancher.disconnect': number;
  readonly 'rancher.remove-import': number;
  readonly 'rancher.reconnect': number;
  readonly 'vm.stop': number;
  readonly 'vm.start': number;
  readonly 'vm.migrate': number;
  readonly 'addon.disable': number;
  readonly 'addon.enable': number;
  readonly 'etcd.move-leader': number;
  readonly 'node.shutdown': number;
  readonly 'node.power-on': number;
  readonly 'node.maintenance': number;
  readonly 'external.shutdown': number;
  readonly 'external.power-on': number;
}

/** One API request's worth: the action is a single call (or a record), its outcome immediate. */
const API_CALL = {
  value: 60,
  source: '[inf] one API call: kubectl has no request timeout by default (--request-timeout=0); 60 s',
} as const;

export const PLAN_STEP_TIMEOUTS: SourcedFields<PlanStepTimeouts> = {
  'support-bundle': {
    value: 600,
    source:
      'harvester/docs:docs/advanced/settings.md support-bundle-timeout (default 10, in minutes; harvester/tests "Timeout option for support bundle", harvester#1585)',
  },
  'rancher.disconnect': {
    value: 600,
    source: '[inf] the action waits at most 120 s for the rancher pods to go (runner actionDefaults); 10 min',
  },
  'rancher.remove-import': API_CALL,
  'rancher.reconnect': API_CALL,
  'vm.stop': API_CALL,
  'vm.start': API_CALL,
  'vm.migrate': {
    value: 24 * 3600,
    source:
      '[inf] each migration is bounded by completionTimeoutPerGiB and progressTimeout (kubevirt-migration-defaults.ts), but queued migrations wait behind the parallel limits without end; one day',
  },
  'addon.disable': API_CALL,
  'addon.enable': API_CALL,
  'etcd.move-leader': {
    value: 5,
    source:
      'etcd-io/etcd:etcdctl (`etcdctl --help`: --command-timeout=5s, "timeout for short running command"); the KB runs `etcdctl move-leader` with its defaults',
  },
  'node.shutdown': {
    value: 1800,
    source:
      '[inf] only with waitEachDown: the step waits until the nodes are off; 30 min per node it waits on in turn (sequential) covers kubelet shutdownGracePeriod and systemd stop timeouts many times over',
  },
  'node.power-on': {
    value: 1800,
    source: '[inf] only with order sequential: the step waits for each node to boot; 30 min per node',
  },
  'node.maintenance': {
    value: 2 * 3600,
    source:
      '[inf] harvester/harvester:pkg/controller/master/nodedrain/nodedrain_controller.go requeues a failed drain for ever, each drain giving up after 240 s (pkg/util/drainhelper/helper.go defaultTimeOut); 2 h is an operator giving up after about 30 drains',
  },
  'external.shutdown': API_CALL,
  'external.power-on': API_CALL,
};
