// The patches the testbed applies, as the API server does: JSON merge patch (RFC 7386) and JSON patch (RFC 6902).
import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch, PatchError } from '../../src/testbed/patch.ts';

describe('merge patch (RFC 7386)', () => {
  it('merges objects, replaces values and deletes keys set to null', () => {
    const target = { metadata: { annotations: { a: '1', b: '2' } }, spec: { replicas: 3 } };
    expect(
      mergePatch(target, { metadata: { annotations: { a: '', b: null } }, spec: { replicas: 0 } }),
    ).toEqual({
      metadata: { annotations: { a: '' } },
      spec: { replicas: 0 },
    });
  });

  it('replaces arrays whole (RFC 7386 §2)', () => {
    expect(mergePatch({ list: [1, 2, 3] }, { list: [4] })).toEqual({ list: [4] });
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('adds, replaces and removes by pointer, with ~1 for "/" in keys', () => {
    const target = {
      metadata: { annotations: { 'management.cattle.io/scale-available': '3' } },
      spec: { enabled: true },
    };
    const patched = jsonPatch(target, [
      { op: 'replace', path: '/metadata/annotations/management.cattle.io~1scale-available', value: '' },
      { op: 'replace', path: '/spec/enabled', value: false },
      { op: 'add', path: '/spec/extra', value: 1 },
      { op: 'remove', path: '/spec/extra' },
    ]);
    expect(patched).toEqual({
      metadata: { annotations: { 'management.cattle.io/scale-available': '' } },
      spec: { enabled: false },
    });
    expect(target.spec.enabled).toBe(true);
  });

  it('fails a test operation that does not match, and a replace of a missing path', () => {
    expect(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(PatchError);
    expect(() => jsonPatch({ a: 1 }, [{ op: 'replace', path: '/b', value: 2 }])).toThrow(PatchError);
  });
});
