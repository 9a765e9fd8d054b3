/**
 * Identical nodes as one class: nodes of one role with the same hardware (cores, memory, NIC, disks)
 * and boot behaviour are interchangeable for an ordering, so the search tries one representative
 * per class instead of every permutation (a 12-node cluster with 3 identical management nodes has
 * one leader placement to try, not three).
 */
import type { NodeRole, Scenario, ScenarioNode } from '../scenario/types.ts';

export interface NodeClass {
  readonly role: NodeRole;
  /** Members in scenario order; the first is the representative. */
  readonly nodes: readonly string[];
}

function signature(node: ScenarioNode): string {
  return JSON.stringify([
    node.role,
    node.cpuCores,
    node.memoryBytes,
    node.nicBandwidthBytesPerSecond,
    node.disks.map((d) => [d.sizeBytes, d.kind, d.writeBytesPerSecond, d.longhorn]),
    node.boot,
    node.deploymentsReady,
  ]);
}

/** Classes in order of their first member in the scenario. */
export function nodeClasses(scenario: Scenario): NodeClass[] {
  const classes = new Map<string, { role: NodeRole; nodes: string[] }>();
  for (const node of scenario.nodes) {
    const key = signature(node);
    const known = classes.get(key);
    if (known === undefined) classes.set(key, { role: node.role, nodes: [node.name] });
    else known.nodes.push(node.name);
  }
  return [...classes.values()];
}

export function describeClasses(classes: readonly NodeClass[]): string {
  return classes.map((c) => `${c.role}×${c.nodes.length} (${c.nodes.join(', ')})`).join('; ');
}
