import { Event, NORMAL } from '../event.ts';
import type { Simulation } from '../simulation.ts';
import { type SolverFlow, type SolverLink, solveMaxMin } from './maxmin.ts';

/** How a flow ended. */
export type FlowOutcome = 'completed' | 'cancelled';

export interface FlowSpec {
  /** Links crossed, each at most once (a NIC, a storage network, a disk). May be empty. */
  path: readonly Link[];
  sizeBytes: number;
  /** Upper bound on the flow's own rate (a per-stream or per-rebuild throughput limit). */
  rateCapBytesPerSecond?: number;
  name?: string;
}

/** A shared capacity in bytes per second. */
export class Link implements SolverLink {
  /** Flows crossing the link (unordered: removal swaps the last one in). */
  readonly flows: Flow[] = [];
  residual = 0;
  unfrozen = 0;
  /** Scratch mark of the component search. */
  visit = 0;

  constructor(
    readonly name: string,
    public capacityBytesPerSecond: number,
  ) {}
}

/** A data transfer as a fluid: its rate is set by max-min sharing of the links on its path. */
export class Flow implements SolverFlow {
  readonly done: Event<FlowOutcome>;
  rateBytesPerSecond = 0;
  frozen = false;
  visit = 0;
  /** Position in the network's list of active flows. */
  index = -1;
  /** Arrival order: ties between equal caps are broken by it. */
  sequence = 0;
  /** Bytes left as of `updatedSeconds`. */
  private remainingAtUpdate: number;
  private updatedSeconds: number;
  /** Sent plus remaining: grows or shrinks with setRemainingBytes. */
  private totalBytes: number;
  /** When the flow ends at its current rate (Infinity at rate 0). */
  finishSeconds = Number.POSITIVE_INFINITY;
  active = true;

  constructor(
    private readonly network: FlowNetwork,
    readonly path: readonly Link[],
    sizeBytes: number,
    public rateCapBytesPerSecond: number | undefined,
    readonly name: string,
  ) {
    this.done = new Event<FlowOutcome>(network.sim);
    this.remainingAtUpdate = sizeBytes;
    this.totalBytes = sizeBytes;
    this.updatedSeconds = network.sim.now;
  }

  /** Bytes still to send, exact at the current simulated time. */
  get remainingBytes(): number {
    this.network.flush();
    if (!this.active) return this.remainingAtUpdate;
    const elapsed = this.network.sim.now - this.updatedSeconds;
    return Math.max(0, this.remainingAtUpdate - this.rateBytesPerSecond * elapsed);
  }

  /** Bytes sent so far, exact at the current simulated time. */
  get sentBytes(): number {
    return this.totalBytes - this.remainingBytes;
  }

  get sizeBytes(): number {
    return this.totalBytes;
  }

  /** The current rate, after any pending re-sharing. */
  get currentRateBytesPerSecond(): number {
    this.network.flush();
    return this.rateBytesPerSecond;
  }

  /** Changes what is left to send while the flow runs (a migration pass that grows). */
  setRemainingBytes(bytes: number): void {
    if (!this.active) throw new Error(`flow '${this.name}' has ended`);
    if (!(bytes >= 0)) throw new RangeError(`invalid remaining bytes ${bytes}`);
    const remaining = this.remainingBytes;
    this.settle(this.network.sim.now, remaining);
    this.totalBytes += bytes - remaining;
    this.remainingAtUpdate = bytes;
    this.network.touch(this);
  }

  setRateCap(rateCapBytesPerSecond: number | undefined): void {
    if (!this.active) throw new Error(`flow '${this.name}' has ended`);
    if (rateCapBytesPerSecond !== undefined && !(rateCapBytesPerSecond >= 0)) {
      throw new RangeError(`invalid rate cap ${rateCapBytesPerSecond}`);
    }
    this.network.flush();
    this.network.uncap(this);
    this.rateCapBytesPerSecond = rateCapBytesPerSecond;
    this.network.cap(this);
    this.network.touch(this);
  }

  cancel(): void {
    if (!this.active) return;
    this.network.end(this, 'cancelled');
  }

