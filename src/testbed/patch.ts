/** JSON merge patch (RFC 7386) and JSON patch (RFC 6902), as the API server applies them. */

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386: objects merge, `null` deletes, anything else replaces. (Strategic merge is treated the same.) */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

export class PatchError extends Error {}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`JSON pointer '${path}' does not start with '/'`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parentOf(doc: Json, parts: string[]): { parent: Record<string, Json> | Json[]; last: string } {
  let node: Json = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isObject(node)) node = node[part];
    else node = undefined;
    if (node === undefined) throw new PatchError(`path /${parts.join('/')} does not exist`);
  }
  if (!Array.isArray(node) && !isObject(node))
    throw new PatchError(`path /${parts.join('/')} does not exist`);
  return { parent: node, last: parts[parts.length - 1] };
}

/** RFC 6902 operations add, remove, replace and test (what kubectl and clients send). */
export function jsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations)) throw new PatchError('a JSON patch is an array of operations');
  const doc = structuredClone(target);
  for (const op of operations as { op: string; path: string; value?: Json }[]) {
    const parts = pointer(op.path);
    if (parts.length === 0) throw new PatchError('patching the whole document is not supported');
    const { parent, last } = parentOf(doc, parts);
    switch (op.op) {
      case 'add':
      case 'replace':
        if (Array.isArray(parent)) {
          const index = last === '-' ? parent.length : Number(last);
          if (op.op === 'add') parent.splice(index, 0, op.value);
          else parent[index] = op.value;
        } else {
          if (op.op === 'replace' && !(last in parent))
            throw new PatchError(`path ${op.path} does not exist`);
          parent[last] = op.value;
        }
        break;
      case 'remove':
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else {
          if (!(last in parent)) throw new PatchError(`path ${op.path} does not exist`);
          delete parent[last];
        }
        break;
      case 'test': {
        const value = Array.isArray(parent) ? parent[Number(last)] : parent[last];
        if (JSON.stringify(value) !== JSON.stringify(op.value))
          throw new PatchError(`test of ${op.path} failed`);
        break;
      }
      default:
        throw new PatchError(`JSON patch operation '${op.op}' is not supported`);
    }
  }
  return doc;
}
