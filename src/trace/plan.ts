/** Records of subsystem 'plan': what the runner did and when. */
export interface PlanRecordData {
  'plan.start': { plan: string; scenario: string; steps: number };
  'step.start': { index: number; id: string; type: string; note: string; nodes?: string[] };
  'step.end': { index: number; id: string; type: string; ok: boolean; detail: string };
  'wait.end': {
    index: number;
    condition: string;
    ok: boolean;
    waitedSeconds: number;
    timeoutSeconds: number;
  };
  /** The step's action did not finish within its `timeout` (or its type's default): the run stops. */
  'step.timeout': { index: number; id: string; type: string; timeoutSeconds: number };
  'precondition.failed': { index: number; condition: string };
  'plan.end': { plan: string; ok: boolean; failedStep: number | null; reason: string };
  /** Values the runner wrote down (`scale-available`, the last node shut down, ...). */
  'plan.recorded': { key: string; value: string };
  /**
   * A fault of the plan's schedule struck (`faults[index]`); `applied` is false when it changed
   * nothing (a power-loss on a node already off), with why in `detail`.
   */
  'fault.injected': { index: number; type: string; node: string; applied: boolean; detail: string };
}