  /** @internal Folds the bytes sent at the old rate into the remaining count. */
  settle(
    nowSeconds: number,
    remaining = this.remainingAtUpdate - this.rateBytesPerSecond * (nowSeconds - this.updatedSeconds),
  ): void {
    this.remainingAtUpdate = Math.max(0, remaining);
    this.updatedSeconds = nowSeconds;
  }

  /** @internal */
  finish(): void {
    this.remainingAtUpdate = 0;
    this.active = false;
  }

  /** @internal */
  stop(nowSeconds: number): void {
    this.settle(nowSeconds);
    this.active = false;
  }

  /** @internal Time at which the current rate drains what is left. */
  scheduleFinish(nowSeconds: number): void {
    const rate = this.rateBytesPerSecond;
    this.finishSeconds =
      this.remainingAtUpdate === 0
        ? nowSeconds
        : rate > 0
          ? nowSeconds + this.remainingAtUpdate / rate
          : Number.POSITIVE_INFINITY;
  }
}

/**
 * Data transfers as fluid flows over links (SimGrid's flow-level model, not packets). Rates follow
 * max-min fairness and are recomputed, for the connected component a change touches only, once per
 * simulated instant however many changes it holds. Each flow's `done` event fires when its last
 * byte is sent.
 */
export class FlowNetwork {
  private readonly activeFlows: Flow[] = [];
  /** Active flows with a rate cap, sorted by (cap, arrival): the solver's order for them. */
  private readonly capped: Flow[] = [];
  private flowSequence = 0;
  private readonly dirtyFlows: Flow[] = [];
  private readonly dirtyLinks: Link[] = [];
  private flushScheduled = false;
  private visitMark = 0;
  /** Bumped whenever finish times change: stale wake-ups are ignored. */
  private wakeGeneration = 0;
  private wakeSeconds = Number.POSITIVE_INFINITY;
  /** Rate recomputations, for benchmarks. */
  recomputations = 0;

  constructor(readonly sim: Simulation) {}

  get flows(): readonly Flow[] {
    return this.activeFlows;
  }

  addLink(name: string, capacityBytesPerSecond: number): Link {
    checkRate(capacityBytesPerSecond, `capacity of link '${name}'`);
    return new Link(name, capacityBytesPerSecond);
  }

  setLinkCapacity(link: Link, capacityBytesPerSecond: number): void {
    checkRate(capacityBytesPerSecond, `capacity of link '${link.name}'`);
    link.capacityBytesPerSecond = capacityBytesPerSecond;
    this.dirtyLinks.push(link);
    this.requestFlush();
  }

  startFlow(spec: FlowSpec): Flow {
    if (!(spec.sizeBytes >= 0)) throw new RangeError(`invalid flow size ${spec.sizeBytes}`);
    if (spec.rateCapBytesPerSecond !== undefined) checkRate(spec.rateCapBytesPerSecond, 'flow rate cap');
    if (crossesTwice(spec.path)) throw new Error('a flow path crosses a link twice');
    const flow = new Flow(this, spec.path, spec.sizeBytes, spec.rateCapBytesPerSecond, spec.name ?? 'flow');
    flow.sequence = this.flowSequence++;
    flow.index = this.activeFlows.length;
    this.activeFlows.push(flow);
    for (const link of spec.path) link.flows.push(flow);
    this.cap(flow);
    this.touch(flow);
    return flow;
  }

  /** @internal Marks a flow whose component needs new rates at this instant. */
  touch(flow: Flow): void {
    this.dirtyFlows.push(flow);
    this.requestFlush();
  }

  /** @internal Removes a flow and re-shares its links. */
  end(flow: Flow, outcome: FlowOutcome): void {
    const now = this.sim.now;
    if (outcome === 'completed') flow.finish();
    else flow.stop(now);
    const last = this.activeFlows.pop() as Flow;
    if (last !== flow) {
      this.activeFlows[flow.index] = last;
      last.index = flow.index;
    }
    flow.index = -1;
    this.uncap(flow);
    for (const link of flow.path) {
      const flows = link.flows;
      const moved = flows.pop() as Flow;
      if (moved !== flow) flows[flows.indexOf(flow)] = moved;
      this.dirtyLinks.push(link);
    }
    flow.rateBytesPerSecond = 0;
    flow.done.succeed(outcome);
    this.requestFlush();
  }

