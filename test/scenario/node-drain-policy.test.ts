/**
 * `node-drain-policy` per Longhorn release (longhorn/longhorn-manager:types/setting.go
 * SettingDefinitionNodeDrainPolicy): three values in v1.5.0, five from v1.6.0 (block-for-eviction,
 * block-for-eviction-if-contains-last-replica added); research longhorn.md "The two eviction values
 * were added in LH 1.6.0; LH 1.5 had only the first three".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.ts';

const seed = readFileSync(new URL('../../scenarios/seed-witness.yaml', import.meta.url), 'utf8');
const withPolicy = (policy: string, version: string) =>
  seed
    .replace('harvesterVersion: 1.3.0', `harvesterVersion: ${version}`)
    .replace('settings:\n', `settings:\n  longhorn:\n    node-drain-policy: ${policy}\n`);

describe('node-drain-policy per Longhorn release', () => {
  it('Harvester 1.3.0 (Longhorn 1.6.0) accepts block-for-eviction and reads it into settings', () => {
    const scenario = parseScenario(withPolicy('block-for-eviction', '1.3.0'), 's.yaml');
    expect(scenario.settings.longhorn.nodeDrainPolicy).toBe('block-for-eviction');
  });

  it('Harvester 1.2.2 (Longhorn 1.5.5) refuses block-for-eviction in one line naming the choices', () => {
    expect(() => parseScenario(withPolicy('block-for-eviction', '1.2.2'), 's.yaml')).toThrow(
      /settings\.longhorn\.node-drain-policy.*one of block-if-contains-last-replica, allow-if-replica-is-stopped, always-allow \(Longhorn 1\.5\.5/,
    );
  });
});
