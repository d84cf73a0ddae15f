#!/usr/bin/env python3
# Ground truth for fairway's cost models, measured on one GPU in one short run (about 3 minutes
# of GPU time on an H100; `--quick` about 1): what the catalogue now takes from published
# figures or derives (src/hardware/gemm-efficiency.ts, attention-efficiency.ts,
# kernel-efficiency.ts, kernel-boundary.ts, host-launch.ts, links.ts), measured directly.
#
#   python3 bench/device/kernels.py --out $OUT/measured.json        (on the device machine)
#   python3 bench/device/kernels.py --cpu --quick --out /tmp/m.json  (dry run of the logic, no GPU)
#
# Sections (each one's failure is recorded and the others still run):
#   device     the GPU, its SMs and clocks, driver, CUDA and PyTorch versions
#   hbm        a large copy, fill and sum: the HBM rate a streaming kernel reaches
#   elementwise  y = a·x + b over 2^16 .. 2^28 elements (BF16): GB/s by size, the small-kernel fall-off
#   gemm       C = A·B, BF16 and FP8 (torch._scaled_mm, per-tensor scales), the layer shapes of the
#              published training fixtures (Llama 3 8B/70B, GPT-3, Qwen3-30B-A3B, GPT-OSS-120B)
#              at 4 K - 16 K tokens, and decode batches of 1 - 512 tokens: TFLOP/s and operand GB/s
#   sustained  one large BF16 GEMM back to back for `--sustain` seconds: TFLOP/s in the first
#              half second and in the last two seconds (power-limited), their ratio
#   grouped    an MoE rank's experts as E GEMMs of `rows` rows: one stream, 4 streams round-robin
#              (Transformer Engine's multi-stream grouped GEMM), and one GEMM of E·rows rows
#   attention  causal scaled_dot_product_attention (flash backend), forward and forward+backward,
#              head dim 64/128, sequence 2 K - 8 K: TFLOP/s with causal FLOPs
#   launch     host time to enqueue a tiny kernel (eager), GPU time per back-to-back tiny kernel,
#              the same inside a CUDA graph, and a device-to-host sync round trip (.item())
#   pcie       host <-> device copies, pinned and pageable, one way and both at once
#   moe_host   an MoE layer forward written as eager PyTorch the way Megatron's all-to-all
#              dispatcher runs it on one rank (router, top-k, a device-to-host sync for the
#              token counts, permute, one GEMM pair per local expert, unpermute): wall time and
#              GPU busy time by tokens, with a kernel count; and forward + backward wall time
# Output: one JSON document (schema fairway.device-measure/1), and a summary on stdout. Commit the
# JSON under test/fixtures/measured/ with the device and date in its name.
import argparse
import json
import math
import platform
import sys
import time
import traceback


def parse_args():
    p = argparse.ArgumentParser(description="fairway: measure GEMM, attention, memory-bound, launch and copy costs on one GPU")
    p.add_argument("--out", required=True, help="JSON file to write")
    p.add_argument("--cpu", action="store_true", help="dry run on the CPU (tiny sizes, wall-clock timers): checks the script, measures nothing useful")
    p.add_argument("--quick", action="store_true", help="fewer shapes and shorter runs (about a minute of GPU time)")
    p.add_argument("--sustain", type=float, default=8.0, help="seconds of back-to-back GEMMs for the sustained rate (default 8)")
    p.add_argument("--only", default="", help="comma-separated sections to run (default: all)")
    return p.parse_args()


ARGS = parse_args()
import torch  # noqa: E402  (after argparse, so --help works without torch)

DEV = torch.device("cpu" if ARGS.cpu else "cuda")
CUDA = DEV.type == "cuda"
SCALE = 1 / 64 if ARGS.cpu else 1.0  # the CPU dry run shrinks every size


def sync():
    if CUDA:
        torch.cuda.synchronize()


def gpu_seconds(fn, iters, warmup=3):
    """Seconds per call of fn, timed on the GPU (CUDA events around `iters` back-to-back calls)."""
    for _ in range(warmup):
        fn()
    sync()
    if CUDA:
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(iters):
            fn()
        end.record()
        end.synchronize()
        return start.elapsed_time(end) / 1e3 / iters
    t0 = time.perf_counter()
    for _ in range(iters):
        fn()
    return (time.perf_counter() - t0) / iters


