// The `--model` argument of `simulate` and `workload gen`: a catalogue name, a shape given
// inline as key=value, or a model file read from disk (so not in the browser entry, which takes
// the training section's model as a name or a shape document).
import { FairwayError } from '../core/errors.js';
import { isDoc, type Doc } from './fields.js';
import { readInputText } from './read-text.js';
import { parseDocumentText } from './topology-file.js';
import { SHAPE_FIELDS } from './training-section.js';

/**
 * The `--model` argument as the training section's `model`: a catalogue name; a shape
 * `layers=80,hidden=8192,heads=64,kvHeads=8,ffn=28672,vocab=128256,gated` (a bare key is
 * true); or a model file (`.yaml`, `.yml`, `.json`) holding such a shape.
 */
export function modelArgument(text: string, option: string): string | Doc {
  if (/\.(ya?ml|json)$/i.test(text)) {
    const doc = parseDocumentText(readInputText(text, option), text);
    if (!isDoc(doc)) throw new FairwayError('E_INPUT', `${option}: ${text} must hold a model shape such as {layers: 32, hidden: 4096, heads: 32, ffn: 14336, vocab: 128256}`, [{ path: option, message: 'not a shape' }]);
    return doc;
  }
  if (!text.includes('=')) return text;
  const out: Doc = {};
  for (const part of text.split(',').map((x) => x.trim()).filter(Boolean)) {
    const [k, v] = part.split('=', 2);
    if (!SHAPE_FIELDS.includes(k)) throw new FairwayError('E_INPUT', `${option}: unknown shape field "${k}"; use ${SHAPE_FIELDS.join(', ')}`, [{ path: option, message: `unknown shape field ${k}` }]);
    out[k] = v === undefined ? true : v === 'true' ? true : v === 'false' ? false : Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return out;
}
