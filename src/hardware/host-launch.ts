// The host side of launching a collective: one thread that drives G GPUs (nccl-tests' -g G, a
// single-process job) enqueues and launches one kernel per GPU for every operation, so
// back-to-back operations cannot repeat faster than G launches. With one process per GPU
// (MPI, torchrun: -g 1) the floor is one launch, below any kernel's own time.
//
// Source: NVIDIA/nccl-tests issue #123 (2022-12-14): ring all-reduce of 8-128 B on one
// DGX A100, one process with -g 2 … 8 and one channel, measured 10.0, 13.8, 16.9, 20.8, 25.2,
// 29.5, 33.7 µs: +3.95 µs for every GPU the thread adds, where NCCL's ring/LL model adds
// 1.2 µs (two NVLink hops of 0.6 µs). The slope is the launch; the GPU side stays below it.

/** Host seconds to enqueue and launch one NCCL kernel on one GPU (per operation, per GPU the thread drives). */
export const COLLECTIVE_LAUNCH_SEC_PER_GPU = 3.95e-6;

/** The least time between back-to-back operations when one thread launches `gpusPerThread` GPUs. */
export function hostLaunchFloorSec(gpusPerThread: number): number {
  return gpusPerThread * COLLECTIVE_LAUNCH_SEC_PER_GPU;
}