  /** Applies pending changes now: new rates for every touched component. */
  flush(): void {
    if (this.dirtyFlows.length === 0 && this.dirtyLinks.length === 0) return;
    const now = this.sim.now;
    const mark = ++this.visitMark;
    const links: Link[] = [];
    const flows: Flow[] = [];
    for (const flow of this.dirtyFlows) {
      if (flow.visit === mark || !flow.active) continue;
      flow.visit = mark;
      flows.push(flow);
    }
    for (const link of this.dirtyLinks) {
      if (link.visit === mark) continue;
      link.visit = mark;
      links.push(link);
    }
    this.dirtyFlows.length = 0;
    this.dirtyLinks.length = 0;
    // Breadth-first over flows and links: the component whose rates may change.
    let fi = 0;
    let li = 0;
    while (fi < flows.length || li < links.length) {
      while (fi < flows.length) {
        const path = flows[fi++].path;
        for (let i = 0; i < path.length; i++) {
          const link = path[i];
          if (link.visit === mark) continue;
          link.visit = mark;
          links.push(link);
        }
      }
      while (li < links.length) {
        const crossing = links[li++].flows;
        for (let i = 0; i < crossing.length; i++) {
          const flow = crossing[i];
          if (flow.visit === mark) continue;
          flow.visit = mark;
          flows.push(flow);
        }
      }
    }
    for (const flow of flows) flow.settle(now);
    const capped: Flow[] = [];
    for (const flow of this.capped) if (flow.visit === mark) capped.push(flow);
    solveMaxMin(links, flows, capped);
    for (const flow of flows) flow.scheduleFinish(now);
    this.recomputations++;
    this.scheduleWake();
  }

  /** @internal Inserts a capped flow in cap order. */
  cap(flow: Flow): void {
    const rate = flow.rateCapBytesPerSecond;
    if (rate === undefined) return;
    const list = this.capped;
    let low = 0;
    let high = list.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const other = list[mid];
      const otherRate = other.rateCapBytesPerSecond as number;
      if (otherRate < rate || (otherRate === rate && other.sequence < flow.sequence)) low = mid + 1;
      else high = mid;
    }
    list.splice(low, 0, flow);
  }

  /** @internal */
  uncap(flow: Flow): void {
    if (flow.rateCapBytesPerSecond === undefined) return;
    const i = this.capped.indexOf(flow);
    if (i >= 0) this.capped.splice(i, 1);
  }

  private requestFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const event = new Event<undefined>(this.sim);
    event._value = undefined;
    event._cb = () => {
      this.flushScheduled = false;
      this.flush();
    };
    // NORMAL, after the callbacks already due now: a flow that ends and the flow its waiter starts
    // next share one recomputation. Reading a rate or a byte count flushes at once.
    this.sim._schedule(event, 0, NORMAL);
  }

  /** One kernel wake-up at the earliest finish time of all active flows. */
  private scheduleWake(): void {
    let earliest = Number.POSITIVE_INFINITY;
    for (const flow of this.activeFlows) if (flow.finishSeconds < earliest) earliest = flow.finishSeconds;
    if (earliest === this.wakeSeconds) return;
    this.wakeSeconds = earliest;
    const generation = ++this.wakeGeneration;
    if (earliest === Number.POSITIVE_INFINITY) return;
    const wake = new Event<undefined>(this.sim);
    wake._value = undefined;
    wake._cb = () => {
      if (generation !== this.wakeGeneration) return;
      this.wakeSeconds = Number.POSITIVE_INFINITY;
      this.completeDue();
    };
    this.sim._scheduleAt(wake, Math.max(earliest, this.sim.now), NORMAL);
  }

  private completeDue(): void {
    const now = this.sim.now;
    const due: Flow[] = [];
    for (const flow of this.activeFlows) if (flow.finishSeconds <= now) due.push(flow);
    for (const flow of due) this.end(flow, 'completed');
    if (due.length === 0) this.scheduleWake();
  }
}

function checkRate(value: number, what: string): void {
  if (!(value >= 0)) throw new RangeError(`invalid ${what}: ${value}`);
}

/** Whether a link appears twice in a path (paths are a few links: pairs, without building a Set per flow). */
function crossesTwice(path: readonly Link[]): boolean {
  for (let i = 1; i < path.length; i++) for (let j = 0; j < i; j++) if (path[i] === path[j]) return true;
  return false;
}
