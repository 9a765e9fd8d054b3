/** The work of `harvester-sim replay`, loaded only when the command runs (see replay.ts). */
import { readFileSync } from 'node:fs';
import { compareTraces, comparisonText } from '../../adapter/compare.ts';
import {
  dryRun,
  type ExecuteOptions,
  executeReplay,
  importScenario,
  type PowerKind,
  predictedTracePath,
  restoreReplay,
  resumeReplay,
  writeTrace,
} from '../../adapter/replay.ts';
import { runbookText } from '../../adapter/runbook.ts';
import { loadPlan } from '../../plan/format/load.ts';
import { terminalReport } from '../../report/terminal.ts';
import { loadScenario } from '../../scenario/load.ts';
import { parseTrace } from '../../trace/read.ts';

export interface ReplayOptions {
  scenario?: string;
  kubeconfig?: string;
  context?: string;
  etcdEndpoints?: string;
  execute?: boolean;
  journal?: string;
  resume?: string;
  restore?: string;
  yes?: boolean;
  power: string;
  powerOnCommand?: string;
  powerOffCommand?: string;
  powerStatusCommand?: string;
  timeScale?: string;
  seed?: string;
  predictedOut?: string;
  skipPreflight?: boolean;
  allowRule?: string[];
  json?: boolean;
}

function executeOptions(o: ReplayOptions): ExecuteOptions {
  if (!['manual', 'testbed', 'command'].includes(o.power))
    throw new Error(`--power: expected manual, testbed or command, found '${o.power}'`);
  const timeScale = o.timeScale === undefined ? undefined : Number(o.timeScale);
  if (timeScale !== undefined && !(timeScale > 0))
    throw new Error(`--time-scale: expected a number > 0, found '${o.timeScale}'`);
  return {
    kubeconfig: o.kubeconfig,
    context: o.context,
    etcdEndpoints: o.etcdEndpoints?.split(',').filter((e) => e !== ''),
    power: o.power as PowerKind,
    powerOnCommand: o.powerOnCommand,
    powerOffCommand: o.powerOffCommand,
    powerStatusCommand: o.powerStatusCommand,
    timeScale,
    yes: o.yes,
    seed: o.seed,
    skipPreflight: o.skipPreflight,
    allowRules: o.allowRule ?? [],
  };
}

function printComparison(journal: string, observedPath: string): void {
  try {
    const predicted = parseTrace(
      readFileSync(predictedTracePath(journal), 'utf8'),
      predictedTracePath(journal),
    );
    const observed = parseTrace(readFileSync(observedPath, 'utf8'), observedPath);
    process.stdout.write(
      `\nPredicted vs observed (cluster seconds)\n${comparisonText(compareTraces(predicted, observed))}`,
    );
  } catch (error) {
    process.stderr.write(`replay: no comparison: ${error instanceof Error ? error.message : error}\n`);
  }
}

export async function runReplay(planFile: string | undefined, o: ReplayOptions): Promise<void> {
  const options = executeOptions(o);
  const log = (line: string) => process.stderr.write(`replay: ${line}\n`);
  if (o.restore !== undefined) {
    for (const line of await restoreReplay(o.restore, { ...options, log }))
      process.stdout.write(`restored ${line}\n`);
    return;
  }
  if (o.resume !== undefined) {
    const result = await resumeReplay(o.resume, { ...options, log });
    process.stdout.write(`replay ${result.ok ? 'completed' : `stopped: ${result.reason}`}\n`);
    const begin = JSON.parse(readFileSync(o.resume, 'utf8').split('\n')[0]) as { trace: string };
    printComparison(o.resume, begin.trace);
    if (!result.ok) throw new Error(result.reason);
    return;
  }
  if (planFile === undefined) throw new Error('replay: a plan is needed (or --resume / --restore <journal>)');
  let scenarioFile = o.scenario;
  if (scenarioFile === undefined) {
    if (o.kubeconfig === undefined && process.env.KUBECONFIG === undefined)
      throw new Error('replay: give --scenario <file> or --kubeconfig <file> to import the cluster');
    scenarioFile = o.journal === undefined ? 'imported-scenario.yaml' : `${o.journal}.scenario.yaml`;
    const imported = await importScenario(options, scenarioFile);
    for (const u of imported.unknowns) log(`import: unknown: ${u}`);
    log(`imported the cluster into ${scenarioFile}`);
  }
  const scenario = loadScenario(scenarioFile);
  const plan = loadPlan(planFile);
  const prediction = dryRun(scenario, plan, o.seed);
  if (o.predictedOut !== undefined) writeTrace(o.predictedOut, prediction.trace);
  if (!o.execute) {
    if (o.json) {
      process.stdout.write(
        `${JSON.stringify({ evaluation: prediction.evaluation, runbook: prediction.runbook }, null, 2)}\n`,
      );
      return;
    }
    process.stdout.write(terminalReport(prediction.evaluation));
    process.stdout.write(`\nRunbook (what --execute would do)\n${runbookText(prediction.runbook)}\n`);
    return;
  }
  if (o.journal === undefined) throw new Error('--execute needs --journal <file>');
  writeTrace(predictedTracePath(o.journal), prediction.trace);
  const result = await executeReplay(planFile, scenarioFile, o.journal, { ...options, log });
  process.stdout.write(`replay ${result.ok ? 'completed' : `stopped: ${result.reason}`}\n`);
  printComparison(o.journal, `${o.journal}.observed.jsonl`);
  if (!result.ok) throw new Error(result.reason);
}