def iters_for(fn, budget=0.25):
    """Iterations that take about `budget` seconds (at least 3)."""
    one = gpu_seconds(fn, 1, warmup=1)
    return max(3, min(2000, int(budget / max(one, 1e-6))))


def timed(fn, budget=0.25):
    return gpu_seconds(fn, iters_for(fn, budget))


def n(x):
    """A size scaled for the CPU dry run (at least 16, a multiple of 16)."""
    return max(16, int(x * SCALE) // 16 * 16)


def dim(x):
    """A GEMM dimension: as given on the GPU (decode batches of 1 included), scaled on the CPU."""
    return x if CUDA else n(x)


# ---------------------------------------------------------------------------------------------
def section_device():
    out = {"torch": torch.__version__, "python": platform.python_version(), "cuda_available": torch.cuda.is_available()}
    if CUDA:
        p = torch.cuda.get_device_properties(0)
        out.update(
            name=p.name,
            sms=p.multi_processor_count,
            memory_bytes=p.total_memory,
            capability=f"{p.major}.{p.minor}",
            cuda=torch.version.cuda,
            cudnn=torch.backends.cudnn.version(),
        )
        try:
            import subprocess

            q = "name,driver_version,clocks.max.sm,clocks.max.mem,power.limit,pcie.link.gen.max,pcie.link.width.max"
            out["nvidia_smi"] = subprocess.run(["nvidia-smi", f"--query-gpu={q}", "--format=csv,noheader"], capture_output=True, text=True, timeout=20).stdout.strip()
        except Exception as e:  # nvidia-smi missing: keep going
            out["nvidia_smi"] = f"unavailable: {e}"
    return out


def section_hbm():
    elems = n(1 << 30)  # 2 GiB of BF16
    x = torch.empty(elems, dtype=torch.bfloat16, device=DEV).normal_()
    y = torch.empty_like(x)
    b = x.numel() * x.element_size()
    copy = timed(lambda: y.copy_(x), 0.5)
    fill = timed(lambda: y.fill_(1.0), 0.5)
    total = timed(lambda: x.sum(dtype=torch.float32), 0.5)
    return {
        "bytes": b,
        "copy_GBps": 2 * b / copy / 1e9,  # read and write
        "fill_GBps": b / fill / 1e9,
        "sum_GBps": b / total / 1e9,
    }


def section_elementwise():
    rows = []
    for lg in range(16, 29, 2):
        e = n(1 << lg)
        x = torch.randn(e, dtype=torch.bfloat16, device=DEV)
        y = torch.empty_like(x)
        s = timed(lambda: torch.add(x, 1.0, alpha=2.0, out=y), 0.15)
        rows.append({"elements": e, "bytes": 4 * e, "us": s * 1e6, "GBps": 4 * e / s / 1e9})
    return rows


def gemm_shapes():
    """(name, M, N, K): the fixtures' layer GEMMs on one rank (tokens × out × in)."""
    t = [4096, 16384] if ARGS.quick else [4096, 8192, 16384]
    shapes = []
    for tok in t:
        shapes += [
            (f"llama3-8b qkv t{tok}", tok, 6144, 4096),
            (f"llama3-8b fc1 t{tok}", tok, 28672, 4096),
            (f"llama3-8b fc2 t{tok}", tok, 4096, 14336),
            (f"llama3-70b tp4 qkv t{tok}", tok, 2560, 8192),
            (f"llama3-70b tp4 fc1 t{tok}", tok, 14336, 8192),
            (f"llama3-70b tp4 fc2 t{tok}", tok, 8192, 7168),
            (f"gpt3-175b tp8 fc1 t{tok}", tok, 6144, 12288),
            (f"wgrad llama3-8b fc1 t{tok}", 4096, 28672, tok),
        ]
    # MoE experts: rows per expert as the fixtures' plans give them
    for rows in [512, 2048, 8192]:
        shapes += [(f"qwen3-30b expert fc1 r{rows}", rows, 1536, 2048), (f"qwen3-30b expert fc2 r{rows}", rows, 2048, 768)]
        shapes += [(f"gpt-oss-120b expert fc1 r{rows}", rows, 5760, 2880), (f"gpt-oss-120b expert fc2 r{rows}", rows, 2880, 2880)]
    # decode (serving): a batch of B tokens against the weights, memory-bound for small B
    for b in ([1, 32, 256] if ARGS.quick else [1, 8, 32, 128, 512]):
        shapes += [(f"decode llama3-8b fc1 b{b}", b, 28672, 4096), (f"decode llama3-8b fc2 b{b}", b, 4096, 14336)]
        shapes += [(f"decode llama3-70b tp8 fc1 b{b}", b, 7168, 8192), (f"decode llama3-70b tp8 qkv b{b}", b, 1280, 8192)]
    return shapes


def fp8_matmul():
    """A callable (a, b_t, sa, sb) -> bf16 product, or None where FP8 GEMMs are unavailable."""
    if not CUDA or not hasattr(torch, "_scaled_mm") or not hasattr(torch, "float8_e4m3fn"):
        return None
    if torch.cuda.get_device_capability(0) < (8, 9):
        return None

    def mm(a, bt, sa, sb):
        r = torch._scaled_mm(a, bt, scale_a=sa, scale_b=sb, out_dtype=torch.bfloat16)
        return r[0] if isinstance(r, tuple) else r  # torch < 2.4 returned (out, amax)

    return mm


def section_gemm():
    rows = []
    mm8 = fp8_matmul()
    for name, M, N, K in gemm_shapes():
        M, N, K = dim(M), dim(N), dim(K)
        a = torch.randn(M, K, dtype=torch.bfloat16, device=DEV)
        b = torch.randn(K, N, dtype=torch.bfloat16, device=DEV)
        flops = 2 * M * N * K
        row = {"name": name, "M": M, "N": N, "K": K}
        s = timed(lambda: a @ b, 0.2)
        row["bf16_us"], row["bf16_TFLOPs"] = s * 1e6, flops / s / 1e12
        row["bf16_operand_GBps"] = 2 * (M * K + K * N + M * N) / s / 1e9  # A and B read, C written once
        if mm8 is not None:
            try:
                a8 = a.to(torch.float8_e4m3fn)
                b8t = b.t().contiguous().to(torch.float8_e4m3fn).t()  # column-major B, as _scaled_mm needs
                one = torch.ones((), dtype=torch.float32, device=DEV)
                s8 = timed(lambda: mm8(a8, b8t, one, one), 0.2)
                row["fp8_us"], row["fp8_TFLOPs"] = s8 * 1e6, flops / s8 / 1e12
            except Exception as e:
                row["fp8_error"] = str(e).splitlines()[0][:200]
        rows.append(row)
        del a, b
    return rows


def section_sustained():
    M = N = K = n(8192)
    a = torch.randn(M, K, dtype=torch.bfloat16, device=DEV)
    b = torch.randn(K, N, dtype=torch.bfloat16, device=DEV)
    flops = 2 * M * N * K
    one = gpu_seconds(lambda: a @ b, 3)
    batch = max(1, int(0.1 / max(one, 1e-6)))  # ~0.1 s of GEMMs between samples
    samples = []
    t_end = time.perf_counter() + (1.0 if ARGS.cpu else ARGS.sustain)
    t0 = time.perf_counter()
    while time.perf_counter() < t_end:
        s = gpu_seconds(lambda: a @ b, batch, warmup=0)
        samples.append({"t": time.perf_counter() - t0, "TFLOPs": flops / s / 1e12})
    first = [x["TFLOPs"] for x in samples if x["t"] <= 0.5] or [samples[0]["TFLOPs"]]
    last = [x["TFLOPs"] for x in samples if x["t"] >= samples[-1]["t"] - 2.0]
    burst, steady = max(first), sum(last) / len(last)
    return {"shape": [M, N, K], "burst_TFLOPs": burst, "sustained_TFLOPs": steady, "sustained_over_burst": steady / burst, "samples": samples}


def section_grouped():
    rows = []
    streams = [torch.cuda.Stream() for _ in range(4)] if CUDA else []
    for name, E, r, N, K in [
        ("qwen3-30b fc1", 16, 2048, 1536, 2048),
        ("qwen3-30b fc1", 16, 8192, 1536, 2048),
        ("gpt-oss-120b fc1", 16, 4096, 5760, 2880),
        ("qwen3-235b fc1", 16, 1024, 3072, 4096),
    ]:
        r, N, K = n(r), n(N), n(K)
        xs = [torch.randn(r, K, dtype=torch.bfloat16, device=DEV) for _ in range(E)]
        ws = [torch.randn(K, N, dtype=torch.bfloat16, device=DEV) for _ in range(E)]
        big = torch.randn(E * r, K, dtype=torch.bfloat16, device=DEV)
        flops = 2 * E * r * N * K

        def one_stream():
            for x, w in zip(xs, ws):
                x @ w

        def four_streams():
            if not CUDA:
                return one_stream()
            cur = torch.cuda.current_stream()
            for s in streams:
                s.wait_stream(cur)
            for i, (x, w) in enumerate(zip(xs, ws)):
                with torch.cuda.stream(streams[i % 4]):
                    x @ w
            for s in streams:
                cur.wait_stream(s)

        row = {"name": name, "experts": E, "rows": r, "N": N, "K": K}
        for label, fn in [("one_stream", one_stream), ("four_streams", four_streams), ("one_gemm", lambda: big @ ws[0])]:
            s = timed(fn, 0.25)
            row[f"{label}_us"], row[f"{label}_TFLOPs"] = s * 1e6, flops / s / 1e12
        rows.append(row)
    return rows


def section_attention():
    import torch.nn.functional as F

    rows = []
    configs = [(64, 64), (32, 128), (64, 128)] if not ARGS.quick else [(32, 128)]
    seqs = [2048, 4096, 8192] if not ARGS.quick else [4096]
    for heads, d in configs:
        for s in seqs:
            s_ = n(s)
            b = max(1, (16384 // s))  # about 16 K tokens
            q, k, v = (torch.randn(b, heads, s_, d, dtype=torch.bfloat16, device=DEV, requires_grad=True) for _ in range(3))
            fwd_flops = 4 * b * heads * s_ * s_ * d / 2  # QK^T and PV, causal half
            row = {"batch": b, "heads": heads, "head_dim": d, "seq": s_}
            try:
                ctx = torch.nn.attention.sdpa_kernel(torch.nn.attention.SDPBackend.FLASH_ATTENTION) if CUDA and hasattr(torch.nn, "attention") else None
                if ctx is not None:
                    ctx.__enter__()
                f = timed(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=True), 0.2)
                g = torch.randn(b, heads, s_, d, dtype=torch.bfloat16, device=DEV)

                def fb():
                    o = F.scaled_dot_product_attention(q, k, v, is_causal=True)
                    o.backward(g)

                fwdbwd = timed(fb, 0.3)
                if ctx is not None:
                    ctx.__exit__(None, None, None)
                bwd = max(fwdbwd - f, 1e-9)
                row.update(fwd_us=f * 1e6, fwd_TFLOPs=fwd_flops / f / 1e12, bwd_us=bwd * 1e6, bwd_TFLOPs=2.5 * fwd_flops / bwd / 1e12)
            except Exception as e:
                row["error"] = str(e).splitlines()[0][:200]
            rows.append(row)
    return rows


def section_launch():
    x = torch.zeros(1, device=DEV)
    count = 2000 if not ARGS.quick else 500
    sync()
    t0 = time.perf_counter()
    for _ in range(count):
        x.add_(1.0)
    host = (time.perf_counter() - t0) / count  # enqueue time, no sync (the queue is deep enough)
    sync()
    gpu = gpu_seconds(lambda: x.add_(1.0), count)
    out = {"host_enqueue_us": host * 1e6, "gpu_per_kernel_us": gpu * 1e6}
    if CUDA:
        g = torch.cuda.CUDAGraph()
        s = torch.cuda.Stream()
        s.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(s):
            for _ in range(3):
                x.add_(1.0)
        torch.cuda.current_stream().wait_stream(s)
        with torch.cuda.graph(g):
            for _ in range(200):
                x.add_(1.0)
        out["graph_per_kernel_us"] = gpu_seconds(g.replay, 20) / 200 * 1e6
        # device-to-host round trip on an idle GPU: a tiny kernel and its result read back
        t = []
        for _ in range(50):
            sync()
            t0 = time.perf_counter()
            x.add_(1.0).item()
            t.append(time.perf_counter() - t0)
        t.sort()
        out["sync_roundtrip_us_median"] = t[len(t) // 2] * 1e6
    return out


def section_pcie():
    if not CUDA:
        return {"skipped": "no GPU"}
    out = {}
    size = 1 << 30
    host = torch.empty(size, dtype=torch.uint8, pin_memory=True)
    dev = torch.empty(size, dtype=torch.uint8, device=DEV)
    out["h2d_pinned_GBps"] = size / timed(lambda: dev.copy_(host, non_blocking=True), 0.5) / 1e9
    out["d2h_pinned_GBps"] = size / timed(lambda: host.copy_(dev, non_blocking=True), 0.5) / 1e9
    pageable = torch.empty(size // 4, dtype=torch.uint8)
    out["h2d_pageable_GBps"] = (size // 4) / timed(lambda: dev[: size // 4].copy_(pageable), 0.5) / 1e9
    host2 = torch.empty(size, dtype=torch.uint8, pin_memory=True)
    dev2 = torch.empty(size, dtype=torch.uint8, device=DEV)
    s1, s2 = torch.cuda.Stream(), torch.cuda.Stream()

    def both():
        with torch.cuda.stream(s1):
            dev.copy_(host, non_blocking=True)
        with torch.cuda.stream(s2):
            host2.copy_(dev2, non_blocking=True)
        torch.cuda.current_stream().wait_stream(s1)
        torch.cuda.current_stream().wait_stream(s2)

    out["bidirectional_GBps_each_way"] = size / timed(both, 0.5) / 1e9
    return out


def moe_layer(tokens, hidden, ffn, experts, topk, w1, w2, router):
    """One rank's MoE forward in eager PyTorch, shaped like Megatron's all-to-all dispatcher with EP = 1."""
    x = torch.randn(tokens, hidden, dtype=torch.bfloat16, device=DEV)
    logits = x @ router
    probs = torch.softmax(logits.float(), dim=-1)
    top, idx = torch.topk(probs, topk, dim=-1)
    top = top / top.sum(dim=-1, keepdim=True)
    flat = idx.reshape(-1)
    counts = torch.bincount(flat, minlength=experts)
    splits = counts.tolist()  # the device-to-host sync the dispatcher needs for the split sizes
    order = torch.argsort(flat, stable=True)
    permuted = x.index_select(0, order // topk)
    outs = []
    for e, part in enumerate(torch.split(permuted, splits)):
        h = part @ w1[e]
        a, b = h.chunk(2, dim=-1)
        outs.append((torch.nn.functional.silu(a) * b) @ w2[e])
    y = torch.cat(outs)
    weighted = y * top.reshape(-1)[order].unsqueeze(-1).to(y.dtype)
    out = torch.zeros_like(x)
    out.index_add_(0, order // topk, weighted)
    return out


def section_moe_host():
    rows = []
    for name, hidden, ffn, experts, topk in [("qwen3-30b-a3b (16 local experts)", 2048, 768, 16, 8), ("gpt-oss-120b (16 local experts)", 2880, 2880, 16, 4)]:
        h, f = n(hidden), n(ffn)
        w1 = [torch.randn(h, 2 * f, dtype=torch.bfloat16, device=DEV) * 0.02 for _ in range(experts)]
        w2 = [torch.randn(f, h, dtype=torch.bfloat16, device=DEV) * 0.02 for _ in range(experts)]
        router = torch.randn(h, experts, dtype=torch.bfloat16, device=DEV)
        for tokens in ([4096, 16384] if ARGS.quick else [1024, 4096, 16384]):
            t = n(tokens)
            layer = lambda: moe_layer(t, h, f, experts, topk, w1, w2, router)  # noqa: E731
            for _ in range(3):
                layer()
            sync()
            reps = 20
            t0 = time.perf_counter()
            for _ in range(reps):
                layer()
            sync()
            wall = (time.perf_counter() - t0) / reps
            gpu = gpu_seconds(layer, reps, warmup=0)  # GPU time between events, syncs included
            row = {"model": name, "tokens": t, "hidden": h, "ffn": f, "experts": experts, "topk": topk, "wall_us": wall * 1e6, "event_us": gpu * 1e6}
            # forward and backward (autograd), the weights trainable: the backward's host cost as well
            for w in [*w1, *w2, router]:
                w.requires_grad_(True)
            train = lambda: moe_layer(t, h, f, experts, topk, w1, w2, router).float().sum().backward()  # noqa: E731
            train()
            sync()
            t0 = time.perf_counter()
            for _ in range(reps // 2):
                train()
            sync()
            row["train_wall_us"] = (time.perf_counter() - t0) / (reps // 2) * 1e6
            for w in [*w1, *w2, router]:
                w.requires_grad_(False)
                w.grad = None
            try:
                from torch.profiler import ProfilerActivity, profile

                acts = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if CUDA else [])
                with profile(activities=acts) as prof:
                    layer()
                    sync()
                evs = prof.key_averages()
                if CUDA:
                    kern = [e for e in prof.events() if e.device_type == torch.autograd.DeviceType.CUDA]
                    row["kernels"] = len(kern)
                    row["kernel_busy_us"] = sum(e.device_time if hasattr(e, "device_time") else e.cuda_time for e in kern)
                row["ops"] = sum(e.count for e in evs if e.key.startswith("aten::"))
            except Exception as e:
                row["profile_error"] = str(e).splitlines()[0][:200]
            rows.append(row)
    return rows


SECTIONS = [
    ("device", section_device),
    ("hbm", section_hbm),
    ("elementwise", section_elementwise),
    ("gemm", section_gemm),
    ("sustained", section_sustained),
    ("grouped", section_grouped),
    ("attention", section_attention),
    ("launch", section_launch),
    ("pcie", section_pcie),
    ("moe_host", section_moe_host),
]


def main():
    only = {s for s in ARGS.only.split(",") if s}
    doc = {"schema": "fairway.device-measure/1", "script": "bench/device/kernels.py", "args": vars(ARGS), "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "sections": {}, "errors": {}, "seconds": {}}
    for name, fn in SECTIONS:
        if only and name not in only:
            continue
        t0 = time.perf_counter()
        try:
            doc["sections"][name] = fn()
        except Exception:
            doc["errors"][name] = traceback.format_exc()[-2000:]
        doc["seconds"][name] = round(time.perf_counter() - t0, 2)
        print(f"{name}: {doc['seconds'][name]} s{' (failed)' if name in doc['errors'] else ''}", file=sys.stderr, flush=True)
        with open(ARGS.out, "w") as fh:  # written after every section: a run cut short keeps what it measured
            json.dump(doc, fh, indent=1, default=float)
    summary(doc)


def summary(doc):
    s = doc["sections"]
    fmt = lambda v: f"{v:.1f}" if isinstance(v, float) else str(v)  # noqa: E731
    for name in ["device", "hbm", "launch", "pcie"]:
        if name in s:
            print(f"## {name}")
            for k, v in s[name].items():
                print(f"  {k}: {fmt(v)}")
    if "sustained" in s:
        x = s["sustained"]
        print(f"## sustained: burst {x['burst_TFLOPs']:.0f}, sustained {x['sustained_TFLOPs']:.0f} TFLOP/s ({x['sustained_over_burst']:.3f})")
    for name, cols in [("gemm", ["bf16_TFLOPs", "fp8_TFLOPs"]), ("grouped", ["one_stream_TFLOPs", "four_streams_TFLOPs", "one_gemm_TFLOPs"]), ("attention", ["fwd_TFLOPs", "bwd_TFLOPs"]), ("elementwise", ["us", "GBps"]), ("moe_host", ["wall_us", "event_us", "kernels", "kernel_busy_us", "train_wall_us"])]:
        if name not in s:
            continue
        print(f"## {name}")
        for row in s[name]:
            label = {k: v for k, v in row.items() if not isinstance(v, float) and k not in cols}
            print("  " + " ".join(f"{k}={v}" for k, v in label.items()) + " | " + " ".join(f"{c}={fmt(row.get(c, '-'))}" for c in cols))
    for name, err in doc["errors"].items():
        print(f"## {name} FAILED\n{err}")


if __name__ == "__main__":
    main()
