import type { VmRef } from '../../scenario/types.ts';

/** `namespace/name`: how VMs are named in records and findings. */
export function vmKey(vm: VmRef): string {
  return `${vm.namespace}/${vm.name}`;
}
