#!/usr/bin/env node
// The `vibe` command runs the TypeScript sources through tsx's loader, so an
// installed checkout never runs a stale build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../operator/src/vibe.ts');
process.exitCode = await main(process.argv.slice(2));
