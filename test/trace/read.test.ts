import { describe, expect, it } from 'vitest';
import { parseTrace, TraceReadError } from '../../src/trace/read.ts';

const start =
  '{"timeSeconds":10,"subsystem":"run","kind":"run.start","data":{"scenario":"s","plan":"p","seed":1,"harvesterVersion":"1.3.0","components":{},"nodes":[],"vip":"10.0.0.1"}}';

describe('reading a trace file', () => {
  it('reads records of the contract, skipping blank lines', () => {
    const trace = parseTrace(
      `${start}\n\n{"timeSeconds":11,"subsystem":"run","kind":"run.end","data":{"endSeconds":11}}\n`,
      't.jsonl',
    );
    expect(trace.map((r) => r.kind)).toEqual(['run.start', 'run.end']);
  });

  it.each([
    ['not JSON', `${start}\n{oops`, 't.jsonl:2: expected a JSON record, found "{oops"'],
    [
      'an unknown kind',
      `{"timeSeconds":1,"subsystem":"network","kind":"x","data":{}}`,
      't.jsonl:1: subsystem/kind: expected a record kind of the trace contract (docs/trace.md), found "network"/"x"',
    ],
    [
      'time going back',
      `${start}\n{"timeSeconds":9,"subsystem":"run","kind":"run.end","data":{"endSeconds":9}}`,
      't.jsonl:2: timeSeconds: expected ≥ 10 (records in time order), found 9',
    ],
    [
      'no data object',
      `{"timeSeconds":1,"subsystem":"run","kind":"run.end","data":3}`,
      't.jsonl:1: data: expected an object, found 3',
    ],
    [
      'a time that is not a number',
      `{"timeSeconds":"1","subsystem":"run","kind":"run.end","data":{}}`,
      't.jsonl:1: timeSeconds: expected a finite number, found "1"',
    ],
  ])('names the file, the line, what was expected and found: %s', (_name, text, message) => {
    expect(() => parseTrace(text, 't.jsonl')).toThrow(TraceReadError);
    expect(() => parseTrace(text, 't.jsonl')).toThrow(message);
  });
});
