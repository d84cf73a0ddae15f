// Transformer model shapes for the training-step generator. Shapes from the models' papers
// and released configurations (cited per entry).

export interface TransformerModel {
  readonly name: string;
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  /** Key/value heads (grouped-query attention); = heads for multi-head attention. */
  readonly kvHeads: number;
  /** Width of one attention head; hidden / heads unless the model says otherwise (Qwen3, GPT-OSS). */
  readonly headDim?: number;
  /** FFN inner size (per expert). */
  readonly ffn: number;
  readonly vocab: number;
  /** SwiGLU-style FFN with three matrices instead of two. */
  readonly gated: boolean;
  /** Experts per MoE layer (1: dense) and experts each token visits. */
  readonly experts: number;
  readonly topK: number;
  /** Rotary position embeddings (a kernel on Q and K per layer); false for learned or ALiBi positions. */
  readonly rope: boolean;
  /** Hidden dropout after attention and MLP (a mask byte per element in the residual kernels). */
  readonly dropout: boolean;
  readonly source: string;
}

/** The width of one attention head. */
export function headDim(m: TransformerModel): number {
  return m.headDim ?? m.hidden / m.heads;
}

type Shape = Omit<TransformerModel, 'rope' | 'dropout'> & { rope?: boolean; dropout?: boolean };
const LLAMA = { gated: true, experts: 1, topK: 1, rope: true, dropout: false };
const GPT = { gated: false, experts: 1, topK: 1, rope: false, dropout: true };

export const MODELS: ReadonlyMap<string, TransformerModel> = new Map(
  (
    [
      { name: 'gpt3-175b', layers: 96, hidden: 12288, heads: 96, kvHeads: 96, ffn: 49152, vocab: 51200, ...GPT, source: 'Brown et al. 2020 (GPT-3), Table 2.1; Narayanan et al. 2021 (Megatron-LM) vocab padding; learned positions, dropout 0.1' },
      { name: 'gpt3-20b', layers: 44, hidden: 6144, heads: 48, kvHeads: 48, ffn: 24576, vocab: 50304, ...GPT, source: 'NeMo gpt3 20B training config (44 layers, hidden 6144, 48 heads, FFN 4h, learned positions, dropout 0.1)' },
      { name: 'gpt3-5b', layers: 24, hidden: 4096, heads: 32, kvHeads: 32, ffn: 16384, vocab: 50304, ...GPT, source: 'NeMo gpt3 5B training config (24 layers, hidden 4096, 32 heads, FFN 4h, learned positions, dropout 0.1)' },
      { name: 'gpt-1.3b', layers: 24, hidden: 2048, heads: 16, kvHeads: 16, ffn: 8192, vocab: 51200, ...GPT, source: 'GPT-3 XL shape (Brown et al. 2020, Table 2.1)' },
      { name: 'llama2-7b', layers: 32, hidden: 4096, heads: 32, kvHeads: 32, ffn: 11008, vocab: 32000, ...LLAMA, source: 'Touvron et al. 2023 (Llama 2), 7B config' },
      { name: 'llama2-13b', layers: 40, hidden: 5120, heads: 40, kvHeads: 40, ffn: 13824, vocab: 32000, ...LLAMA, source: 'Touvron et al. 2023 (Llama 2), 13B config' },
      { name: 'llama2-70b', layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, vocab: 32000, ...LLAMA, source: 'Touvron et al. 2023 (Llama 2), 70B config (GQA, 8 KV heads)' },
      { name: 'llama3.2-1b', layers: 16, hidden: 2048, heads: 32, kvHeads: 8, ffn: 8192, vocab: 128256, ...LLAMA, source: 'Meta Llama-3.2-1B config.json: 16 layers, hidden 2048, 32 heads of 64, 8 KV heads, FFN 8192; its input embedding is tied to the LM head, which fairway counts twice in memory (525 MB more) but reads once a step, as the model does' },
      { name: 'llama3-8b', layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, vocab: 128256, ...LLAMA, source: 'Meta Llama 3 8B config (Dubey et al. 2024, Table 3)' },
      { name: 'llama3-70b', layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, vocab: 128256, ...LLAMA, source: 'Meta Llama 3 70B config (Dubey et al. 2024, Table 3)' },
      { name: 'llama3.1-405b', layers: 126, hidden: 16384, heads: 128, kvHeads: 8, ffn: 53248, vocab: 128256, ...LLAMA, source: 'Meta Llama 3.1 405B config (Dubey et al. 2024, Table 3)' },
      { name: 'nemotron4-15b', layers: 32, hidden: 6144, heads: 48, kvHeads: 8, ffn: 24576, vocab: 256000, ...GPT, rope: true, dropout: false, source: 'Parmar et al. 2024 (Nemotron-4 15B), Table 1: squared-ReLU (ungated) FFN, GQA 8, rotary' },
      { name: 'nemotron4-340b', layers: 96, hidden: 18432, heads: 96, kvHeads: 8, ffn: 73728, vocab: 256000, ...GPT, rope: true, dropout: false, source: 'NVIDIA 2024 (Nemotron-4 340B technical report), Table 1: squared-ReLU FFN, GQA 8, rotary' },
      { name: 'mixtral-8x7b', layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, vocab: 32000, ...LLAMA, experts: 8, topK: 2, source: 'Jiang et al. 2024 (Mixtral of Experts), 8 experts, top-2' },
      { name: 'mixtral-8x22b', layers: 56, hidden: 6144, heads: 48, kvHeads: 8, ffn: 16384, vocab: 32768, ...LLAMA, experts: 8, topK: 2, source: 'Mistral AI, Mixtral-8x22B-v0.1 config.json: 56 layers, hidden 6144, 48 heads, 8 KV, FFN 16384, 8 experts top-2' },
      { name: 'qwen3-30b-a3b', layers: 48, hidden: 2048, heads: 32, kvHeads: 4, headDim: 128, ffn: 768, vocab: 151936, ...LLAMA, experts: 128, topK: 8, source: 'Qwen3-30B-A3B config.json: 48 layers, hidden 2048, 32 heads of 128, 4 KV, 128 experts (FFN 768) top-8' },
      { name: 'qwen3-235b-a22b', layers: 94, hidden: 4096, heads: 64, kvHeads: 4, headDim: 128, ffn: 1536, vocab: 151936, ...LLAMA, experts: 128, topK: 8, source: 'Qwen3-235B-A22B config.json: 94 layers, hidden 4096, 64 heads of 128, 4 KV, 128 experts (FFN 1536) top-8' },
      { name: 'gpt-oss-120b', layers: 36, hidden: 2880, heads: 64, kvHeads: 8, headDim: 64, ffn: 2880, vocab: 201088, ...LLAMA, experts: 128, topK: 4, source: 'OpenAI gpt-oss-120b config.json: 36 layers, hidden 2880, 64 heads of 64, 8 KV, 128 experts (FFN 2880) top-4; its alternating 128-token sliding-window layers are costed as full attention' },
    ] as Shape[]
  ).map((m) => [m.name, { rope: true, dropout: false, ...m }]),
);
