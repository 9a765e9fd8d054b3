/** What the guest model needs from the storage under it (the Longhorn model provides it). */
import type { VmRef } from '../scenario/types.ts';
import type { UnmapOutcome } from '../trace/longhorn.ts';

export interface GuestBlockStorage {
  /** One UNMAP on a volume (`namespace/name`); the storage records it. */
  unmap(vm: VmRef, volume: string): { readonly outcome: UnmapOutcome; readonly rebuilding: boolean };
  /** A paused guest writes nothing. */
  setWritesSuspended(vm: VmRef, suspended: boolean): void;
  /** The volume's engine fails every I/O (a faulted Longhorn volume). */
  ioFailing(volume: string): boolean;
}
