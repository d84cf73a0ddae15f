// What one NVLink hop of an NCCL collective step costs on a GPU beyond the NVLink figure of
// NCCL's tuning table (hwLat[NVLINK], 0.6 µs for a ring/LL or tree/LL step, the same table for
// every GPU generation). NCCL's tuner keeps using its table to choose; the simulated step pays
// the device's own hop.
//
// Blackwell (B200, GB200; B300 and GB300 by the same two-die design and NVLink 5) measures about
// 0.63 µs more per hop. In four families of published curves, from three clusters and three NCCL
// releases, a latency-bound size takes longer than the table predicts by a fixed amount per hop
// of the algorithm:
//   - 8 B200, NCCL 2.28.9, one process a GPU (test/fixtures/published/
//     amp-cluster-quality-vultr-b200-1x8-collectives.yaml), 128 B–1 KiB: all_gather and
//     reduce_scatter (ring/LL, 7 hops) 16.1–16.4 µs against 10.8–10.9, 0.76 µs a hop; all_reduce
//     (14 hops) 24.6–25.5 against 15.0–15.2, 0.71 a hop;
//   - 2 × 8 B200, NCCL 2.26.2 (dstack-lambda-2x8-b200.yaml), all_reduce 16–256 B by NCCL's tree
//     (2 × 7 NVLink hops): 35.5–37.4 µs against 27.5–28.2, 0.58 a hop;
//   - 2 × 8 B200, NCCL 2.28.9 (amp-cluster-quality-vultr-b200-2x8-collectives.yaml), the same:
//     0.55 a hop;
//   - 128 GB200 over two NVL72 racks, NCCL 2.29.2 (oci-hpc-oke-gb200-2rack.yaml), all_reduce
//     8 B–1 KiB by a tree of two 64-GPU NVLink chains (2 × 63 hops): 184–197 µs against 97–111,
//     0.68 a hop.
// The median of the four, 0.63 µs, is the constant. On Hopper the table holds: one DGX H100
// (nvidia-dgxc-benchmarking-dgx-h100.yaml) measures 13.7–16.9 µs for 8 B–1 KiB against the
// table's 15.0–15.2, and two DGX H100 nodes' tree 25–30 µs against 27.5.
// Point-to-point (alltoall, sendrecv) keeps its own measured costs (collective/nccl-p2p.ts).

/** Extra latency, seconds, of one NVLink hop of an NCCL collective step between two of these GPUs. */
export const BLACKWELL_NVLINK_HOP_EXTRA_SEC = 0.63e-6;
