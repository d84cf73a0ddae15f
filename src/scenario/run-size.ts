// What one graph operation of a run costs in memory, for refusing runs that would not fit
// before they are built (simulate's workloads, collectives on many ranks).

/**
 * Memory one graph operation of a workload run takes, with its events, timeline entries and
 * results: 240 bytes, the most measured (launch-bound-inference.yaml at -i 100000: 2,000,000
 * operations, 538 MB peak, 219 B each above the baseline; gpt3-175b-1024gpu 141 B; Llama 3.1
 * 405B on 16,384 GPUs 122 B).
 */
export const BYTES_PER_OPERATION = 240;
/** The process's own memory before a run: the runtime, the engine, the parsed inputs. */
export const BASELINE_BYTES = 100e6;
