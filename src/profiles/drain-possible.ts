/**
 * Which nodes Harvester's `drainhelper.DrainPossible` counts before letting a node enter maintenance
 * (harvester/harvester:pkg/util/drainhelper/helper.go), per release. It applies to a node with the
 * control-plane (and, from v1.3.0, the etcd) role; the counted nodes must not be the node alone
 * (`defaultSingleCPCount` 1), and exactly `defaultHACPCount` (3) of them must be without the
 * maintain-status annotation.
 *
 * - up to v1.2.x: nodes labelled `node-role.kubernetes.io/control-plane` only;
 * - from v1.3.0: those and nodes labelled `node-role.kubernetes.io/etcd`, which a witness node has
 *   (commit 52cf79ccd "change controlplane filter to look for etcd presence", in v1.3.0 and later).
 *
 * So a cluster of two management nodes and a witness counts 3 from v1.3.0 and may put one
 * management node into maintenance, although harvester/docs:docs/host/host.md says maintenance is
 * "not allowed with only 2 control-plane nodes": the code, not that sentence, decides.
 */
import type { Sourced } from './types.ts';
import { isAtLeast } from './version.ts';

export type CountedRole = 'management' | 'witness';

/** The scenario roles `DrainPossible` counts in a Harvester release. */
export function drainPossibleRoles(harvesterVersion: string): Sourced<readonly CountedRole[]> {
  return isAtLeast(harvesterVersion, '1.3.0')
    ? {
        value: ['management', 'witness'],
        source:
          'harvester/harvester:pkg/util/drainhelper/helper.go DrainPossible at v1.3.0 (control-plane or etcd label; commit 52cf79ccd)',
      }
    : {
        value: ['management'],
        source:
          'harvester/harvester:pkg/util/drainhelper/helper.go DrainPossible at v1.2.2 (control-plane label only)',
      };
}
