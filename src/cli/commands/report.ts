import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { evaluate } from '../../evaluate/evaluate.ts';
import { terminalReport } from '../../report/terminal.ts';
import { parseTrace } from '../../trace/read.ts';

interface ReportOptions {
  json?: boolean;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('evaluate a trace file (written by `evaluate --trace`, or observed) and print the report')
    .argument('<trace>', 'trace as JSON lines')
    .option('--json', 'print { scenario, plan, seed, metrics, findings, timeline } as JSON')
    .action((tracePath: string, options: ReportOptions) => {
      let text: string;
      try {
        text = readFileSync(tracePath, 'utf8');
      } catch (error) {
        throw new Error(
          `${tracePath}: cannot read the trace (${(error as NodeJS.ErrnoException).code ?? error})`,
        );
      }
      const evaluation = evaluate(parseTrace(text, tracePath));
      process.stdout.write(
        options.json ? `${JSON.stringify(evaluation, null, 2)}\n` : terminalReport(evaluation),
      );
    });
}
