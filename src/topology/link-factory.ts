// Turns catalogue link specs into graph links, applying calibration: effective bandwidth =
// (override line rate ?? spec line rate × width) × (override efficiency ?? spec efficiency).
// Overrides by catalogue name win over overrides by link type.
import type { LinkSpec } from '../hardware/types.js';
import type { Topology } from './graph.js';
import type { LinkOverride } from './spec.js';

export class LinkFactory {
  constructor(
    private readonly topo: Topology,
    private readonly calibration: Record<string, LinkOverride>,
  ) {}

  /** Adds one link between a and b; `lineBytesPerSec` replaces the spec's line rate when given. */
  connect(a: number, b: number, spec: LinkSpec, tier: string, lineBytesPerSec?: number): number {
    const byName = this.calibration[spec.name] ?? {};
    const byType = this.calibration[spec.type] ?? {};
    const line = lineBytesPerSec ?? byName.lineBytesPerSec ?? byType.lineBytesPerSec ?? spec.lineBytesPerSec;
    const efficiency = byName.efficiency ?? byType.efficiency ?? spec.efficiency;
    const latencySec = byName.latencySec ?? byType.latencySec ?? spec.latencySec;
    return this.topo.addLink(a, b, { type: spec.type, spec: spec.name, bytesPerSec: line * efficiency, lineBytesPerSec: line, latencySec, tier });
  }
}
