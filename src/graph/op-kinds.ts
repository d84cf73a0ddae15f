// The kinds of operation an operation graph holds, and what each graph column means for each.
// One table: a new kind is one entry here and one in sim/op-activities.ts (its engine activity).

export const OP_TRANSFER = 0;
export const OP_DELAY = 1;
export const OP_COMPUTE = 2;
export const OP_CPU = 3;
/** Holds a fraction of an accelerator's math units from its start until another op finishes. */
export const OP_HOLD = 4;

export type OpKind = typeof OP_TRANSFER | typeof OP_DELAY | typeof OP_COMPUTE | typeof OP_CPU | typeof OP_HOLD;

export interface OpKindInfo {
  readonly name: string;
  /** The unit of the op's `work` column. */
  readonly workUnit: string;
  /** What `src` names. */
  readonly src: string;
  /** What `dst` names. */
  readonly dst: string;
  /** Ends when another op finishes (a release edge), not when its work is done. */
  readonly released: boolean;
}

export const OP_KINDS: readonly OpKindInfo[] = [
  { name: 'transfer', workUnit: 'bytes (memBytes: operand bytes a sending switch reduced)', src: 'sending node', dst: 'receiving node (the same node: a pure delay)', released: false },
  { name: 'delay', workUnit: '(none)', src: '-1', dst: '-1', released: false },
  { name: 'compute', workUnit: 'FLOPs (and memBytes through HBM)', src: 'accelerator', dst: 'the same accelerator', released: false },
  { name: 'cpu', workUnit: 'core-seconds, one thread', src: 'CPU socket', dst: 'the same socket', released: false },
  { name: 'hold', workUnit: 'fraction of the math units held', src: 'accelerator', dst: 'the same accelerator', released: true },
];
