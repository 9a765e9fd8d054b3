/**
 * How much a rebuild sends and reads (LW 1.10 rebuilding doc
 * "Factors That Affect Rebuilding Performance"; longhorn-engine pkg/sync/sync.go, sparse-tools
 * sparse/client.go). Pure.
 *
 * - full (new replica): every snapshot file is missing on the target: the actual size is sent.
 * - reuse: the files missing on the target are the head at failure (now part of the rebuild's system
 *   snapshot) and what was written during the outage; both are sent in full.
 *   - fast rebuild on: checksummed, unchanged snapshots are skipped (no read, no hash);
 *   - delta (fast off): every older snapshot is read and SHA-512-hashed on both nodes in 2 MiB
 *     batches, and only mismatches are sent (none, since those files did not change).
 */

export type RebuildKind = 'full' | 'delta' | 'fast';

export interface RebuildPlan {
  readonly kind: RebuildKind;
  readonly bytesToSend: number;
  /** Bytes read and hashed on each of the two nodes before or while sending. */
  readonly hashBytes: number;
}

export interface RebuildInput {
  readonly reused: boolean;
  readonly fastRebuild: boolean;
  readonly sizeBytes: number;
  readonly actualBytes: number;
  readonly missedBytes: number;
  readonly headBytesAtFailure: number;
}

export function planRebuild(input: RebuildInput): RebuildPlan {
  if (!input.reused) return { kind: 'full', bytesToSend: input.actualBytes, hashBytes: 0 };
  const bytesToSend = Math.min(input.sizeBytes, input.headBytesAtFailure + input.missedBytes);
  if (input.fastRebuild) return { kind: 'fast', bytesToSend, hashBytes: 0 };
  return {
    kind: 'delta',
    bytesToSend,
    hashBytes: Math.max(0, input.actualBytes - input.headBytesAtFailure),
  };
}
