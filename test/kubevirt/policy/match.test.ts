import { describe, expect, it } from 'vitest';
import { compareScores, matchPolicy, scorePolicy } from '../../../src/kubevirt/policy/match.ts';
import type { MigrationPolicy } from '../../../src/kubevirt/policy/types.ts';

// Rules from kubevirt/kubevirt:pkg/virt-controller/watch/migration/migrationpolicy.go
// (matchPolicy, countMatchingLabels, migrationPolicyMatchScore) and research/migration.md §1.

const vmiLabels = { app: 'db', tier: 'gold', team: 'red' };
const nsLabels = { env: 'prod', region: 'eu' };

function policy(name: string, vmi?: Record<string, string>, ns?: Record<string, string>): MigrationPolicy {
  return { name, selectors: { virtualMachineInstanceSelector: vmi, namespaceSelector: ns } };
}

describe('MigrationPolicy scoring (migrationpolicy.go countMatchingLabels)', () => {
  it('counts matched VMI and namespace selector entries', () => {
    expect(
      scorePolicy(policy('p', { app: 'db', tier: 'gold' }, { env: 'prod' }), vmiLabels, nsLabels),
    ).toEqual({
      vmiLabels: 2,
      namespaceLabels: 1,
    });
  });

  it('does not match when one selector entry is missing or has another value', () => {
    expect(scorePolicy(policy('p', { app: 'web' }), vmiLabels, nsLabels)).toBeUndefined();
    expect(scorePolicy(policy('p', { app: 'db', zone: 'a' }), vmiLabels, nsLabels)).toBeUndefined();
    expect(scorePolicy(policy('p', undefined, { env: 'dev' }), vmiLabels, nsLabels)).toBeUndefined();
  });

  it('an absent sub-selector matches everything and counts 0', () => {
    expect(scorePolicy(policy('p'), vmiLabels, nsLabels)).toEqual({ vmiLabels: 0, namespaceLabels: 0 });
    expect(scorePolicy(policy('p', undefined, { env: 'prod' }), vmiLabels, nsLabels)).toEqual({
      vmiLabels: 0,
      namespaceLabels: 1,
    });
  });

  it('a policy without selectors matches nothing', () => {
    expect(scorePolicy({ name: 'bare', allowPostCopy: true }, vmiLabels, nsLabels)).toBeUndefined();
  });

  it('quirk: a VMI without labels skips both selectors and matches every policy with score 0', () => {
    const strict = policy('strict', { app: 'db' }, { env: 'never' });
    expect(scorePolicy(strict, undefined, nsLabels)).toEqual({ vmiLabels: 0, namespaceLabels: 0 });
    expect(scorePolicy(strict, {}, { env: 'prod' })).toEqual({ vmiLabels: 0, namespaceLabels: 0 });
  });
});

describe('MigrationPolicy choice (migrationpolicy.go matchPolicy)', () => {
  it('the highest total of matched labels wins', () => {
    const chosen = matchPolicy(
      [policy('a-one', { app: 'db' }), policy('z-three', { app: 'db' }, { env: 'prod', region: 'eu' })],
      vmiLabels,
      nsLabels,
    );
    expect(chosen?.name).toBe('z-three');
  });

  it('on an equal total, more matched VMI labels wins', () => {
    const vmiHeavy = policy('z-vmi', { app: 'db', tier: 'gold' });
    const nsHeavy = policy('a-ns', undefined, { env: 'prod', region: 'eu' });
    expect(
      compareScores({ vmiLabels: 2, namespaceLabels: 0 }, { vmiLabels: 0, namespaceLabels: 2 }),
    ).toBeGreaterThan(0);
    expect(matchPolicy([nsHeavy, vmiHeavy], vmiLabels, nsLabels)?.name).toBe('z-vmi');
  });

  it('a full tie goes to the lexicographically smallest name, whatever the list order', () => {
    const policies = [
      policy('beta', { app: 'db' }),
      policy('alpha', { tier: 'gold' }),
      policy('gamma', { team: 'red' }),
    ];
    expect(matchPolicy(policies, vmiLabels, nsLabels)?.name).toBe('alpha');
    expect(matchPolicy([...policies].reverse(), vmiLabels, nsLabels)?.name).toBe('alpha');
  });

  it('a policy matching with score 0 still applies when nothing better matches', () => {
    expect(
      matchPolicy([policy('catch-all'), policy('other', { app: 'web' })], vmiLabels, nsLabels)?.name,
    ).toBe('catch-all');
  });

  it('no policy applies when none matches', () => {
    expect(
      matchPolicy([policy('web', { app: 'web' }), { name: 'bare' }], vmiLabels, nsLabels),
    ).toBeUndefined();
  });

  it('quirk: an unlabeled VMI gets the smallest-named policy among all with selectors', () => {
    const policies = [
      policy('m-specific', { app: 'db' }, { env: 'prod' }),
      policy('b-other', { os: 'win' }),
      { name: 'a-bare' },
    ];
    expect(matchPolicy(policies, undefined, nsLabels)?.name).toBe('b-other');
  });
});
