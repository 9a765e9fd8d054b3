import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { parsePlan } from '../../src/plan/format/load.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import { parseScenario } from '../../src/scenario/load.ts';

// Issue 15 §4: certificates by age. RKE2 leaf certificates last 365 days unless Harvester sets
// CATTLE_NEW_SIGNED_CERT_EXPIRATION_DAYS (1000 in harvester/harvester PR #11107); "Any certificates
// that are expired, or within 90 days of expiring, are automatically renewed every time RKE2 starts"
// (docs.rke2.io; rancher/rke2#6638); but "RKE2 certificates are not successfully rotated in scenario
// where an RKE2 cluster is shut down and during that period the certificates expire ... RKE2 will
// fail to start" (rancher/rke2#8318, fixed by the June 2025 backports #8378-#8381). With
// auto-rotate-rke2-certs, Harvester rotates them while the cluster runs once `expiringInHours`
// remain; "When the certificates are expired, the auto-rotate-rke2-certs setting cannot fix the
// issue" (harvester/harvester#9351).

const scenarios = new URL('../../scenarios/', import.meta.url).pathname;
const scenarioText = readFileSync(`${scenarios}seed-witness.yaml`, 'utf8');
const planText = readFileSync(`${scenarios}plans/power-off-all.yaml`, 'utf8');
const day = 86400;

function run(options: {
  offlineHours: number;
  certificates?: string;
  harvester?: string;
  settings?: string;
}) {
  let text = scenarioText;
  if (options.harvester !== undefined)
    text = text.replace(/harvesterVersion: .*/, `harvesterVersion: "${options.harvester}"`);
  if (options.certificates !== undefined) text = `${text}\ncertificates: ${options.certificates}\n`;
  if (options.settings !== undefined)
    text = text.replace('  harvester:\n', `  harvester:\n${options.settings}\n`);
  const scenario = parseScenario(text, 'seed-witness-certificates.yaml');
  const plan = parsePlan(
    planText.replace('duration: 12h', `duration: ${options.offlineHours}h`),
    'power-off.yaml',
  );
  const result = runPlan(scenario, plan, { seed: 1 });
  const rke2 = evaluate(result.records).findings.find(
    (f) => f.rule === 'certificate.expired' && f.objects.includes('certificate/rke2-leaf-certificates'),
  );
  return { result, rke2 };
}

describe('RKE2 certificates by age across a power-off (issue 15 §4)', () => {
  it('a year off on rke2 v1.27 (Harvester 1.3): the leaf certificates will not come back and etcd does not start (rke2#8318)', () => {
    const { result, rke2 } = run({ offlineHours: 8760 });
    expect(rke2?.severity).toBe('critical');
    expect(rke2?.title).toContain('will not come back');
    const blocked = result.records.filter((r) => r.kind === 'etcd.member-blocked');
    expect(blocked.map((r) => (r.data as { node: string }).node).sort()).toEqual([
      'harv41',
      'harv42',
      'harv43',
    ]);
    expect(result.ok).toBe(false);
  });

  it('a year off on rke2 v1.34 (Harvester 1.7, after the June 2025 fix): renewed at start, info', () => {
    const { result, rke2 } = run({ offlineHours: 8760, harvester: '1.7.0' });
    expect(rke2?.severity).toBe('info');
    expect(result.records.some((r) => r.kind === 'etcd.member-blocked')).toBe(false);
  });

  it('installed 300 days before, off 90 days: 390 days old, past 365 while down: will not come back', () => {
    const { rke2 } = run({ offlineHours: 90 * 24, certificates: '{ installed: 7200h }' });
    expect(rke2?.severity).toBe('critical');
    expect(rke2?.detail).toContain('390.0 d old');
  });

  it('installed 300 days before, off 30 days: 330 days old, inside the 90-day renew window: renewed at start, no finding', () => {
    const { result, rke2 } = run({ offlineHours: 30 * 24, certificates: '{ installed: 7200h }' });
    expect(rke2).toBeUndefined();
    expect(result.ok).toBe(true);
  });

  it('rotated last 100 days before: a year off leaves them 465 days old, past 365: will not come back', () => {
    const { rke2 } = run({
      offlineHours: 8760,
      certificates: '{ installed: 20000h, rke2LastRotated: 2400h }',
    });
    expect(rke2?.detail).toContain(`${(465).toFixed(1)} d old`);
  });

  it('auto-rotate-rke2-certs (expiringInHours 240) rotates certificates 360 days old before the power-off', () => {
    const settings = '    auto-rotate-rke2-certs: { enable: true, expiringInHours: 240 }';
    const without = run({ offlineHours: 30 * 24, certificates: '{ installed: 8640h }' });
    expect(without.rke2?.severity).toBe('critical');
    const rotated = run({ offlineHours: 30 * 24, certificates: '{ installed: 8640h }', settings });
    expect(rotated.rke2).toBeUndefined();
  });

  it('auto-rotate-rke2-certs cannot rotate certificates already expired before the plan (harvester#9351)', () => {
    const settings = '    auto-rotate-rke2-certs: { enable: true, expiringInHours: 240 }';
    const { rke2 } = run({ offlineHours: 24, certificates: '{ installed: 8784h }', settings });
    expect(rke2?.severity).toBe('critical');
  });

  it('1000-day certificates (CATTLE_NEW_SIGNED_CERT_EXPIRATION_DAYS, harvester PR #11107) survive 400 days old plus a year', () => {
    const { rke2 } = run({ offlineHours: 8760, certificates: '{ installed: 9600h, rke2Validity: 24000h }' });
    expect(rke2).toBeUndefined();
  });

  it('numbers: 365 days of life, 90-day window for rke2 v1.27', () => {
    const scenario = parseScenario(scenarioText, 'seed-witness.yaml');
    expect(scenario.settings.certificates.rke2LeafValiditySeconds).toBe(365 * day);
    expect(scenario.settings.certificates.rke2RenewWindowSeconds).toBe(90 * day);
  });
});
