// The op expanders, one per workload op type: adding an op type is its fields in spec.ts and
// io/workload-file.ts, one file here and one entry in OP_EXPANDERS.
import { FairwayError } from '../../core/errors.js';
import type { WorkloadOpType } from '../spec.js';
import { collectiveExpander } from './collective.js';
import { computeExpander } from './compute.js';
import { cpuExpander } from './cpu.js';
import { inputExpander } from './input.js';
import { memcpyExpander } from './memcpy.js';
import type { OpExpander } from './op-expander.js';
import { recvExpander, sendExpander } from './p2p.js';

export type { OpExpander } from './op-expander.js';

export const OP_EXPANDERS: Readonly<Record<WorkloadOpType, OpExpander>> = {
  compute: computeExpander,
  collective: collectiveExpander,
  memcpy: memcpyExpander,
  cpu: cpuExpander,
  input: inputExpander,
  send: sendExpander,
  recv: recvExpander,
};

/** The expander of an op type (the file reader admits only these types). */
export function expanderOf(type: WorkloadOpType): OpExpander {
  const e = Object.hasOwn(OP_EXPANDERS, type) ? OP_EXPANDERS[type] : undefined;
  if (!e) throw new FairwayError('E_ARGUMENT', `unknown workload op type "${type}"; known: ${Object.keys(OP_EXPANDERS).join(', ')}`);
  return e;
}
