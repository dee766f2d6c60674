#!/usr/bin/env bash
# Regenerates the pictures in docs/ from phantoms (seed 1): ./docs/img/make-pictures.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./ich phantoms --out "$work/ph" --studies 20 --seed 1 >/dev/null 2>&1

# One slice per subtype (the first positive of each in labels.csv), in the brain window.
for label in epidural intraparenchymal intraventricular subarachnoid subdural; do
  uid=$(grep -m1 "_${label},1" "$work/ph/labels.csv" | sed -E "s/^ID_(.*)_${label},1$/\1/")
  file=$(find "$work/ph" -name "$uid.dcm")
  ./ich render "$file" --windows brain --out "$work/subtype-$label.png" >/dev/null
done
# A whole study from the vertex to the teeth, and one slice in three windows, and its cleaned output.
study=$(dirname "$(find "$work/ph" -name "$(grep -m1 '_subdural,1' "$work/ph/labels.csv" | sed -E 's/^ID_(.*)_subdural,1$/\1/').dcm")")
for f in "$study"/*.dcm; do ./ich render "$f" --windows brain --out "$work/sheet/$(basename "$f" .dcm).png" >/dev/null; done
uid=$(grep '_subdural,1' "$work/ph/labels.csv" | sed -n 2p | sed -E 's/^ID_(.*)_subdural,1$/\1/')
./ich render "$(find "$work/ph" -name "$uid.dcm")" --out docs/img/phantom-subdural-windows.png >/dev/null
./ich clean "$(find "$work/ph" -name "$uid.dcm")" --out "$work/clean" >/dev/null
cp "$work/clean/$uid.png" docs/img/cleaned-subdural-rgb.png

/usr/bin/python3 - "$work" "$study" <<'PY'
import sys, os, glob, re
from PIL import Image, ImageDraw
work, study = sys.argv[1], sys.argv[2]
def number(p): return int(re.search(r'\.(\d+)\.png$', p).group(1))
tiles = sorted(glob.glob(os.path.join(work, 'sheet', '*.png')), key=number)
t = 128; cols = 8; rows = (len(tiles) + cols - 1) // cols
sheet = Image.new('L', (cols * t, rows * t))
for i, p in enumerate(tiles):
    sheet.paste(Image.open(p).resize((t, t)), ((i % cols) * t, (i // cols) * t))
sheet.save('docs/img/phantom-study-contact-sheet.png')
labels = ['epidural', 'intraparenchymal', 'intraventricular', 'subarachnoid', 'subdural']
strip = Image.new('L', (5 * 256, 276))
d = ImageDraw.Draw(strip)
for i, l in enumerate(labels):
    strip.paste(Image.open(os.path.join(work, f'subtype-{l}.png')).resize((256, 256)), (i * 256, 20))
    d.text((i * 256 + 8, 4), l, fill=255)
strip.save('docs/img/phantom-subtypes.png')
rgb = Image.open('docs/img/cleaned-subdural-rgb.png')
chans = Image.new('L', (3 * 256 + 8, 256))
for i, c in enumerate(rgb.split()):
    chans.paste(c, (i * 260, 0))
chans.save('docs/img/cleaned-subdural-channels.png')
PY
echo "pictures written to docs/img/"
