/** IPv4 addresses and CIDRs as noProxy entries hold them: does an entry cover an address or a network? */

function toNumber(address: string): number | null {
  const parts = address.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = value * 256 + Number(part);
  }
  return value;
}

interface Network {
  readonly base: number;
  readonly size: number;
}

/** `a.b.c.d` or `a.b.c.d/n` as a range of addresses; null for a host name. */
export function parseNetwork(entry: string): Network | null {
  const [address, bits] = entry.trim().split('/');
  const base = toNumber(address);
  if (base === null) return null;
  const prefix = bits === undefined ? 32 : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return null;
  const size = 2 ** (32 - prefix);
  return { base: base - (base % size), size };
}

/** Whether some entry covers every address of `target` (an address or a CIDR). */
export function covered(entries: readonly string[], target: string): boolean {
  const t = parseNetwork(target);
  if (t === null) return entries.includes(target);
  return entries.some((entry) => {
    const e = parseNetwork(entry);
    return e !== null && e.base <= t.base && t.base + t.size <= e.base + e.size;
  });
}
