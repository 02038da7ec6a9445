import type { FuzzTarget } from '../target.js';
import { BINARY_TARGETS } from './binary-targets.js';
import { TEXT_TARGETS } from './text-targets.js';
import { YAML_TARGETS } from './yaml-targets.js';

/** Every fuzz target, in the order a campaign runs them. */
export const TARGETS: readonly FuzzTarget[] = [
  ...(BINARY_TARGETS as readonly FuzzTarget[]),
  ...(TEXT_TARGETS as readonly FuzzTarget[]),
  ...(YAML_TARGETS as readonly FuzzTarget[]),
];

export function targetNamed(name: string): FuzzTarget | undefined {
  return TARGETS.find((t) => t.name === name);
}
