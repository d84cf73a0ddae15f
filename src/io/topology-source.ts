// Where a topology argument comes from: a file (relative to `dir`), a builder spec such as
// fat-tree:k=8, or a shipped topology named without its path (topologies/NAME.yaml). One
// resolver for the command line and for sweep files.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseBuilderSpec } from './builder-spec.js';
import { readInputText } from './read-text.js';
import { parseDocumentText } from './topology-file.js';

const SHIPPED = new URL('../../topologies/', import.meta.url);

/** The topology document `arg` names, with a label for messages; undefined when it names nothing. */
export function topologyDocument(arg: string, option: string, dir = '.'): { doc: unknown; label: string } | undefined {
  const file = resolve(dir, arg);
  if (existsSync(file)) return { doc: parseDocumentText(readInputText(file, option), dir === '.' ? arg : file), label: dir === '.' ? arg : file };
  const builder = parseBuilderSpec(arg);
  if (builder) return { doc: builder, label: arg };
  if (arg.includes('/')) return undefined;
  for (const ext of ['.yaml', '.yml', '.json']) {
    const shipped = new URL(`${arg}${ext}`, SHIPPED);
    if (existsSync(shipped)) return { doc: parseDocumentText(readInputText(shipped, option), `topologies/${arg}${ext}`), label: `topologies/${arg}${ext}` };
  }
  return undefined;
}
