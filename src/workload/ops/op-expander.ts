// What an op type contributes to a workload's expansion: its part of the plan made before it
// starts (its rank groups, how far ahead it loads) and the expansion of one instance (the
// current op of the current iteration, on every rank) into the operation graph and timeline.
import type { Expansion } from '../expansion.js';
import type { OpTypePlan } from '../op-plan.js';

export interface OpExpander extends OpTypePlan {
  expand(x: Expansion): void;
}
