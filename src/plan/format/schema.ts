/**
 * The plan document as written in YAML: `steps:` is an ordered list, each entry names its `step:` type.
 * docs/scenario-format.md describes every step; scenarios/plan.schema.json is generated from this.
 */
import { z } from 'zod';
import { limits } from '../../scenario/limits.ts';
import { bandwidthField, secondsField } from '../../scenario/unit-fields.ts';

/** A node name, or a choice resolved at run time: "@etcd-leader", "@etcd-follower", "@witness", "@last-shut-down". */
export const nodeRefText = z
  .string()
  .regex(/^(@(etcd-leader|etcd-follower|witness|last-shut-down)|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$/, {
    error: 'a node name or one of "@etcd-leader", "@etcd-follower", "@witness", "@last-shut-down"',
  })
  .meta({ description: 'node name, or @etcd-leader | @etcd-follower | @witness | @last-shut-down' });

const nodeGroup = z.enum(['management', 'worker', 'witness', 'etcd', 'all']);

/** Exactly one of `node`, `nodes`, `group` (checked after parsing, so the message can say so). */
const nodeTargetFields = {
  node: nodeRefText.optional(),
  nodes: z.array(nodeRefText).min(1).optional(),
  group: nodeGroup.optional(),
};

export const vmSelector = z.union(
  [
    z.literal('all'),
    z.strictObject({
      names: z
        .array(
          z.string().regex(/^[a-z0-9][-a-z0-9]*\/[a-z0-9][-.a-z0-9]*$/, { error: 'a VM "namespace/name"' }),
        )
        .min(1)
        .optional(),
      namespace: z.string().min(1).optional(),
      labels: z.record(z.string(), z.string()).optional(),
      downstreamMachines: z.boolean().optional(),
    }),
  ],
  { error: '"all" or a mapping with names, namespace, labels and/or downstreamMachines' },
);

const addonSelector = z.union([z.literal('all'), z.literal('with-pvcs'), z.array(z.string().min(1)).min(1)], {
  error: '"all", "with-pvcs" or a list of addon names',
});

const conditionName = z.enum([
  'no-vmis',
  'volumes-detached',
  'nodes-ready',
  'nodes-down',
  'etcd-leader',
  'vip-bound',
  'vms-running',
  'system-pods-healthy',
  'addons-settled',
  'steps-done',
]);

/** Parameters a condition may take; which ones apply depends on `condition` (checked after parsing). */
const conditionFields = {
  condition: conditionName,
  ...nodeTargetFields,
  on: nodeRefText.optional(),
  notOn: nodeRefText.optional(),
  vms: vmSelector.optional(),
  addons: addonSelector.optional(),
  enabled: z.boolean().optional(),
  /** `steps-done`: ids of steps run with `background: true`. */
  steps: z.array(z.string().min(1)).min(1).optional(),
};

export const preconditionSchema = z.strictObject(conditionFields);

export const waitSchema = z.strictObject({
  ...conditionFields,
  timeout: secondsField(limits.waitTimeoutSeconds),
  poll: secondsField(limits.pollSeconds).optional(),
});

const common = {
  id: z.string().min(1).optional(),
  note: z.string().optional(),
  preconditions: z.array(preconditionSchema).default([]),
  waitFor: z.array(waitSchema).default([]),
  /** Run beside the following steps; join it later with `wait-for` `condition: steps-done`. */
  background: z.boolean().default(false),
};

const step = <T extends string, S extends z.core.$ZodLooseShape>(type: T, fields: S) =>
  z.strictObject({ step: z.literal(type), ...common, ...fields });

/**
 * A step whose action can take time: `timeout` bounds it (default per step type,
 * src/profiles/plan-step-timeouts.ts); past it the run stops with a step-timeout finding.
 */
const timedStep = <T extends string, S extends z.core.$ZodLooseShape>(type: T, fields: S) =>
  step(type, { timeout: secondsField(limits.waitTimeoutSeconds).optional(), ...fields });

export const stepSchema = z.discriminatedUnion('step', [
  timedStep('support-bundle', { extraNamespaces: z.array(z.string().min(1)).default([]) }),
  timedStep('rancher.disconnect', {
    recordScaleAvailable: z.boolean().default(true),
    clearScaleAvailable: z.boolean().default(true),
    scaleRancherToZero: z.boolean().default(true),
    scaleClusterAgentToZero: z.boolean().default(true),
    forceDeleteStuckPods: z.boolean().default(true),
  }),
  timedStep('rancher.remove-import', {}),
  timedStep('rancher.reconnect', {
    scaleAvailable: z
      .union([z.literal('recorded'), z.number().int().min(1), z.null()], {
        error: '"recorded", a number of replicas or null',
      })
      .default('recorded'),
    rancherReplicas: z
      .union([z.literal('recorded'), z.number().int().min(1)], {
        error: '"recorded" or a number of replicas',
      })
      .default('recorded'),
  }),
  timedStep('vm.stop', {
    vms: vmSelector,
    method: z.enum(['guest', 'virtctl', 'guest-then-virtctl']).default('guest-then-virtctl'),
  }),
  timedStep('vm.start', { vms: vmSelector }),
  timedStep('vm.migrate', { vms: vmSelector, target: nodeRefText.optional() }),
  timedStep('addon.disable', { addons: addonSelector }),
  timedStep('addon.enable', { addons: addonSelector }),
  step('wait-for', conditionFieldsWithTimeout()),
  timedStep('etcd.move-leader', {
    to: z.union([z.literal('off-witness'), nodeRefText], { error: '"off-witness" or a node reference' }),
    method: z.enum(['etcdctl', 'delete-pod']).default('etcdctl'),
  }),
  timedStep('node.shutdown', {
    ...nodeTargetFields,
    mode: z.enum(['graceful', 'power-loss']).default('graceful'),
    order: z.enum(['sequential', 'parallel']).default('sequential'),
    waitEachDown: z.boolean().default(true),
  }),
  timedStep('node.power-on', {
    ...nodeTargetFields,
    order: z.enum(['sequential', 'parallel']).default('sequential'),
  }),
  timedStep('node.maintenance', {
    node: nodeRefText,
    action: z.enum(['enable', 'disable']),
    // Harvester's "Force" checkbox: non-migratable VMs are shut down instead of refusing.
    force: z.boolean().default(false),
  }),
  // kubectl drain: cordon, evict VM pods through KubeVirt's eviction webhook, --grace-period, --timeout.
  step('node.drain', {
    node: nodeRefText,
    // --grace-period; absent: each pod's own terminationGracePeriodSeconds (kubectl's -1).
    gracePeriod: secondsField({
      min: 1,
      max: limits.planWaitSeconds.max,
      text: 'from 1s to 7 days (168h)',
    }).optional(),
    // --timeout: kubectl's default 0 waits for ever; a plan's drain always has a limit.
    timeout: secondsField(limits.waitTimeoutSeconds),
  }),
  step('offline', { duration: secondsField(limits.offlineSeconds) }),
  // Storage outside the cluster (scenario infrastructure.externalSystems): an iSCSI target, a Ceph cluster.
  timedStep('external.shutdown', { system: z.string().min(1) }),
  timedStep('external.power-on', { system: z.string().min(1) }),
  step('sleep', { duration: secondsField(limits.planWaitSeconds) }),
]);

function conditionFieldsWithTimeout() {
  return {
    ...conditionFields,
    timeout: secondsField(limits.waitTimeoutSeconds),
    poll: secondsField(limits.pollSeconds).optional(),
  };
}

/** When a fault strikes: a duration from the plan's start, or `{ step, after }` from a step's start. */
const faultTime = z.union(
  [
    secondsField(limits.planWaitSeconds),
    z.strictObject({ step: z.string().min(1), after: secondsField(limits.planWaitSeconds).default(0) }),
  ],
  { error: 'a duration from the plan start, or { step: <step id>, after: <duration> }' },
);

const fault = <T extends string, S extends z.core.$ZodLooseShape>(type: T, fields: S) =>
  z.strictObject({ at: faultTime, fault: z.literal(type), note: z.string().optional(), ...fields });

export const faultSchema = z.discriminatedUnion('fault', [
  fault('node.power-loss', { node: nodeRefText }),
  fault('node.shutdown', { node: nodeRefText }),
  fault('node.power-on', { node: nodeRefText }),
  fault('link.degrade', {
    node: nodeRefText,
    network: z.enum(['management', 'storage', 'migration']).default('management'),
    bandwidth: bandwidthField(),
    for: secondsField(limits.planWaitSeconds).optional(),
  }),
  fault('node.network-partition', {
    node: nodeRefText,
    /** Other nodes on the cut-off side with `node`. */
    with: z.array(nodeRefText).max(limits.listItems).default([]),
    for: secondsField(limits.planWaitSeconds).optional(),
  }),
]);

export const planDocumentSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().default(''),
  steps: z.array(stepSchema).min(1).max(limits.listItems),
  /** Faults as data: each strikes at its time, whichever step runs then. */
  faults: z.array(faultSchema).max(limits.listItems).default([]),
});

export type PlanDocument = z.output<typeof planDocumentSchema>;
export type StepDocument = PlanDocument['steps'][number];

export type VmSelectorDocument = z.output<typeof vmSelector>;
