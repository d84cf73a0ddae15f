// Stress points by resource class (src/report/stress-points.ts): links by their type, other
// resources by kind, the most utilized few of each class in the reports' class order.
import { describe, expect, test } from 'vitest';
import { byResourceClass, resourceClass, type StressPoint } from '../../src/report/stress-points.js';

const link = (resource: string, linkType: StressPoint['linkType'], utilization: number): StressPoint => ({ resource, kind: 'link', linkType, utilization });

describe('stress points by resource class', () => {
  test('a link is classed by its type, other resources by their kind', () => {
    expect(resourceClass(link('nic → leaf', 'infiniband', 0))).toBe('network links');
    expect(resourceClass(link('nic → tor', 'ethernet', 0))).toBe('network links');
    expect(resourceClass(link('acc → nvswitch', 'nvlink', 0))).toBe('scale-up links');
    expect(resourceClass(link('acc → pcie', 'pcie', 0))).toBe('PCIe');
    expect(resourceClass(link('cpu → dram', 'memory', 0))).toBe('memory and chip links');
    expect(resourceClass({ resource: 'acc0 HBM', kind: 'hbm', utilization: 0 })).toBe('HBM');
    expect(resourceClass({ resource: 'leaf0', kind: 'switch', utilization: 0 })).toBe('switches');
  });

  test('the most utilized of each class, classes in report order, ties by name', () => {
    const points: StressPoint[] = [
      { resource: 'acc1 math', kind: 'math', utilization: 0.9 },
      { resource: 'acc0 math', kind: 'math', utilization: 0.9 },
      { resource: 'acc2 math', kind: 'math', utilization: 0.8 },
      { resource: 'acc3 math', kind: 'math', utilization: 0.95 },
      link('nic0 → leaf0', 'infiniband', 0.1),
      link('acc0 → nvswitch', 'nvlink', 0.4),
    ];
    expect(byResourceClass(points, 2).map((p) => p.resource)).toEqual(['nic0 → leaf0', 'acc0 → nvswitch', 'acc3 math', 'acc0 math']);
    expect(byResourceClass(points).map((p) => p.resource)).toEqual(['nic0 → leaf0', 'acc0 → nvswitch', 'acc3 math', 'acc0 math', 'acc1 math']);
  });
});
