import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/evaluate/finding.ts';
import { groupFindings } from '../../src/evaluate/finding-groups.ts';

const SENTENCE =
  "When the cluster is shutting down node by node, if you don't stop those workloads in advance, they will try hard until the last node is off.";

const finding = (
  rule: string,
  timeSeconds: number,
  objects: string[],
  severity: Finding['severity'] = 'warning',
): Finding => ({
  rule,
  severity,
  timeSeconds,
  title: `${rule} at ${timeSeconds}`,
  detail: `detail ${timeSeconds}`,
  objects,
  source: SENTENCE,
});

describe('findings grouped by kind (issue 12: one line per kind, the source sentence once)', () => {
  const findings = [
    finding('vm.running-at-power-off', 220, ['node/harv42', 'vm/default/db1'], 'critical'),
    finding('vm.running-at-power-off', 42, ['node/harv2', 'vm/default/a']),
    finding('volume.attached-at-power-off', 42, ['volume/default/a-disk-0', 'node/harv2']),
    finding('vm.running-at-power-off', 70, ['node/harv41', 'vm/default/vm1', 'node/harv2']),
  ];
  const groups = groupFindings(findings);

  it('one group per rule, with how many findings it holds', () => {
    expect(groups.map((g) => [g.rule, g.count])).toEqual([
      ['vm.running-at-power-off', 3],
      ['volume.attached-at-power-off', 1],
    ]);
  });

  it('a group takes its most severe finding’s severity and its first (severity, then time) title', () => {
    expect(groups[0].severity).toBe('critical');
    expect(groups[0].title).toBe('vm.running-at-power-off at 220');
  });

  it('names every object once, and spans the first to the last finding', () => {
    expect(groups[0].objects).toEqual([
      'node/harv42',
      'vm/default/db1',
      'node/harv2',
      'vm/default/a',
      'node/harv41',
      'vm/default/vm1',
    ]);
    expect([groups[0].firstSeconds, groups[0].lastSeconds]).toEqual([42, 220]);
  });

  it('keeps the source sentence once', () => {
    expect(groups[0].source).toBe(SENTENCE);
  });

  it('no findings, no groups', () => {
    expect(groupFindings([])).toEqual([]);
  });
});
