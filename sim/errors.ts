/**
 * Thrown into a process by `process.interrupt(cause)`. Control flow, not a failure: it carries no
 * stack trace (capturing one per interrupt was 6 % of a 100-node run's CPU; issue 10).
 */
export class Interrupt extends Error {
  constructor(override readonly cause: unknown) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`interrupted: ${describe(cause)}`);
    Error.stackTraceLimit = limit;
    this.name = 'Interrupt';
  }
}

/** A failure nobody handled: it stops the run and names the process and the simulated time. */
export class SimulationError extends Error {
  constructor(
    message: string,
    readonly timeSeconds: number,
    readonly processName: string | undefined,
    override readonly cause: unknown,
  ) {
    super(message);
    this.name = 'SimulationError';
  }
}

/** A run went past one of its limits: `maxEvents`, or a simulated-time bound its caller set. */
export class LimitExceeded extends Error {
  constructor(
    message: string,
    readonly limit: 'events' | 'time' = 'events',
  ) {
    super(message);
    this.name = 'LimitExceeded';
  }
}

export class EmptySchedule extends Error {
  constructor() {
    super('no events scheduled');
    this.name = 'EmptySchedule';
  }
}

export function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
