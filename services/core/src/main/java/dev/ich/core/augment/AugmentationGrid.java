package dev.ich.core.augment;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A contact sheet of augmentations for the labeling preview: the original, then {@code count}
 * augmented copies, each captioned with what was done. Draws into a BufferedImage only, so it runs
 * headless on a server.
 */
public final class AugmentationGrid {
    static final int PAD = 6;
    static final int CAPTION_HEIGHT = 18;
    static final Color BACKGROUND = new Color(24, 24, 24);
    private static final Color TEXT = new Color(230, 230, 230);
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private AugmentationGrid() {
    }

    /** The same {@code seed} draws the same augmentations, so a preview can be reproduced and compared. */
    public static BufferedImage render(PlanarImage img, Augmenter augmenter, int count, long seed, int columns) {
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        if (columns < 1) throw new IllegalArgumentException("columns must be >= 1, got " + columns);
        SplittableRandom rng = new SplittableRandom(seed);
        List<BufferedImage> tiles = new ArrayList<>(count + 1);
        List<String> captions = new ArrayList<>(count + 1);
        tiles.add(img.toBufferedImage());
        captions.add("original");
        for (int i = 0; i < count; i++) {
            Augmenter.Augmented a = augmenter.apply(img, rng);
            tiles.add(a.image().toBufferedImage());
            captions.add(a.describe());
        }

        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(FONT);
        int captionWidth = captions.stream().mapToInt(fm::stringWidth).max().orElse(0);
        pg.dispose();
        // Small images get wider tiles rather than cut captions.
        int tileW = Math.max(img.width(), captionWidth), tileH = img.height() + CAPTION_HEIGHT;
        int cols = Math.min(columns, tiles.size()), rows = (tiles.size() + cols - 1) / cols;

        BufferedImage sheet = new BufferedImage(PAD + cols * (tileW + PAD), PAD + rows * (tileH + PAD), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(FONT);
            g.setColor(TEXT);
            for (int i = 0; i < tiles.size(); i++) {
                int x = PAD + (i % cols) * (tileW + PAD), y = PAD + (i / cols) * (tileH + PAD);
                g.drawImage(tiles.get(i), x + (tileW - img.width()) / 2, y, null);
                String caption = captions.get(i);
                int baseline = y + img.height() + (CAPTION_HEIGHT + fm.getAscent() - fm.getDescent()) / 2;
                g.drawString(caption, x + (tileW - fm.stringWidth(caption)) / 2, baseline);
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }
}
