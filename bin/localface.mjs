#!/usr/bin/env node
// The localface CLI: the TypeScript sources run through tsx's loader (no separate build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
