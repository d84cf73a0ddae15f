// What each model chunk (virtual pipeline stage) of a training plan holds: the embedding, a run
// of decoder layers, multi-token-prediction layers and the loss. Either the even split
// (transformer.ts, layersOf: layers over pp × vpp chunks, the embedding and the loss counting as
// a layer each with embeddingInSplit) or a layout written as Megatron-Core's
// --pipeline-model-parallel-layout string: virtual stages separated by '|', in order (virtual
// stage k is chunk ⌊k / pp⌋ of pipeline stage k mod pp), each a string of E (embedding),
// t (decoder layer), m (MTP layer) and L (loss); 'x*n' repeats a character and '(…)*n' a group;
// commas are ignored. Example (DeepSeek-V3 on pp 4 × vpp 4): "Et*4|(t*4|)*14tmL".
// Source: Megatron-Core megatron/core/transformer/pipeline_parallel_layer_layout.py
// (parse_str_to_list, validate_layer_layout).
import { failInput } from '../../core/errors.js';

/** One model chunk's contents. */
export interface ChunkContent {
  readonly embedding: boolean;
  readonly loss: boolean;
  /** Index (from 0) of its first decoder layer, and how many it holds. */
  readonly first: number;
  readonly decoder: number;
  /** Multi-token-prediction layers (after every decoder layer of the model). */
  readonly mtp: number;
}

const MAX_LAYOUT_CHARS = 1 << 16;

/** The layout string's virtual stages as strings of E, t, m, L (repetitions unrolled). */
export function parseLayout(text: string): string[] {
  let s = text.replace(/[,\s]/g, '');
  const unroll = (re: RegExp) => {
    s = s.replace(re, (_, body: string, n: string) => {
      if (body.length * Number(n) > MAX_LAYOUT_CHARS) failInput('training.layout', `"${text}" unrolls to more than ${MAX_LAYOUT_CHARS} characters`);
      return body.repeat(Number(n));
    });
  };
  unroll(/\(([^()]+)\)\*(\d+)/g);
  unroll(/([^()|*])\*(\d+)/g);
  const bad = /[^EtmL|]/.exec(s);
  if (bad) failInput('training.layout', `"${text}": unexpected "${bad[0]}"; a layout is stages of E (embedding), t (decoder layer), m (MTP layer) and L (loss) separated by |, with x*n and (…)*n repeats`);
  return s.split('|');
}

/** Per virtual stage, what it holds, from a layout string checked against the model's layers and MTP layers and pp × vpp. */
export function layoutChunks(text: string, layers: number, mtp: number, pp: number, vpp: number): ChunkContent[] {
  const stages = parseLayout(text);
  const all = stages.join('');
  const fail = (msg: string) => failInput('training.layout', `"${text}": ${msg}`);
  if (stages.length !== pp * vpp) fail(`${stages.length} virtual stages, where pp × vpp = ${pp} × ${vpp} = ${pp * vpp}; give one per model chunk`);
  if (all[0] !== 'E' || all.indexOf('E', 1) >= 0) fail('the embedding (E) must come first, once');
  if (all[all.length - 1] !== 'L' || all.indexOf('L') !== all.length - 1) fail('the loss (L) must come last, once');
  const count = (c: string) => all.split(c).length - 1;
  if (count('t') !== layers) fail(`${count('t')} decoder layers (t), where the model has ${layers}`);
  if (count('m') !== mtp) fail(`${count('m')} MTP layers (m), where the plan has mtp: ${mtp}`);
  if (mtp > 0 && all.lastIndexOf('t') > all.indexOf('m')) fail('MTP layers (m) must come after every decoder layer (t)');
  let first = 0;
  return stages.map((st) => {
    const decoder = st.split('t').length - 1;
    const chunk = { embedding: st.includes('E'), loss: st.includes('L'), first, decoder, mtp: st.split('m').length - 1 };
    first += decoder;
    return chunk;
  });
}

/** Per virtual stage, what it holds under the even split (`layersOf`: decoder layers of chunk c on stage s), MTP layers with the loss. */
export function evenChunks(layersOf: (stage: number, c: number) => number, pp: number, vpp: number, mtp: number): ChunkContent[] {
  const out: ChunkContent[] = [];
  let first = 0;
  for (let k = 0; k < pp * vpp; k++) {
    const decoder = layersOf(k % pp, Math.floor(k / pp));
    const last = k === pp * vpp - 1;
    out.push({ embedding: k === 0, loss: last, first, decoder, mtp: last ? mtp : 0 });
    first += decoder;
  }
  return out;
}
