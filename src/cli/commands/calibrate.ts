import { readFileSync } from 'node:fs';
import type { Command } from 'commander';

interface CalibrateOptions {
  scenario?: string;
}

export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description(
      'fold figures observed by an executed replay (boot times, migration bandwidth, dirty rates, Longhorn rebuild rate) into its scenario; YAML on stdout',
    )
    .argument('<journal>', 'journal of `replay --execute`')
    .option('--scenario <file>', 'scenario to calibrate (default: the one the replay ran on)')
    .action(async (journalPath: string, options: CalibrateOptions) => {
      // Loaded here, not at start-up: `--help` and the other commands need none of it (issue 10).
      const { calibrateScenario, observedFigures } = await import('../../adapter/calibrate.ts');
      const { Journal } = await import('../../adapter/journal.ts');
      const { parseTrace } = await import('../../trace/read.ts');
      const journal = Journal.open(journalPath);
      const begin = journal.begin();
      journal.close();
      const trace = parseTrace(readFileSync(begin.trace, 'utf8'), begin.trace);
      const figures = observedFigures(trace);
      const scenarioFile = options.scenario ?? begin.scenarioFile;
      process.stdout.write(calibrateScenario(readFileSync(scenarioFile, 'utf8'), figures, begin.trace));
      for (const line of figures.notObserved) process.stderr.write(`calibrate: not observed: ${line}\n`);
    });
}
