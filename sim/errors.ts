/**
 * Thrown into a process by `process.interrupt(cause)`. Without a stack: an interrupt is a value the
 * kernel delivers (models interrupt loops thousands of times a run, e.g. the world's control loop
 * when something it reads changes), and capturing a stack for each was 2 % of a run.
 */
export class Interrupt extends Error {
  constructor(override readonly cause: unknown) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`interrupted: ${describe(cause)}`);
    Error.stackTraceLimit = stackTraceLimit;
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
