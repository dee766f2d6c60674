#!/usr/bin/python3
"""Per-op comparison of two chrome traces of training steps: DJL's (TrainStepBench ... PROFILE.json, written by
libtorch's profiler through JniUtils.stopProfile) and PyTorch's (train_step.py --profile PROFILE.json).

Self time of an event = its duration minus its direct children's (events nest by time on one thread). Every op is
put in a phase: "backward" under an autograd node (autograd::engine::evaluate_function: ...), "update" from the end
of the backward pass to the next step's first convolution (optimizer, gradient zeroing, loss read-back), else
"forward". Rows are op names by phase, sorted by the absolute difference of self time per step.
Standard library only: /usr/bin/python3 bench/python/compare_profiles.py djl.json torch.json --steps 1
"""
import argparse
import collections
import json

AUTOGRAD = "autograd::engine::evaluate_function"
FORWARD_START = ("aten::conv2d", "aten::convolution", "aten::_convolution")


def load(path):
    with open(path) as f:
        data = json.load(f)
    events = data["traceEvents"] if isinstance(data, dict) else data
    return [e for e in events if e.get("ph") == "X" and "dur" in e]


def self_times(events):
    """Yields (event, self_us, phase) for every event."""
    by_thread = collections.defaultdict(list)
    for e in events:
        by_thread[e["tid"]].append(e)
    for thread_events in by_thread.values():
        thread_events.sort(key=lambda e: (float(e["ts"]), -float(e["dur"])))
        phase = "forward"
        stack = []  # [event, end, children_us, phase]
        out = []
        for e in thread_events:
            ts, dur = float(e["ts"]), float(e["dur"])
            while stack and ts >= stack[-1][1]:
                out.append(stack.pop())
            if stack:
                stack[-1][2] += dur
                own_phase = "backward" if stack[-1][3] == "backward" or e["name"].startswith(AUTOGRAD) else stack[-1][3]
            else:
                if e["name"].startswith(AUTOGRAD):
                    phase = "backward"
                elif phase == "backward":
                    phase = "update"
                elif phase == "update" and e["name"] in FORWARD_START:
                    phase = "forward"
                own_phase = "backward" if e["name"].startswith(AUTOGRAD) else phase
                if e["name"].startswith("Optimizer."):
                    own_phase = "update"
            stack.append([e, ts + dur, 0.0, own_phase])
        out.extend(reversed(stack))
        for e, _, children, ph in out:
            yield e, max(0.0, float(e["dur"]) - children), ph


def table(path, steps):
    rows = collections.defaultdict(lambda: [0, 0.0])
    shapes = collections.defaultdict(lambda: [0, 0.0])
    for e, own, phase in self_times(load(path)):
        rows[(phase, e["name"])][0] += 1
        rows[(phase, e["name"])][1] += own
        shapes[(phase, e["name"], str(e.get("shape", "")))][0] += 1
        shapes[(phase, e["name"], str(e.get("shape", "")))][1] += own
    per_step = {k: (n / steps, us / steps / 1000.0) for k, (n, us) in rows.items()}
    per_shape = {k: (n / steps, us / steps / 1000.0) for k, (n, us) in shapes.items()}
    return per_step, per_shape


def ratio(a, b):
    return "%.2f" % (a / b) if b > 0.005 else "-"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("djl", help="DJL's trace (TrainStepBench's 7th argument)")
    p.add_argument("torch", help="PyTorch's trace (train_step.py --profile)")
    p.add_argument("--steps", type=int, default=1, help="steps in each trace (--profile-steps), default 1")
    p.add_argument("--djl-steps", type=int, help="steps in DJL's trace if not --steps")
    p.add_argument("--top", type=int, default=30, help="rows printed, default 30")
    p.add_argument("--shapes", metavar="OP", action="append", default=[],
                   help="also print OP (e.g. aten::mkldnn_convolution) shape by shape on both sides; repeatable")
    a = p.parse_args()
    djl, djl_shapes = table(a.djl, a.djl_steps or a.steps)
    torch, torch_shapes = table(a.torch, a.steps)

    print("self time per step, ms (DJL / PyTorch > 1: DJL slower)")
    print("%-9s %-52s %8s %8s %10s %10s %6s %9s" % ("phase", "op", "calls D", "calls T", "DJL ms", "torch ms", "ratio",
                                                    "diff ms"))
    keys = sorted(set(djl) | set(torch), key=lambda k: -abs(djl.get(k, (0, 0))[1] - torch.get(k, (0, 0))[1]))
    for k in keys[:a.top]:
        (dn, dms), (tn, tms) = djl.get(k, (0, 0.0)), torch.get(k, (0, 0.0))
        print("%-9s %-52s %8.0f %8.0f %10.1f %10.1f %6s %+9.1f" % (k[0], k[1][:52], dn, tn, dms, tms, ratio(dms, tms),
                                                                    dms - tms))
    print()
    print("%-9s %10s %10s %6s %9s" % ("phase", "DJL ms", "torch ms", "ratio", "diff ms"))
    total_d = total_t = 0.0
    for phase in ("forward", "backward", "update"):
        d = sum(ms for (ph, _), (_, ms) in djl.items() if ph == phase)
        t = sum(ms for (ph, _), (_, ms) in torch.items() if ph == phase)
        total_d, total_t = total_d + d, total_t + t
        print("%-9s %10.1f %10.1f %6s %+9.1f" % (phase, d, t, ratio(d, t), d - t))
    print("%-9s %10.1f %10.1f %6s %+9.1f" % ("all ops", total_d, total_t, ratio(total_d, total_t), total_d - total_t))

    for op in a.shapes:
        print()
        print("%s by input shapes, ms per step (calls)" % op)
        keys = sorted({k for k in list(djl_shapes) + list(torch_shapes) if k[1] == op},
                      key=lambda k: -(djl_shapes.get(k, (0, 0))[1] + torch_shapes.get(k, (0, 0))[1]))
        for k in keys:
            (dn, dms), (tn, tms) = djl_shapes.get(k, (0, 0.0)), torch_shapes.get(k, (0, 0.0))
            print("  %-8s %-70s DJL %8.1f (%2.0f)  torch %8.1f (%2.0f)  %s" % (k[0], _short(k[2])[:70], dms, dn, tms, tn,
                                                                             ratio(dms, tms)))


def _short(shape):
    return shape.replace(" ", "")


if __name__ == "__main__":
    main()
