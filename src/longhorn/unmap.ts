/**
 * What an UNMAP (guest trim or discard) returns (KB "the potential risk with
 * filesystem trim"; longhorn/longhorn#7103; longhorn-engine pkg/controller/control.go `UnmapAt`). Pure.
 */
import type { UnmapOutcome } from '../trace/longhorn.ts';
import type { UnmapWhileRebuilding } from './defaults.ts';

export interface UnmapInput {
  readonly behaviour: UnmapWhileRebuilding;
  /** The volume has a WO (rebuilding) replica. */
  readonly rebuilding: boolean;
  /** v2 data engine with a replica on a non-NVMe disk (SPDK AIO bdev: UNMAP unsupported). */
  readonly v2OnNonNvme: boolean;
}

export function unmapOutcome(input: UnmapInput): {
  readonly outcome: UnmapOutcome;
  readonly message: string;
} {
  if (input.v2OnNonNvme) {
    return { outcome: 'io-error', message: 'v2 data engine: UNMAP unsupported on a non-NVMe (AIO) disk' };
  }
  if (input.behaviour === 'unsupported') {
    return { outcome: 'unsupported', message: 'Longhorn < 1.4 does not pass trims through (LL#836)' };
  }
  if (!input.rebuilding) return { outcome: 'ok', message: '' };
  if (input.behaviour === 'io-error') {
    return { outcome: 'io-error', message: 'can not unmap volume when there is WO replica' };
  }
  return {
    outcome: 'zero-bytes-while-rebuilding',
    message: 'cannot unmap while rebuilding is in progress: 0 bytes trimmed, remount before trimming again',
  };
}
