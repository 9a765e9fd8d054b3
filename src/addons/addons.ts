import type { Event, Simulation } from '../../sim/index.ts';
import type { Scenario, ScenarioAddon } from '../scenario/types.ts';

/** Addons by name (`namespace/name` or name), or every addon that holds PVCs, or all enabled ones. */
export type AddonSelector =
  | { readonly kind: 'names'; readonly names: readonly string[] }
  | { readonly kind: 'with-pvcs' }
  | { readonly kind: 'all' };

export type AddonStatus = 'AddonDeploySuccessful' | 'AddonDisabled' | 'AddonEnabling' | 'AddonDisabling';

export interface AddonState {
  readonly spec: ScenarioAddon;
  readonly key: string;
  enabled: boolean;
  status: AddonStatus;
}

/**
 * Harvester addons (`addons.harvesterhci.io`): `spec.enabled` and the status the KB waits for. An
 * enabled addon with PVCs keeps them attached while its pods run (KB shutdown step 3: disable
 * rancher-monitoring and rancher-vcluster before checking that every volume is detached).
 */
export class Addons {
  private readonly addons = new Map<string, AddonState>();

  constructor(
    private readonly sim: Simulation,
    scenario: Scenario,
    private readonly transitionSeconds: number,
    private readonly apiAvailable: () => boolean,
  ) {
    for (const spec of scenario.addons) {
      const key = `${spec.namespace}/${spec.name}`;
      this.addons.set(key, {
        spec,
        key,
        enabled: spec.enabled,
        status: spec.enabled ? 'AddonDeploySuccessful' : 'AddonDisabled',
      });
    }
  }

  all(): readonly AddonState[] {
    return [...this.addons.values()];
  }

  select(selector: AddonSelector): AddonState[] {
    const all = this.all();
    if (selector.kind === 'all') return all.filter((a) => a.enabled);
    if (selector.kind === 'with-pvcs') return all.filter((a) => a.spec.pvcs.length > 0);
    return all.filter((a) => selector.names.includes(a.key) || selector.names.includes(a.spec.name));
  }

  /** Sets `spec.enabled`; the status settles after the transition if the API serves. */
  setEnabled(addon: AddonState, enabled: boolean): Event<void> {
    const done = this.sim.event<void>();
    addon.enabled = enabled;
    addon.status = enabled ? 'AddonEnabling' : 'AddonDisabling';
    this.sim.process(
      (function* (sim: Simulation, apiAvailable: () => boolean, seconds: number) {
        yield sim.timeout(seconds);
        while (!apiAvailable()) yield sim.timeout(seconds);
        addon.status = addon.enabled ? 'AddonDeploySuccessful' : 'AddonDisabled';
        done.succeed();
      })(this.sim, this.apiAvailable, this.transitionSeconds),
      `addon ${addon.key}`,
    );
    return done;
  }

  /** PVC volumes held by enabled addons (`namespace/addon/pvc`). */
  attachedPvcs(): string[] {
    const out: string[] = [];
    for (const addon of this.addons.values()) {
      if (addon.status === 'AddonDisabled') continue;
      for (const pvc of addon.spec.pvcs) out.push(`${addon.key}/${pvc.name}`);
    }
    return out;
  }
}
