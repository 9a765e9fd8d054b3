/** What `harvester-sim check` reports: a problem found before anything runs. */
export interface CheckProblem {
  /** Stable identifier of the rule, e.g. `kb.support-bundle-first`, `etcd.quorum-at-step`. */
  readonly rule: string;
  /** The step it concerns (its index in `steps`), or null for a fact of the scenario alone. */
  readonly stepIndex: number | null;
  /** The step's id (`3-node.shutdown` when the plan names none), or null. */
  readonly stepId: string | null;
  /** One line: what is wrong, in Harvester's terms. */
  readonly message: string;
  /** The knowledge-base sentence (or upstream source) the rule comes from. */
  readonly source: string;
}

/** The etcd and API state after one step, computed from the plan and the scenario alone. */
export interface StepQuorum {
  readonly stepIndex: number;
  readonly stepId: string;
  /** etcd members (management and witness nodes) powered on after the step. */
  readonly etcdMembersOn: number;
  readonly etcdMembers: number;
  readonly quorum: boolean;
  /** Quorum and a management node running kube-apiserver and kube-vip. */
  readonly apiAndVip: boolean;
  /** Nodes that may hold etcd leadership after the step (more than one when the plan leaves it open). */
  readonly leaderCandidates: readonly string[];
}

export interface CheckReport {
  readonly scenario: string;
  readonly plan: string;
  readonly problems: readonly CheckProblem[];
  /** Best practices the scenario contradicts (Longhorn's): reported, but not problems of the plan. */
  readonly advice: readonly CheckProblem[];
  readonly steps: readonly StepQuorum[];
}
