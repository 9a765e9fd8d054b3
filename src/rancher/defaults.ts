/**
 * Constants of the embedded Rancher that the model needs, fixed in Rancher's code and templates
 * rather than configurable; each with its source.
 */
import { type SourcedFields, valuesOf } from '../profiles/sourced.ts';

export interface RancherDefaults {
  /** The scale-available controller never scales below this many replicas. */
  readonly scaleAvailableMinReplicas: number;
  /** `management.cattle.io/scale-available` on the cattle-cluster-agent template. */
  readonly agentScaleAvailable: number;
}

export const rancherDefaultsTable: SourcedFields<RancherDefaults> = {
  scaleAvailableMinReplicas: {
    value: 1,
    source:
      'rancher/rancher:pkg/controllers/dashboard/scaleavailable/scale.go (OnChange: max(1, min(annotation, nodes)))',
  },
  agentScaleAvailable: {
    value: 2,
    source: 'rancher/rancher:pkg/systemtemplate/template.go (cattle-cluster-agent: scale-available "2")',
  },
};

export const rancherDefaults: RancherDefaults = valuesOf(rancherDefaultsTable);
