#!/usr/bin/python3
"""Writes a torchvision ResNet as TorchScript, the way ImageNet weights reach ich, plus what its backbone computes.

Used by TorchScriptBackboneTest (Debian's python3-torch and python3-torchvision, /usr/bin/python3):
  torchvision_backbone.py --arch resnet18 --size 64 --out DIR
DIR/backbone.pt   the whole traced model (backbone + avgpool + fc), random weights with batch-norm gamma and beta
                  randomised too (so a wrong mapping shows), running statistics at their initial 0 and 1
DIR/input.f32     the input, 1 x 3 x size x size float32 little-endian
DIR/features.f32  the backbone's last feature map for that input in eval mode, float32 little-endian
"""
import argparse
import os

import torch
import torchvision

parser = argparse.ArgumentParser()
parser.add_argument("--arch", default="resnet18", choices=["resnet18", "resnet34"])
parser.add_argument("--size", type=int, default=64)
parser.add_argument("--out", required=True)
args = parser.parse_args()

torch.manual_seed(7)
model = getattr(torchvision.models, args.arch)(weights=None)
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.weight.uniform_(0.5, 1.5)
            m.bias.uniform_(-0.2, 0.2)
model.eval()
x = torch.rand(1, 3, args.size, args.size)
backbone = torch.nn.Sequential(*list(model.children())[:-2])
with torch.no_grad():
    features = backbone(x)
os.makedirs(args.out, exist_ok=True)
torch.jit.trace(model, x).save(os.path.join(args.out, "backbone.pt"))
x.numpy().astype("<f4").tofile(os.path.join(args.out, "input.f32"))
features.numpy().astype("<f4").tofile(os.path.join(args.out, "features.f32"))
print(list(features.shape))
