import { readFileSync } from 'node:fs';
import type { Command } from 'commander';

interface ReportOptions {
  json?: boolean;
  predicted?: string;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('evaluate a trace file (written by `evaluate --trace`, or observed) and print the report')
    .argument('<trace>', 'trace as JSON lines')
    .option('--json', 'print { scenario, plan, seed, metrics, findingGroups, findings, timeline } as JSON')
    .option(
      '--predicted <trace>',
      'with an observed trace: also print the predicted one (replay writes <journal>.predicted.jsonl) beside it, per step and in total',
    )
    .action(async (tracePath: string, options: ReportOptions) => {
      // Loaded here, not at start-up: `--help` and the other commands need none of it (issue 10).
      const { compareTraces, comparisonText } = await import('../../adapter/compare.ts');
      const { evaluate } = await import('../../evaluate/evaluate.ts');
      const { evaluationJsonText } = await import('../../report/json.ts');
      const { terminalReport } = await import('../../report/terminal.ts');
      const { parseTrace } = await import('../../trace/read.ts');
      let text: string;
      try {
        text = readFileSync(tracePath, 'utf8');
      } catch (error) {
        throw new Error(
          `${tracePath}: cannot read the trace (${(error as NodeJS.ErrnoException).code ?? error})`,
        );
      }
      const trace = parseTrace(text, tracePath);
      const evaluation = evaluate(trace);
      process.stdout.write(options.json ? evaluationJsonText(evaluation) : terminalReport(evaluation));
      if (options.predicted !== undefined && !options.json) {
        const predicted = parseTrace(readFileSync(options.predicted, 'utf8'), options.predicted);
        process.stdout.write(`\nPredicted vs observed\n${comparisonText(compareTraces(predicted, trace))}`);
      }
    });
}
