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
  readonly flows: readonly SolverFlow[];
}

export interface SolverFlow {
  readonly path: readonly SolverLink[];
  rateCapBytesPerSecond: number | undefined;
  /** Output. */
  rateBytesPerSecond: number;
  /** Scratch. */
  frozen: boolean;
}

/**
 * Sets `rateBytesPerSecond` of every flow of a component. `capped` lists the component's flows that
 * have a rate cap, sorted by cap (ascending); the links are all those the flows cross.
 */
export function solveMaxMin(
  links: readonly SolverLink[],
  flows: readonly SolverFlow[],
  capped: readonly SolverFlow[],
): void {
  for (const link of links) {
    link.residual = link.capacityBytesPerSecond;
    link.unfrozen = 0;
  }
  for (const flow of flows) {
    flow.frozen = false;
    flow.rateBytesPerSecond = 0;
    for (const link of flow.path) link.unfrozen++;
  }
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
    // The level only rises as flows freeze, so every capped flow at or below it freezes now.
    let cappedFrozen = false;
    while (nextCapped < capped.length && (capped[nextCapped].rateCapBytesPerSecond as number) <= level) {
      const flow = capped[nextCapped++];
      if (flow.frozen) continue;
      freeze(flow, flow.rateCapBytesPerSecond as number);
      unfrozen--;
      cappedFrozen = true;
    }
    if (cappedFrozen) continue;
    if (bottleneck === null) {
      // No link constrains what is left: uncapped flows with empty paths run at infinite rate.
      for (const flow of flows) if (!flow.frozen) freeze(flow, level);
      break;
    }
    const onLink = bottleneck.flows;
    for (let f = 0; f < onLink.length; f++) {
      const flow = onLink[f];
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
