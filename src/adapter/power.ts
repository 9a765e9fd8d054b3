/**
 * Node power, out of band (controlplane.md §7: power is not an API object). Three drivers: a prompt
 * for an operator (default), a command template (ipmitool, redfish, ssh) with `{node}` replaced,
 * and the testbed's power endpoint.
 */
import { execFile } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ShutdownMode } from '../trace/nodes.ts';
import type { KubeClient } from './kube-client.ts';
import { PATHS } from './snapshot.ts';

export type PowerState = 'off' | 'booting' | 'running' | 'shutting-down' | 'unknown';

export interface PowerDriver {
  readonly name: string;
  off(node: string, mode: ShutdownMode): Promise<void>;
  on(node: string): Promise<void>;
  /** What the driver can tell; `unknown` leaves the waits to the Kubernetes API. */
  state(node: string): Promise<PowerState>;
}

export class TestbedPower implements PowerDriver {
  readonly name = 'testbed';
  constructor(private readonly client: KubeClient) {}

  async off(node: string, mode: ShutdownMode): Promise<void> {
    await this.client.post(PATHS.power(node), { action: 'off', mode });
  }

  async on(node: string): Promise<void> {
    await this.client.post(PATHS.power(node), { action: 'on' });
  }

  async state(node: string): Promise<PowerState> {
    const reply = await this.client.get<{ state?: string }>(PATHS.power(node));
    const state = reply.state;
    return state === 'off' || state === 'booting' || state === 'running' || state === 'shutting-down'
      ? state
      : 'unknown';
  }
}

/** Bound of one power command. */
const COMMAND_TIMEOUT_MS = 120_000;

export interface CommandTemplates {
  readonly on: string;
  readonly off: string;
  /** Prints "on" or "off" (anything else is unknown); optional. */
  readonly status?: string;
}

export class CommandPower implements PowerDriver {
  readonly name = 'command';
  constructor(private readonly templates: CommandTemplates) {}

  off(node: string): Promise<void> {
    return this.run(this.templates.off, node).then(() => undefined);
  }

  on(node: string): Promise<void> {
    return this.run(this.templates.on, node).then(() => undefined);
  }

  async state(node: string): Promise<PowerState> {
    if (this.templates.status === undefined) return 'unknown';
    const out = (await this.run(this.templates.status, node)).toLowerCase();
    if (/\boff\b/.test(out)) return 'off';
    if (/\bon\b/.test(out)) return 'running';
    return 'unknown';
  }

  private run(template: string, node: string): Promise<string> {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(node))
      return Promise.reject(new Error(`refusing node name '${node}' in a shell command`));
    const command = template.replaceAll('{node}', node);
    return new Promise((resolve, reject) => {
      execFile('sh', ['-c', command], { timeout: COMMAND_TIMEOUT_MS }, (error, stdout) => {
        if (error !== null)
          reject(new Error(`power command for ${node} failed: ${error.message.split('\n')[0]}`));
        else resolve(stdout);
      });
    });
  }
}

export class ManualPower implements PowerDriver {
  readonly name = 'manual';

  off(node: string, mode: ShutdownMode): Promise<void> {
    return ask(
      mode === 'graceful'
        ? `Shut node ${node} down now (ssh ${node} 'sudo -i shutdown'), then press Enter: `
        : `Cut the power of node ${node} now (BMC), then press Enter: `,
    );
  }

  on(node: string): Promise<void> {
    return ask(`Power node ${node} on now (BMC or power button), then press Enter: `);
  }

  async state(): Promise<PowerState> {
    return 'unknown';
  }
}

async function ask(question: string): Promise<void> {
  if (!process.stdin.isTTY)
    throw new Error(`${question.trim()} — needs an operator at a terminal (or --power testbed|command)`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    await new Promise<void>((resolve) => rl.question(question, () => resolve()));
  } finally {
    rl.close();
  }
}
