/**
 * The bytes of one live migration: the flow under way on the FlowNetwork, the bytes of the flows
 * already retired (earlier passes, the disk copy, the switch), the passes recorded outside QEMU's
 * pre-copy loop (disk copy, post-copy) and the wire bytes of the current pass not yet handed to a flow.
 */
import type { Flow, FlowNetwork, Link } from '../../../sim/index.ts';
import type { PassRecord } from './precopy-machine.ts';

export class TransferLedger {
  flow: Flow | null = null;
  /** Bytes of retired flows. */
  retiredBytes = 0;
  /** The disk copy and the post-copy push; pre-copy passes are in the pre-copy state. */
  readonly passes: PassRecord[] = [];
  /** Wire bytes of the current pass not yet handed to a flow. */
  queuedBytes = 0;

  constructor(
    private readonly net: FlowNetwork,
    private readonly path: readonly Link[],
    private readonly migrationName: string,
  ) {}

  /** Starts the next flow over the migration's path; `label` names it after the migration. */
  start(sizeBytes: number, rateCapBytesPerSecond: number | undefined, label: string): Flow {
    this.flow = this.net.startFlow({
      path: this.path,
      sizeBytes,
      rateCapBytesPerSecond,
      name: `${this.migrationName}/${label}`,
    });
    return this.flow;
  }

  /** Cancels the flow under way and books what it sent; returns that. */
  retire(): number {
    const flow = this.flow;
    if (flow === null) return 0;
    const sent = flow.sentBytes;
    flow.cancel();
    this.retiredBytes += sent;
    this.flow = null;
    return sent;
  }

  /** Everything sent so far, the flow under way included. */
  get transferredBytes(): number {
    return this.retiredBytes + (this.flow?.sentBytes ?? 0);
  }

  /** What the flow under way has still to send. */
  get flowRemainingBytes(): number {
    return this.flow?.remainingBytes ?? 0;
  }

  /** Wire bytes the current pass has still to send. */
  get passRemainingBytes(): number {
    return this.queuedBytes + this.flowRemainingBytes;
  }
}
