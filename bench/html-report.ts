/** The HTML report target (issue 12): the page of a 12-node run under 1 MB. */
import { evaluationHtml } from '../src/report/html.ts';
import { simulate } from '../src/simulate/simulate.ts';

const scenarios = new URL('../scenarios/', import.meta.url).pathname;

export async function htmlReportBenchmark(options: { plan: string }) {
  const { evaluation } = simulate(
    `${scenarios}production-12node.yaml`,
    `${scenarios}plans/${options.plan}.yaml`,
  );
  const start = performance.now();
  const html = await evaluationHtml(evaluation);
  return {
    benchmark: 'html-report',
    scenario: evaluation.scenario,
    plan: evaluation.plan,
    findings: evaluation.findings.length,
    timelineEntries: evaluation.timeline.length,
    bytes: Buffer.byteLength(html),
    targetBytes: 1024 * 1024,
    renderSeconds: (performance.now() - start) / 1000,
  };
}
