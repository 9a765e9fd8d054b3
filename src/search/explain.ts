/**
 * Why the plan `search` found beats or matches the knowledge base's: its score beside the KB
 * plan's on the same seeds, and each choice that differs from the KB procedure with its reason.
 */
import { RESEARCH } from '../evaluate/kb-sentences.ts';
import type { Scenario } from '../scenario/types.ts';
import { type Candidate, candidateYaml, KB_CANDIDATE, OFF_WITNESS } from './candidate.ts';
import type { Score } from './score.ts';
import { compareScores, OBJECTIVE_TOLERANCE, scoreText } from './score.ts';
import type { SearchResult } from './search.ts';

function choiceText(gene: keyof Candidate, c: Candidate): string {
  switch (gene) {
    case 'leaderMethod':
      return c.leaderMethod === 'etcdctl'
        ? 'leadership moved with etcdctl move-leader'
        : 'leadership "moved" with kubectl delete pod etcd-<witness>';
    case 'leaderTo':
      return c.leaderTo === OFF_WITNESS
        ? 'leader moved off the witness (to a control-plane node)'
        : `leader moved to ${c.leaderTo}, which is then shut down last and powered on first`;
    case 'leaderMoveAt':
      return `leader moved ${c.leaderMoveAt === 'before-workers' ? 'before' : 'after'} the workers go down`;
    case 'vmStop':
      return c.vmStop === 'traditional-first'
        ? 'traditional VMs stopped before Rancher is disconnected, machines after'
        : 'every VM stopped after Rancher is disconnected, in one step';
    case 'workerShutdown':
      return `workers shut down ${c.workerShutdown === 'parallel' ? 'together' : 'one by one'}`;
    case 'firstPauseSeconds':
      return `${c.firstPauseSeconds} s pause after the first node powered on`;
    case 'etcdPowerOn':
      return `other etcd members powered on ${c.etcdPowerOn === 'parallel' ? 'together' : 'one after another'}`;
    case 'workerPowerOn':
      return `workers powered on ${c.workerPowerOn === 'parallel' ? 'together' : 'one by one'}`;
    case 'vmStart':
      return c.vmStart === 'traditional-first'
        ? 'traditional VMs started, then Rancher restarts its machines'
        : 'every VM started in one step';
  }
}

/** Lines explaining the result, for the terminal and the plan's header. */
export function reasons(result: SearchResult): string[] {
  const lines: string[] = [];
  const best = result.best;
  lines.push(`score: ${scoreText(best.score)}`);
  const base: Score | null = result.baseline?.score ?? null;
  if (base !== null) {
    lines.push(`KB plan (${result.baseline?.plan.name}) on the same seeds: ${scoreText(base)}`);
    const verdict = compareScores(best.score, base);
    lines.push(
      verdict < 0
        ? 'verdict: better than the KB plan'
        : verdict === 0
          ? 'verdict: matches the KB plan'
          : 'verdict: worse than the KB plan',
    );
    if (base.completed < best.score.completed)
      lines.push(
        `- completes in ${best.score.completed - base.completed} more of ${base.runs} seeds (KB plan fails on seeds ${base.failedSeeds.join(', ')})`,
      );
    if (base.stranded > best.score.stranded)
      lines.push(
        `- never leaves the etcd leader on the witness where the KB plan did in ${base.stranded} seeds: etcdctl move-leader instead of kubectl delete pod (${RESEARCH.staticPod})`,
      );
    const diff = base.objectiveMean - best.score.objectiveMean;
    if (Math.abs(diff) > OBJECTIVE_TOLERANCE[best.score.objective])
      lines.push(
        `- ${best.score.objective} ${diff > 0 ? 'lower' : 'higher'} by ${Math.abs(diff).toFixed(0)} on average over completed runs`,
      );
  }
  for (const gene of Object.keys(KB_CANDIDATE) as (keyof Candidate)[]) {
    if (best.candidate[gene] !== KB_CANDIDATE[gene])
      lines.push(
        `- differs from the KB: ${choiceText(gene, best.candidate)} (KB: ${choiceText(gene, KB_CANDIDATE)})`,
      );
  }
  lines.push(
    `searched: ${result.scored} candidates scored, ${result.pruned.length} pruned by check, node classes ${result.classes}; ${result.converged ? 'local optimum reached' : 'budget spent'} in ${(result.elapsedMs / 1000).toFixed(1)} s`,
  );
  return lines;
}

/** The best plan's YAML with its score and reasons as a comment header. */
export function bestPlanYaml(scenario: Scenario, result: SearchResult, name: string): string {
  const header = [
    'yaml-language-server: $schema=../plan.schema.json',
    '',
    `Found by \`harvester-sim search ${scenario.fileName}\` (objective ${result.best.score.objective}).`,
    ...reasons(result),
    '',
  ];
  return candidateYaml(scenario, result.best.candidate, name, header);
}
