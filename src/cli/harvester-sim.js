#!/usr/bin/env node
// The package runs from its TypeScript sources: tsx registers the loader, then the CLI starts.
import { register } from 'tsx/esm/api';

register();
const { endQuietlyOnBrokenPipe, main } = await import('./main.ts');
endQuietlyOnBrokenPipe();
process.exitCode = await main(process.argv);
