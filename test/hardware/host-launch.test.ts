// The host launch floor of a thread that drives several GPUs (nccl-tests -g).
import { describe, expect, it } from 'vitest';
import { COLLECTIVE_LAUNCH_SEC_PER_GPU, hostLaunchFloorSec } from '../../src/hardware/host-launch.js';

describe('hostLaunchFloorSec', () => {
  it('is one launch per GPU: the slope of nccl-tests issue #123 (10.0 µs at -g 2 to 33.7 µs at -g 8, (33.7 − 10.0) / 6 = 3.95 µs)', () => {
    expect(COLLECTIVE_LAUNCH_SEC_PER_GPU).toBeCloseTo((33.7e-6 - 10.0e-6) / 6, 12);
    expect(hostLaunchFloorSec(1)).toBeCloseTo(3.95e-6, 15);
    expect(hostLaunchFloorSec(8)).toBeCloseTo(31.6e-6, 15);
  });
});
