// A system from a topology given in memory: a builder spec such as
// "rail-optimized:template=dgx-h100,count=2", a parsed document, or a document's YAML/JSON text.
// Node-free, for the browser entry (engine-entry.ts), where there are no files to name.
import { inputError } from '../core/errors.js';
import { FABRIC_BUILDERS, parseBuilderSpec } from '../io/builder-spec.js';
import { parseTopology, parseTopologyText } from '../io/topology-file.js';
import { SERVER_TEMPLATES } from '../topology/server-templates.js';
import { systemOf, type System } from './system.js';

/** `topology`: a builder spec or a YAML/JSON document's text (a string), or a parsed document (an object). */
export function systemFromDocument(topology: string | object, label = 'topology'): System {
  if (typeof topology !== 'string') return systemOf(parseTopology(topology, label));
  const builder = parseBuilderSpec(topology);
  if (builder) return systemOf(parseTopology(builder, topology));
  if (/[\n:{]/.test(topology)) return systemOf(parseTopologyText(topology, label));
  throw inputError(label, `${topology}: not a builder spec (${FABRIC_BUILDERS.join(', ')}, or a server template: ${[...SERVER_TEMPLATES.keys()].join(', ')}) nor a topology document; files and shipped names are read by the Node entry`);
}
