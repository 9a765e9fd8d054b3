/**
 * `searchPlan`: looks for a shutdown/restart plan at least as good as the knowledge base's on a
 * scenario. No brute force: identical nodes are one class (node-classes.ts), every candidate passes
 * `checkPlan` first (the KB's constraints prune it before it costs a run), and a first-improvement
 * local search moves one gene at a time from the KB's own choices, scoring each candidate over the
 * same seeds with `simulateMany`, until no neighbour is better or the wall-time budget is spent.
 */
import { checkPlan } from '../check/check.ts';
import type { CheckProblem } from '../check/problem.ts';
import type { Evaluation } from '../evaluate/evaluate.ts';
import { parsePlan } from '../plan/format/load.ts';
import type { Plan } from '../plan/format/types.ts';
import type { Scenario } from '../scenario/types.ts';
import { simulateMany } from '../simulate/simulate.ts';
import {
  type Candidate,
  candidateKey,
  candidateYaml,
  geneValues,
  KB_CANDIDATE,
  neighbours,
} from './candidate.ts';
import { describeClasses, nodeClasses } from './node-classes.ts';
import { compareScores, type Objective, type Score, scoreOf } from './score.ts';

/** Check rules an ordering controls; a candidate breaking one is pruned. Scenario facts (addresses, maintenance) are not. */
const ORDERING_RULES = /^(kb\.|rancher\.|etcd\.|restart\.|vip\.)/;

export interface SearchOptions {
  readonly seeds: readonly (number | string)[];
  readonly objective: Objective;
  /** Wall-time budget; the clock is injected (`performance.now`-like, in milliseconds). */
  readonly budgetMs: number;
  readonly nowMs: () => number;
  /** When the budget started on that clock (default: when `searchPlan` is called). */
  readonly startedMs?: number;
  /** Upper bound on candidates scored (besides the budget). */
  readonly maxCandidates?: number;
  /** The KB plan to compare with (null: compare with the KB's choices as generated). */
  readonly baseline?: Plan | null;
  readonly onProgress?: (progress: SearchProgress) => void;
}

export interface SearchProgress {
  readonly scored: number;
  readonly pruned: number;
  readonly elapsedMs: number;
  readonly budgetMs: number;
  readonly best: Score | null;
}

export interface ScoredCandidate {
  readonly candidate: Candidate;
  readonly plan: Plan;
  readonly yaml: string;
  readonly score: Score;
}

export interface SearchResult {
  readonly best: ScoredCandidate;
  /** The KB plan as shipped (with its pod delete), scored on the same seeds; null when not given. */
  readonly baseline: { readonly plan: Plan; readonly score: Score } | null;
  readonly scored: number;
  readonly pruned: readonly { readonly candidate: Candidate; readonly problems: readonly CheckProblem[] }[];
  readonly classes: string;
  /** The search stopped because no neighbour was better (not because the budget ran out). */
  readonly converged: boolean;
  readonly elapsedMs: number;
}

export function searchPlan(scenario: Scenario, options: SearchOptions): SearchResult {
  const start = options.startedMs ?? options.nowMs();
  const elapsed = () => options.nowMs() - start;
  const classes = nodeClasses(scenario);
  const values = geneValues(scenario, classes);
  const seen = new Set<string>();
  const pruned: { candidate: Candidate; problems: CheckProblem[] }[] = [];
  let scored = 0;
  let best: ScoredCandidate | null = null;
  const limit = options.maxCandidates ?? Number.POSITIVE_INFINITY;
  const progress = () =>
    options.onProgress?.({
      scored,
      pruned: pruned.length,
      elapsedMs: elapsed(),
      budgetMs: options.budgetMs,
      best: best?.score ?? null,
    });
  const run = (plan: Plan): Evaluation[] => simulateMany(scenario, plan, { seeds: options.seeds });
  // Stop before a candidate that would not finish within the budget (its cost estimated from the ones so far).
  let scoringMs = 0;
  const outOfBudget = () =>
    scored >= limit || (best !== null && elapsed() + scoringMs / Math.max(1, scored) > options.budgetMs);

  const baseline =
    options.baseline === undefined || options.baseline === null
      ? null
      : { plan: options.baseline, score: scoreOf(run(options.baseline), options.objective) };

  /** Checks, then scores a candidate; null when pruned or already seen. */
  const evaluateCandidate = (candidate: Candidate): ScoredCandidate | null => {
    const key = candidateKey(candidate);
    if (seen.has(key)) return null;
    seen.add(key);
    const yaml = candidateYaml(scenario, candidate, 'search-best', []);
    const plan = parsePlan(yaml, 'search-candidate.yaml');
    const problems = checkPlan(scenario, plan).problems.filter((p) => ORDERING_RULES.test(p.rule));
    if (problems.length > 0) {
      pruned.push({ candidate, problems });
      progress();
      return null;
    }
    const began = options.nowMs();
    const score = scoreOf(run(plan), options.objective);
    scoringMs += options.nowMs() - began;
    scored++;
    const result = { candidate, plan, yaml, score };
    if (best === null || compareScores(score, best.score) < 0) best = result;
    progress();
    return result;
  };

  // Start from the KB's own choices; when check prunes them (the pod delete on a witness cluster), the
  // first neighbour that passes is the start, so that fix comes first.
  let current = evaluateCandidate(KB_CANDIDATE);
  for (const next of current === null ? neighbours(KB_CANDIDATE, values) : []) {
    current = evaluateCandidate(next);
    if (current !== null) break;
  }
  if (current === null)
    throw new Error(`no candidate near the KB's choices passes check on ${scenario.fileName}`);
  let converged = false;
  while (!outOfBudget()) {
    let moved = false;
    for (const next of neighbours(current.candidate, values)) {
      if (outOfBudget()) break;
      const result = evaluateCandidate(next);
      if (result !== null && compareScores(result.score, current.score) < 0) {
        current = result;
        moved = true;
        break;
      }
    }
    if (!moved) {
      converged = !outOfBudget();
      break;
    }
  }
  const found = best as unknown as ScoredCandidate;
  return {
    best: found,
    baseline,
    scored,
    pruned,
    classes: describeClasses(classes),
    converged,
    elapsedMs: elapsed(),
  };
}
