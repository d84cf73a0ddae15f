// Transformer model shapes for the training-step generator. Shapes from the models' papers
// and released configurations (cited per entry).

export interface TransformerModel {
  readonly name: string;
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  /** Key/value heads (grouped-query attention); = heads for multi-head attention. */
  readonly kvHeads: number;
  /** FFN inner size (per expert). */
  readonly ffn: number;
  readonly vocab: number;
  /** SwiGLU-style FFN with three matrices instead of two. */
  readonly gated: boolean;
  /** Experts per MoE layer (1: dense) and experts each token visits. */
  readonly experts: number;
  readonly topK: number;
  readonly source: string;
}

export const MODELS: ReadonlyMap<string, TransformerModel> = new Map(
  (
    [
      { name: 'gpt3-175b', layers: 96, hidden: 12288, heads: 96, kvHeads: 96, ffn: 49152, vocab: 51200, gated: false, experts: 1, topK: 1, source: 'Brown et al. 2020 (GPT-3), Table 2.1; Narayanan et al. 2021 (Megatron-LM) vocab padding' },
      { name: 'llama3-70b', layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, vocab: 128256, gated: true, experts: 1, topK: 1, source: 'Meta Llama 3 70B config (Dubey et al. 2024, Table 3)' },
      { name: 'llama2-13b', layers: 40, hidden: 5120, heads: 40, kvHeads: 40, ffn: 13824, vocab: 32000, gated: true, experts: 1, topK: 1, source: 'Touvron et al. 2023 (Llama 2), 13B config' },
      { name: 'mixtral-8x7b', layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, vocab: 32000, gated: true, experts: 8, topK: 2, source: 'Jiang et al. 2024 (Mixtral of Experts), 8 experts, top-2' },
      { name: 'gpt-1.3b', layers: 24, hidden: 2048, heads: 16, kvHeads: 16, ffn: 8192, vocab: 51200, gated: false, experts: 1, topK: 1, source: 'GPT-3 XL shape (Brown et al. 2020, Table 2.1)' },
    ] as TransformerModel[]
  ).map((m) => [m.name, m]),
);
