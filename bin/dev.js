#!/usr/bin/env node
// Runs vigie from the TypeScript sources (no build step): tsx compiles on the fly.
import { register } from 'tsx/esm/api';

register();
const { execute } = await import('@oclif/core');
await execute({ development: true, dir: import.meta.url });
