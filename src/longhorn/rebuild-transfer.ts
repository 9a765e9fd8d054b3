/**
 * One rebuild's life on the kernel (longhorn/longhorn-engine:pkg/sync/sync.go `AddReplica`): setup (snapshot, WO replica,
 * PrepareRebuildReplica) plus the read-and-hash time of a delta, then one flow per source over the
 * storage (or management) path and the destination disk, capped per stream; it ends completed, at
 * the wall-clock limit (24 h, LE GRPCServiceLongTimeout, LL#6034), or when aborted.
 */
import type { ProcessGenerator, Simulation } from '../../sim/index.ts';
import type { Fabric } from '../cluster/fabric.ts';
import type { RebuildFailureReason } from '../trace/longhorn.ts';
import type { RunningRebuild } from './volume.ts';

export interface TransferTiming {
  readonly setupSeconds: number;
  readonly hashBytesPerSecond: number;
  readonly wallClockLimitSeconds: number;
  readonly rateCapBytesPerSecond: number;
}

export type TransferOutcome = RebuildFailureReason | 'completed';

export function* rebuildTransfer(
  sim: Simulation,
  fabric: Fabric,
  volume: string,
  rebuild: RunningRebuild,
  timing: TransferTiming,
  finish: (outcome: TransferOutcome, bytesSent: number) => void,
): ProcessGenerator<void> {
  const destination = rebuild.destination;
  const deadline = rebuild.startedAtSeconds + timing.wallClockLimitSeconds;
  const setup = timing.setupSeconds + rebuild.plan.hashBytes / timing.hashBytesPerSecond;
  const limit = sim.timeout(Math.max(0, deadline - sim.now));
  let outcome: TransferOutcome;
  const first = yield sim.anyOf([sim.timeout(Math.min(setup, deadline - sim.now)), rebuild.abort, limit]);
  if (first.index === 1) outcome = rebuild.abort.value;
  else if (first.index === 2 || sim.now >= deadline) outcome = 'timeout';
  else {
    const share = rebuild.plan.bytesToSend / rebuild.sources.length;
    const diskLink = fabric.disk(destination, rebuild.replica.disk as string);
    rebuild.flows = rebuild.sources.map((source) =>
      fabric.net.startFlow({
        path: [...fabric.path(source, destination, 'storage'), diskLink],
        sizeBytes: share,
        rateCapBytesPerSecond: timing.rateCapBytesPerSecond,
        name: `rebuild ${volume} ${source}->${destination}`,
      }),
    );
    const transferred = sim.allOf(rebuild.flows.map((f) => f.done));
    const end = yield sim.anyOf([transferred, rebuild.abort, limit]);
    outcome = end.index === 0 ? 'completed' : end.index === 1 ? rebuild.abort.value : 'timeout';
  }
  const sent = rebuild.flows.reduce((sum, f) => sum + f.sentBytes, 0);
  for (const f of rebuild.flows) f.cancel();
  finish(outcome, sent);
}
