import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkPlanAgainstScenario } from '../../src/plan/format/check-against-scenario.ts';
import { loadPlan } from '../../src/plan/format/load.ts';
import { loadScenario } from '../../src/scenario/load.ts';

/** The repository root: paths below resolve from this file, not the working directory. */
const REPO = fileURLToPath(new URL('../../', import.meta.url));

const dir = `${REPO}scenarios/plans`;
const files = readdirSync(dir).filter((name) => name.endsWith('.yaml'));
const seed = loadScenario(`${REPO}scenarios/seed-witness.yaml`);
/** Plans written for another shipped scenario than seed-witness. */
const writtenFor: Record<string, string> = {
  'node-outage.yaml': 'scenarios/trim-during-rebuild.yaml',
  'maintenance-drain.yaml': 'scenarios/production-12node.yaml',
};
const contrastPlans = files.filter(
  (file) => file !== 'kb-shutdown-restart.yaml' && writtenFor[file] === undefined,
);

describe('shipped plans', () => {
  it('ships the KB procedure and its contrast plans', () => {
    expect(files.sort()).toEqual(
      [
        'forget-scale-available.yaml',
        'kb-shutdown-restart.yaml',
        'leader-on-witness.yaml',
        'maintenance-drain.yaml',
        'node-outage.yaml',
        'nodes-only.yaml',
        'power-off-all.yaml',
        'remove-import.yaml',
        'wrong-restart-order.yaml',
      ].sort(),
    );
  });

  it.each(files)('%s loads and fits its scenario (seed-witness.yaml unless noted)', (file) => {
    const plan = loadPlan(join(dir, file));
    expect(plan.steps.length).toBeGreaterThan(0);
    const scenario = writtenFor[file] === undefined ? seed : loadScenario(writtenFor[file]);
    expect(() => checkPlanAgainstScenario(plan, scenario)).not.toThrow();
  });

  it.each(contrastPlans)('%s says which failure it is meant to show', (file) => {
    expect(readFileSync(join(dir, file), 'utf8')).toMatch(/^# CONTRAST PLAN - meant to show: /m);
  });

  it('every wait in every shipped plan has a timeout above zero', () => {
    for (const file of files) {
      for (const step of loadPlan(join(dir, file)).steps) {
        const waits = step.action.type === 'wait-for' ? [step.action.wait, ...step.waits] : step.waits;
        for (const wait of waits) expect(wait.timeoutSeconds).toBeGreaterThan(0);
      }
    }
  });

  it('the KB plan shuts down workers, then two followers and the leader last, and powers on the last node first', () => {
    const plan = loadPlan(join(dir, 'kb-shutdown-restart.yaml'));
    const shutdowns = plan.steps.flatMap((step) =>
      step.action.type === 'node.shutdown' ? [step.action.nodes] : [],
    );
    expect(shutdowns).toEqual([
      { kind: 'group', group: 'worker' },
      {
        kind: 'nodes',
        nodes: [{ kind: 'etcd-follower' }, { kind: 'etcd-follower' }, { kind: 'etcd-leader' }],
      },
    ]);
    const firstPowerOn = plan.steps.find((step) => step.action.type === 'node.power-on');
    expect(firstPowerOn?.action).toEqual({
      type: 'node.power-on',
      nodes: { kind: 'nodes', nodes: [{ kind: 'last-shut-down' }] },
      order: 'sequential',
    });
    // "After about three minutes, continue the next step."
    expect(plan.steps[firstPowerOn!.index + 1].action).toEqual({ type: 'sleep', durationSeconds: 180 });
  });

  it('the KB plan records and restores scale-available; forget-scale-available does neither', () => {
    const kb = loadPlan(join(dir, 'kb-shutdown-restart.yaml'));
    const forget = loadPlan(join(dir, 'forget-scale-available.yaml'));
    const disconnect = (steps: typeof kb.steps) =>
      steps.find((step) => step.action.type === 'rancher.disconnect')?.action;
    const reconnect = (steps: typeof kb.steps) =>
      steps.find((step) => step.action.type === 'rancher.reconnect')?.action;
    expect(disconnect(kb.steps)).toMatchObject({ recordScaleAvailable: true, clearScaleAvailable: true });
    expect(reconnect(kb.steps)).toMatchObject({ scaleAvailable: 'recorded' });
    expect(disconnect(forget.steps)).toMatchObject({
      recordScaleAvailable: false,
      clearScaleAvailable: false,
    });
    expect(reconnect(forget.steps)).toMatchObject({ scaleAvailable: null });
  });
});
