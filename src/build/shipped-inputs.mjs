// The shipped scenarios and plans, loaded and validated at build time for the built CLI's `evaluate`
// (src/cli/shipped-inputs.ts reads them): dist/cli/shipped/<SHA-256 of the file's text>.json holds
// what `parseScenario` / `parsePlan` return, as JSON, with the file name as a token. An entry is
// written only when that is exact: the result is plain JSON data (it survives JSON unchanged) and
// loading under the token, then putting a real path in its place, gives what loading under that path
// gives. Files that do not load (examples of errors) get no entry.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

/**
 * `loaders`: { parseScenario(text, fileName), parsePlan(text, fileName) }; `token`, `entryName(text)`:
 * from src/cli/shipped-inputs.ts. Returns the files given an entry.
 */
export function writeShippedInputs(root, outDirectory, loaders, token, entryName) {
  mkdirSync(outDirectory, { recursive: true });
  const written = [];
  const folders = [
    ['scenario', resolve(root, 'scenarios'), loaders.parseScenario],
    ['plan', resolve(root, 'scenarios/plans'), loaders.parsePlan],
  ];
  for (const [kind, folder, parse] of folders) {
    for (const file of readdirSync(folder)
      .filter((f) => f.endsWith('.yaml'))
      .sort()) {
      const path = resolve(folder, file);
      const text = readFileSync(path, 'utf8');
      let underToken;
      let underPath;
      try {
        underToken = parse(text, token);
        underPath = parse(text, path);
      } catch {
        continue;
      }
      const json = JSON.stringify(underToken);
      const escapedToken = JSON.stringify(token).slice(1, -1);
      const escapedPath = JSON.stringify(path).slice(1, -1);
      const exact =
        isDeepStrictEqual(JSON.parse(json), underToken) &&
        isDeepStrictEqual(JSON.parse(json.replaceAll(escapedToken, escapedPath)), underPath);
      if (!exact) continue;
      writeFileSync(resolve(outDirectory, entryName(text)), JSON.stringify({ kind, json }));
      written.push(`${kind}: ${file}`);
    }
  }
  return written;
}
