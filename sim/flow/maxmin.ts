/**
 * Max-min fair rates by progressive filling (SimGrid's LMM solver, `src/kernel/lmm/maxmin.cpp`, in
 * its simplest form): every unfrozen flow rises at the same level; a flow freezes when it reaches
 * its rate cap or when a link on its path saturates. Each round freezes at least one flow, so a
 * component of F flows and L links takes at most F rounds of O(L) work.
 */
export interface SolverLink {
  capacityBytesPerSecond: number;
  /** Scratch: capacity not yet given to frozen flows. */
  residual: number;
  /** Scratch: unfrozen flows crossing the link. */
  unfrozen: number;
  readonly flows: Iterable<SolverFlow>;
}

export interface SolverFlow {
  readonly path: readonly SolverLink[];
  rateCapBytesPerSecond: number | undefined;
  /** Output. */
  rateBytesPerSecond: number;
  /** Scratch. */
  frozen: boolean;
}

export function solveMaxMin(links: readonly SolverLink[], flows: readonly SolverFlow[]): void {
  for (const link of links) {
    link.residual = link.capacityBytesPerSecond;
    link.unfrozen = 0;
  }
  const capped: SolverFlow[] = [];
  for (const flow of flows) {
    flow.frozen = false;
    flow.rateBytesPerSecond = 0;
    for (const link of flow.path) link.unfrozen++;
    if (flow.rateCapBytesPerSecond !== undefined) capped.push(flow);
  }
  capped.sort((a, b) => (a.rateCapBytesPerSecond as number) - (b.rateCapBytesPerSecond as number));
  let unfrozen = flows.length;
  let nextCapped = 0;
  while (unfrozen > 0) {
    let level = Number.POSITIVE_INFINITY;
    let bottleneck: SolverLink | null = null;
    for (const link of links) {
      if (link.unfrozen === 0) continue;
      const share = Math.max(0, link.residual) / link.unfrozen;
      if (share < level) {
        level = share;
        bottleneck = link;
      }
    }
    while (nextCapped < capped.length && capped[nextCapped].frozen) nextCapped++;
    if (nextCapped < capped.length && (capped[nextCapped].rateCapBytesPerSecond as number) <= level) {
      const flow = capped[nextCapped++];
      freeze(flow, flow.rateCapBytesPerSecond as number);
      unfrozen--;
      continue;
    }
    if (bottleneck === null) {
      // No link constrains what is left: uncapped flows with empty paths run at infinite rate.
      for (const flow of flows) if (!flow.frozen) freeze(flow, level);
      break;
    }
    for (const flow of bottleneck.flows) {
      if (flow.frozen) continue;
      freeze(flow, level);
      unfrozen--;
    }
  }
}

function freeze(flow: SolverFlow, rate: number): void {
  flow.frozen = true;
  flow.rateBytesPerSecond = rate;
  for (const link of flow.path) {
    link.residual -= rate;
    link.unfrozen--;
  }
}
