// Which layers each pipeline stage and model chunk holds, by kind: under the even split (the
// layers, with the embedding and the loss counting as one each under embeddingInSplit, over
// pp × vpp equal chunks) or a Megatron layout (pipeline-layout.ts); the dense first layers of an
// MoE model and MTP layers apart from the model's own kind; and the parameters a rank keeps for
// a stage's layers.
import { expertLayout } from './expert-layout.js';
import { layerShape } from './model-flops.js';
import { denseLayerCount, denseView, type TransformerModel } from './models.js';
import { evenChunks, layoutChunks, type ChunkContent } from './pipeline-layout.js';
import type { TrainingPlan } from './transformer.js';

/** A pipeline stage's (or chunk's) layers by kind: the dense-FFN layers of an MoE model, the model's own kind (MoE layers, or every layer of a dense model), MTP layers. */
export interface StageMix {
  readonly dense: number;
  readonly typical: number;
  readonly mtp: number;
}

/** Whether the stages' layers differ from the even split of one kind of layer: a layout, MTP layers or dense layers in an MoE model. */
export function heterogeneous(m: TransformerModel, p: TrainingPlan): boolean {
  return p.layout !== '' || p.mtp > 0 || (m.experts > 1 && denseLayerCount(m) > 0);
}

/** Per virtual stage (k = c·pp + stage), what it holds: the plan's layout, or the even split with MTP layers beside the loss. */
export function planChunks(m: TransformerModel, p: TrainingPlan): ChunkContent[] {
  return p.layout ? layoutChunks(p.layout, m.layers, p.mtp, p.pp, p.vpp) : evenChunks((stage, c) => layersOf(m, p, stage, c), p.pp, p.vpp, p.mtp);
}

/** The kinds of layers in one chunk: its decoder layers below the model's dense count are dense. */
export function chunkMix(m: TransformerModel, chunk: ChunkContent): StageMix {
  const dense = m.experts > 1 ? Math.max(0, Math.min(chunk.first + chunk.decoder, denseLayerCount(m)) - chunk.first) : 0;
  return { dense, typical: chunk.decoder - dense, mtp: chunk.mtp };
}

/** The kinds of layers on pipeline stage `stage` (its chunks together). */
export function stageMix(m: TransformerModel, p: TrainingPlan, chunks: readonly ChunkContent[], stage: number): StageMix {
  let dense = 0, typical = 0, mtp = 0;
  for (let c = 0; c < p.vpp; c++) {
    const x = chunkMix(m, chunks[c * p.pp + stage]);
    (dense += x.dense), (typical += x.typical), (mtp += x.mtp);
  }
  return { dense, typical, mtp };
}

/** Parameters one rank holds for a stage's layers (embedding left out), and of them the expert ones (0 without ep > 1). MTP layers: a layer of the model's last kind and the projection [2h → h]. */
export function stageParamsPerRank(m: TransformerModel, p: TrainingPlan, mix: StageMix): { params: number; experts: number } {
  const s = layerShape(m, p);
  const { etp } = expertLayout(p);
  const moeModel = m.experts > 1;
  const denseShape = layerShape(denseView(m), p);
  const denseLayer = (denseShape.attentionParams + denseShape.expertParams) / p.tp;
  const expertsPerLayer = moeModel ? ((m.experts / p.ep) * s.expertParams) / etp : 0;
  const typical = moeModel ? (s.attentionParams + s.sharedParams) / p.tp + expertsPerLayer : denseLayer;
  const mtpLayer = typical + (2 * m.hidden * m.hidden) / p.tp;
  return { params: mix.dense * denseLayer + mix.typical * typical + mix.mtp * mtpLayer, experts: p.ep > 1 ? (mix.typical + mix.mtp) * expertsPerLayer : 0 };
}

/** The layer count the pipeline split divides: the transformer layers, plus the embedding and the loss when they count. */
export function splitLayers(m: TransformerModel, p: TrainingPlan): number {
  return m.layers + (p.embeddingInSplit ? 2 : 0);
}

export function describeSplit(m: TransformerModel, p: TrainingPlan): string {
  return p.embeddingInSplit ? `${m.layers} layers + the embedding and the loss` : `${m.layers} layers`;
}

/** Transformer layers of chunk c (of vpp) on stage s: the nominal chunk, less the embedding on the first virtual stage and the loss on the last when they count. */
export function layersOf(m: TransformerModel, p: TrainingPlan, stage: number, c: number): number {
  const n = splitLayers(m, p) / (p.pp * p.vpp);
  if (!p.embeddingInSplit) return n;
  return n - (stage === 0 && c === 0 ? 1 : 0) - (stage === p.pp - 1 && c === p.vpp - 1 ? 1 : 0);
}
