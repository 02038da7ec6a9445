#!/usr/bin/env node
// Runs vigie from the TypeScript sources (no build step): tsx compiles on the fly.
import { register } from 'tsx/esm/api';

register();
const { launch } = await import('../src/cli/launch.ts');
await launch(import.meta.url, { development: true });
