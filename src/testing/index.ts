/**
 * harvester-sim/testing: a fast-check kit for properties of Harvester clusters — arbitraries for
 * clusters, VMs, volumes, migration settings and policies, plans and fault schedules (all as YAML-shaped data, so
 * they shrink and print as files `harvester-sim evaluate` reads), ready invariants, and
 * `assertSimulationProperty`, whose failure gives the seed, the replay commands and the shrunk
 * counter-example. docs/testing.md shows it in use.
 */
export {
  busiestNode,
  type ClusterOptions,
  cluster,
  dirtyRateBytesPerSecond,
  evacuation,
  evacuationPlan,
  evacuationUnderFaults,
  type Fault,
  type FaultSchedule,
  faultSchedule,
  faultSteps,
  type GuestDocument,
  type MigrationPolicyDocument,
  type MigrationSettingsDocument,
  memoryGiB,
  migrationPolicies,
  migrationSettings,
  type PlanDocument,
  type PlanFaultDocument,
  planFaults,
  type ScenarioDocument,
  type VmDocument,
  type VmShape,
  type VolumeDocument,
  vm,
  vmDocuments,
  vmShape,
  volume,
} from './arbitraries.ts';
export {
  etcdWritesKept,
  INVARIANTS,
  type Invariant,
  migrationLimitsKept,
  noWriteWithoutReplica,
  quorumKept,
  type RunCase,
  replicaAntiAffinityKept,
  replicaCountKept,
  violations,
  vmsEndAsPlanned,
} from './invariants.ts';
export {
  assertSimulationProperty,
  PropertyFailure,
  type PropertyOptions,
  runCase,
  type SimulationCase,
  type SimulationPredicate,
  writeCounterExample,
} from './property.ts';
export { seedFromEnvironment } from './seed.ts';
