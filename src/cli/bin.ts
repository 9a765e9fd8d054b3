/**
 * The published executable (package.json "bin" → dist/cli/harvester-sim.js, bundled from this file by
 * src/build/bundle.mjs): plain Node, no TypeScript loader. src/cli/harvester-sim.js runs the same CLI from
 * the sources with tsx, for development.
 */
import { endQuietlyOnBrokenPipe, main } from './main.ts';

endQuietlyOnBrokenPipe();
process.exitCode = await main(process.argv);
