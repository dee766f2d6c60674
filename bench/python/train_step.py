#!/usr/bin/python3
"""Training-step throughput of ResNet-18 in PyTorch: the reference for `./ich bench train`.

torchvision resnet18 (random init, 3 input channels, 1 output), BCEWithLogitsLoss, Adam (lr 1e-3),
one batch of random images created once; N warm-up steps, then M timed steps of
forward + loss + backward + optimizer step. Prints images/s and the thread counts.
Run with Debian's python3-torch / python3-torchvision: /usr/bin/python3 bench/python/train_step.py
"""
import argparse
import json
import statistics
import time

import torch
import torchvision


class _DjlUnit(torch.nn.Module):
    """A residual unit of DJL's ResNetV1 as DJL 0.33.0 builds it for 18 layers: a bottleneck (1x1, 3x3, 1x1)."""

    def __init__(self, cin, filters, stride, projection):
        super().__init__()
        nn = torch.nn
        b = filters // 4
        bn = lambda c: nn.BatchNorm2d(c, eps=2e-5, momentum=0.1)
        self.body = nn.Sequential(nn.Conv2d(cin, b, 1, stride, 0, bias=True), bn(b), nn.ReLU(),
                                  nn.Conv2d(b, b, 3, 1, 1, bias=False), bn(b), nn.ReLU(),
                                  nn.Conv2d(b, filters, 1, 1, 0, bias=True), bn(filters))
        self.short = (nn.Sequential(nn.Conv2d(cin, filters, 1, stride, 0, bias=False), bn(filters))
                      if projection else nn.Identity())

    def forward(self, x):
        return torch.relu(self.body(x) + self.short(x))


def djl_resnetv1_18():
    """The network ai.djl.basicmodelzoo ResNetV1 (numLayers 18, outSize 1) builds: 900,897 values counting
    batch-norm running statistics, as DJL counts them (torchvision's resnet18 has 11,177,025)."""
    nn = torch.nn
    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64, eps=2e-5), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    cin = 64
    for filters, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
        layers += [_DjlUnit(cin, filters, stride, True), _DjlUnit(filters, filters, 1, False)]
        cin = filters
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 1)]
    return nn.Sequential(*layers)


def _add_shapes(path, events):
    """Adds each event's input shapes to the trace export_chrome_trace wrote, as a "shape" field: the field
    DJL's JniUtils.stopProfile writes, so compare_profiles.py can set the two sides' kernels shape by shape."""
    with open(path) as f:
        trace = json.load(f)
    named = [e for e in events if e.trace_name is not None]
    if len(named) != len(trace):
        return
    for record, event in zip(trace, named):
        record["shape"] = event.input_shapes
    with open(path, "w") as f:
        json.dump(trace, f)


def run(size, batch, warmup, steps, channels_last=False, arch="resnet18", profile=None, profile_steps=1,
        foreach=None):
    model = torchvision.models.resnet18(num_classes=1) if arch == "resnet18" else djl_resnetv1_18()
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, foreach=foreach)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    x = torch.rand(batch, 3, size, size)
    y = (torch.rand(batch, 1) > 0.5).float()
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    t0 = time.perf_counter()
    step()
    first = time.perf_counter() - t0
    for _ in range(warmup - 1):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - start
    if profile:
        # the same legacy-format profiler DJL's JniUtils.startProfile drives; recorded after the timed steps
        with torch.autograd.profiler.profile(record_shapes=True) as prof:
            for _ in range(profile_steps):
                step()
        prof.export_chrome_trace(profile)
        _add_shapes(profile, prof.function_events)
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=25))
        print("profile of %d step(s): %s" % (profile_steps, profile))
    return batch * steps / seconds, seconds, first


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", type=int, default=256, help="image side, default 256")
    p.add_argument("--batch", type=int, default=32, help="batch size, default 32")
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads(N); 0 = torch's default")
    p.add_argument("--interop-threads", type=int, default=0, help="torch.set_num_interop_threads(N); 0 = default")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps first, default 3")
    p.add_argument("--steps", type=int, default=10, help="timed steps, default 10")
    p.add_argument("--repeats", type=int, default=1, help="runs (fresh model each), the median is printed too")
    p.add_argument("--arch", choices=["resnet18", "djl-resnetv1-18"], default="resnet18",
                   help="torchvision resnet18 (default) or the network DJL's ResNetV1 builds for 18 layers")
    p.add_argument("--channels-last", action="store_true", help="NHWC memory format for model and input")
    p.add_argument("--foreach", choices=["default", "on", "off"], default="default",
                   help="Adam's foreach (multi-tensor) update; default: torch's choice (per-parameter on CPU in 1.13)")
    p.add_argument("--profile", metavar="TRACE.json",
                   help="after the timed steps of the last run, profile more steps into a chrome trace")
    p.add_argument("--profile-steps", type=int, default=1, help="steps profiled with --profile, default 1")
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    if a.interop_threads > 0:
        torch.set_num_interop_threads(a.interop_threads)
    torch.manual_seed(0)
    rates = []
    foreach = {"default": None, "on": True, "off": False}[a.foreach]
    repeats = max(1, a.repeats)
    for r in range(repeats):
        last = r == repeats - 1
        rate, seconds, first = run(a.size, a.batch, max(1, a.warmup), a.steps, a.channels_last, a.arch,
                                   a.profile if last else None, a.profile_steps, foreach)
        rates.append(rate)
        print("PyTorch %s %s train step: size %d batch %d: %.2f images/s (%.1f ms/step, %d timed steps"
              " after %d warm-up; first step %.2f s) threads %d interop %d mkldnn %s%s"
              % (torch.__version__, a.arch, a.size, a.batch, rate, seconds * 1000 / a.steps, a.steps, a.warmup, first,
                 torch.get_num_threads(), torch.get_num_interop_threads(), torch.backends.mkldnn.is_available(),
                 " channels_last" if a.channels_last else ""), flush=True)
    if len(rates) > 1:
        print("median %.2f images/s over %d runs" % (statistics.median(rates), len(rates)))


if __name__ == "__main__":
    main()
