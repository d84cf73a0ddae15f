// A flow problem in memory: links (bandwidth, latency) and flows (route, size, start), compact
// (typed arrays, routes flattened) so that a million flows fit comfortably. io/flow-problem.ts
// reads it from a file; flow-replay.ts runs it.

export interface FlowProblem {
  readonly linkIds: readonly string[];
  readonly linkBandwidth: Float64Array;
  readonly linkLatency: Float64Array;
  readonly flowIds: readonly string[];
  /** Flow f's route is routeLinks[routeStart[f] .. routeStart[f+1]). */
  readonly routeStart: Int32Array;
  readonly routeLinks: Int32Array;
  readonly flowSize: Float64Array;
  readonly flowStart: Float64Array;
}
