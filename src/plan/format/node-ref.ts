/** Node references in plans: a name, or a role-relative choice the runner resolves when the step runs. */
import type { NodeRef } from './types.ts';

const relative: Readonly<Record<string, NodeRef>> = {
  '@etcd-leader': { kind: 'etcd-leader' },
  '@etcd-follower': { kind: 'etcd-follower' },
  '@witness': { kind: 'witness' },
  '@last-shut-down': { kind: 'last-shut-down' },
};

/** "@etcd-leader" → { kind: 'etcd-leader' }; "harv41" → { kind: 'name', name: 'harv41' }. Text is pre-validated. */
export function parseNodeRef(text: string): NodeRef {
  return relative[text] ?? { kind: 'name', name: text };
}

/** The inverse of parseNodeRef, for messages and reports. */
export function formatNodeRef(ref: NodeRef): string {
  return ref.kind === 'name' ? ref.name : `@${ref.kind}`;
}
