// The replay journal: append-only, one flushed line per entry; a torn last line (the process was
// killed while writing it) is ignored on resume; the first recorded value of a key wins.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/adapter/journal.ts';

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'journal-'));
  dirs.push(dir);
  return join(dir, 'journal');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const begin = {
  type: 'begin' as const,
  plan: 'p',
  planFile: '/p.yaml',
  scenarioFile: '/s.yaml',
  server: 'https://127.0.0.1:1',
  trace: '/t.jsonl',
  timeScale: 1,
  startedAtMs: 0,
  etcdEndpoints: null,
};

describe('the replay journal', () => {
  it('refuses to start over an existing journal (resume or restore it instead)', () => {
    const path = fresh();
    Journal.create(path).append(begin);
    expect(() => Journal.create(path)).toThrow(/--resume/);
  });

  it('ignores a torn last line and appends after it on a line of its own', () => {
    const path = fresh();
    const journal = Journal.create(path);
    journal.append(begin);
    journal.append({ type: 'step.start', index: 0, id: 'a' });
    journal.close();
    appendFileSync(path, '{"type":"step.do');
    const reopened = Journal.open(path);
    expect(reopened.all().map((e) => e.type)).toEqual(['begin', 'step.start']);
    reopened.append({ type: 'step.done', index: 0, id: 'a', ok: true, detail: 'done' });
    reopened.close();
    expect(Journal.open(path).done(0)).toBe(true);
    expect(
      readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('{"type":"step.done"')),
    ).toHaveLength(1);
  });

  it('keeps the first recorded value of a key and knows which nodes the replay left off', () => {
    const journal = Journal.create(fresh());
    journal.append(begin);
    journal.append({ type: 'recorded', key: 'scale-available', value: '2' });
    journal.append({ type: 'recorded', key: 'scale-available', value: '' });
    journal.append({ type: 'node.off', node: 'harv2' });
    journal.append({ type: 'node.off', node: 'harv41' });
    journal.append({ type: 'node.on', node: 'harv41' });
    expect(journal.recorded().get('scale-available')).toBe('2');
    expect(journal.poweredOff()).toEqual(['harv2']);
    expect(journal.lastPoweredOff()).toBe('harv41');
    journal.close();
  });
});
