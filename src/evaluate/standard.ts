import { GuestModel } from '../guest/model.ts';
import { LonghornModel } from '../longhorn/model.ts';
import type { WorldExtension } from '../plan/runner/runner.ts';
import type { World } from '../world/world.ts';
import type { SubsystemEvaluator } from './evaluate.ts';
import { storageFindings, storageMetrics } from './storage.ts';

/** The models every evaluation adds to the world: Longhorn first, then the guests that use it. */
export function standardExtensions(world: World): WorldExtension[] {
  const longhorn = new LonghornModel({
    sim: world.sim,
    fabric: world.fabric,
    scenario: world.scenario,
    options: {
      nodeIsRunning: (node) => world.isRunning(node),
      controlPlaneAvailable: () => world.apiAvailable(),
    },
  });
  const guests = new GuestModel({ sim: world.sim, scenario: world.scenario, storage: longhorn });
  return [
    {
      observer: longhorn,
      storage: longhorn,
      start: () => longhorn.recordState(),
      finish: () => longhorn.finish(),
    },
    { observer: guests },
  ];
}

/** The evaluators every evaluation runs besides the control plane's. */
export const standardEvaluators: readonly SubsystemEvaluator[] = [
  {
    key: 'storage',
    metrics: (run) => storageMetrics(run.records),
    findings: (run, scenario) =>
      storageFindings(run.records, scenario).map((f) => ({
        ...f,
        timeSeconds: f.timeSeconds - run.startSeconds,
      })),
  },
];
