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
  /** Multi-head latent attention (DeepSeek-V2/V3) in place of the Q, K, V projections (mla-kernels.ts). */
  readonly mla?: LatentAttention;
  /** The first `denseLayers` layers of an MoE model have a dense FFN of width `denseFfn` (DeepSeek's first_k_dense_replace). */
  readonly denseLayers?: number;
  readonly denseFfn?: number;
  /** Shared experts every token visits beside its topK routed ones, each an FFN of width `ffn` (DeepSeek's n_shared_experts). */
  readonly sharedExperts?: number;
  /** Sliding-window attention: `windowLayers` of the layers (all without it) let a query see only the `window` keys before it (Mistral, GPT-OSS's alternate layers). */
  readonly window?: number;
  readonly windowLayers?: number;
  readonly source: string;
}

/**
 * Multi-head latent attention (DeepSeek-V2, Liu et al. 2024, section 2.1): queries and keys/values
 * are projected down to a latent of `qLora` (0: queries projected directly) and `kvLora` widths,
 * normed, and projected up per head to `qkNope` + `qkRope` (query/key) and `v` (value) widths; the
 * rotary part of the key (`qkRope` wide) is shared by all heads.
 */
export interface LatentAttention {
  readonly qLora: number;
  readonly kvLora: number;
  readonly qkNope: number;
  readonly qkRope: number;
  readonly v: number;
}

/** The width of one attention head (with latent attention, the query/key width). */
export function headDim(m: TransformerModel): number {
  if (m.mla) return m.mla.qkNope + m.mla.qkRope;
  return m.headDim ?? m.hidden / m.heads;
}

/** The layers with sliding-window attention: windowLayers, all of them where only window is given, none without a window. */
export function windowLayerCount(m: TransformerModel): number {
  return (m.window ?? 0) > 0 ? Math.min(m.layers, m.windowLayers ?? m.layers) : 0;
}

/** The dense-FFN layers of a model: its first denseLayers (all of them without experts). */
export function denseLayerCount(m: TransformerModel): number {
  return m.experts > 1 ? Math.min(m.layers, m.denseLayers ?? 0) : m.layers;
}

/** The model as its dense-FFN layers see it: no experts, FFN width denseFfn. */
export function denseView(m: TransformerModel): TransformerModel {
  return m.experts > 1 ? { ...m, experts: 1, topK: 1, sharedExperts: 0, ffn: m.denseFfn ?? m.ffn } : m;
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
      { name: 'deepseek-v3', layers: 61, hidden: 7168, heads: 128, kvHeads: 128, ffn: 2048, vocab: 129280, ...LLAMA, experts: 256, topK: 8, sharedExperts: 1, denseLayers: 3, denseFfn: 18432, mla: { qLora: 1536, kvLora: 512, qkNope: 128, qkRope: 64, v: 128 }, source: 'DeepSeek-AI 2024 (DeepSeek-V3 technical report, section 4.2) and its config.json: 61 layers, hidden 7168, 128 heads of multi-head latent attention (q_lora_rank 1536, kv_lora_rank 512, qk_nope_head_dim 128, qk_rope_head_dim 64, v_head_dim 128), 256 routed experts (FFN 2048) top-8 and 1 shared expert, the first 3 layers dense (FFN 18432), vocab 129280; its multi-token prediction module runs when the plan asks (mtp)' },
      { name: 'kimi-k2', layers: 61, hidden: 7168, heads: 64, kvHeads: 64, ffn: 2048, vocab: 163840, ...LLAMA, experts: 384, topK: 8, sharedExperts: 1, denseLayers: 1, denseFfn: 18432, mla: { qLora: 1536, kvLora: 512, qkNope: 128, qkRope: 64, v: 128 }, source: 'Moonshot AI 2025 (Kimi K2 technical report, Table 2, against DeepSeek-V3) and Kimi-K2-Instruct config.json: 61 layers (the first dense, FFN 18432), hidden 7168, 64 heads of multi-head latent attention with DeepSeek-V3\'s latent widths, 384 routed experts (FFN 2048) top-8 and 1 shared expert, vocab 163840; 1.04 T parameters' },
      { name: 'gpt-oss-120b', layers: 36, hidden: 2880, heads: 64, kvHeads: 8, headDim: 64, ffn: 2880, vocab: 201088, ...LLAMA, experts: 128, topK: 4, window: 128, windowLayers: 18, source: 'OpenAI gpt-oss-120b config.json: 36 layers, hidden 2880, 64 heads of 64, 8 KV, 128 experts (FFN 2880) top-4; sliding_window 128 on the 18 "sliding_attention" layers of layer_types (every other layer); its attention sinks (one learned logit a head) are not costed' },
    ] as Shape[]
  ).map((m) => [m.name, { rope: true, dropout: false, ...m }]),
);
