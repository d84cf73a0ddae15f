// Where a topology argument comes from: a file (relative to `dir`), a builder spec such as
// fat-tree:k=8, or a shipped topology named without its path (topologies/NAME.yaml). A file may
// also be an ASTRA-sim analytical network config (astra-network.ts). One resolver for the
// command line and for sweep files.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FairwayError } from '../core/errors.js';
import { SERVER_TEMPLATES } from '../topology/server-templates.js';
import type { TopologySpec } from '../topology/spec.js';
import { astraNetworkDocument, isAstraNetwork } from './astra-network.js';
import { FABRIC_BUILDERS, parseBuilderSpec } from './builder-spec.js';
import { readInputText } from './read-text.js';
import { parseDocumentText, parseTopology } from './topology-file.js';

const SHIPPED = new URL('../../topologies/', import.meta.url);

/** The topology document `arg` names, with a label for messages; undefined when it names nothing. */
export function topologyDocument(arg: string, option: string, dir = '.'): { doc: unknown; label: string } | undefined {
  const file = resolve(dir, arg);
  if (existsSync(file)) {
    const label = dir === '.' ? arg : file;
    const doc = parseDocumentText(readInputText(file, option), label);
    // an ASTRA-sim analytical network config (topology, npus_count, bandwidth, latency) reads as NPUs and links
    return { doc: isAstraNetwork(doc) ? astraNetworkDocument(doc, label) : doc, label };
  }
  const builder = parseBuilderSpec(arg);
  if (builder) return { doc: builder, label: arg };
  if (arg.includes('/')) return undefined;
  for (const ext of ['.yaml', '.yml', '.json']) {
    const shipped = new URL(`${arg}${ext}`, SHIPPED);
    if (existsSync(shipped)) return { doc: parseDocumentText(readInputText(shipped, option), `topologies/${arg}${ext}`), label: `topologies/${arg}${ext}` };
  }
  return undefined;
}

/** The topology spec `arg` names (file, builder spec or shipped name), or an input error listing what it may be. */
export function loadTopologySpec(arg: string): TopologySpec {
  const found = topologyDocument(arg, '<topology>');
  if (found) return parseTopology(found.doc, found.label);
  throw new FairwayError('E_INPUT', `${arg}: no such file, shipped topology or builder`, [
    { path: arg, message: `give a file path, a shipped topology name, or a builder: ${FABRIC_BUILDERS.join(', ')}, ${[...SERVER_TEMPLATES.keys()].join(', ')}` },
  ]);
}
