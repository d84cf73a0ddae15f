// Lookup into the hardware catalogue by name, with an error that lists what exists.
import { FairwayError } from '../core/errors.js';
import { ACCELERATOR_SPECS, CPU_SPECS, NIC_SPECS } from './devices.js';
import { LINK_SPECS, NVLINK_SHARP_EFFICIENCY } from './links.js';
import type { AcceleratorSpec, CpuSpec, LinkSpec, NicSpec } from './types.js';

export type { AcceleratorSpec, CpuSpec, LinkSpec, LinkType, NicSpec } from './types.js';
export { ACCELERATOR_SPECS, CPU_SPECS, LINK_SPECS, NIC_SPECS, NVLINK_SHARP_EFFICIENCY };

function lookup<T>(table: ReadonlyMap<string, T>, what: string, name: string, path: string): T {
  const spec = table.get(name);
  if (spec !== undefined) return spec;
  const known = [...table.keys()].join(', ');
  throw new FairwayError('E_INPUT', `${path}: unknown ${what} "${name}"`, [{ path, message: `unknown ${what} "${name}"; known: ${known}` }]);
}

export const accelerator = (name: string, path = 'accelerator'): AcceleratorSpec => lookup(ACCELERATOR_SPECS, 'accelerator', name, path);
export const nic = (name: string, path = 'nic'): NicSpec => lookup(NIC_SPECS, 'NIC', name, path);
export const cpu = (name: string, path = 'cpu'): CpuSpec => lookup(CPU_SPECS, 'CPU', name, path);
export const link = (name: string, path = 'link'): LinkSpec => lookup(LINK_SPECS, 'link type', name, path);

/** Effective bandwidth of a link spec: line rate × efficiency. */
export const effectiveBytesPerSec = (s: LinkSpec): number => s.lineBytesPerSec * s.efficiency;
