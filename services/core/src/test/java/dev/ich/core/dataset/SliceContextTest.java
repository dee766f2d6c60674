package dev.ich.core.dataset;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SliceContextTest {

    private static SliceContext.Placed slice(String uid, String series, double position) {
        return new SliceContext.Placed(uid, new SlicePlace("study", series, position));
    }

    @Test
    void neighboursFollowThePositionNotTheInputOrderAndEdgesRepeatThemselves() {
        // given a series of five slices listed shuffled, positions descending from the vertex, and a second series
        List<SliceContext.Placed> slices = new ArrayList<>(List.of(slice("a", "s1", 40), slice("b", "s1", 30), slice("c", "s1", 20),
                slice("d", "s1", 10), slice("e", "s1", 0), slice("x", "s2", 25), slice("y", "s2", 5)));
        Collections.shuffle(slices, new Random(7));

        // when one neighbour each side is asked for
        Map<String, List<String>> one = SliceContext.neighbours(slices, 1);

        // then the neighbour below comes first, the edges stand in for themselves, and series never mix
        assertThat(one.get("c")).containsExactly("d", "b");
        assertThat(one.get("e")).containsExactly("e", "d");
        assertThat(one.get("a")).containsExactly("b", "a");
        assertThat(one.get("x")).containsExactly("y", "x");
        assertThat(SliceContext.channelOrder("c", one.get("c"))).containsExactly("d", "c", "b");

        // and two each side: farthest below first, nearest above first, clamped at the ends of the series
        Map<String, List<String>> two = SliceContext.neighbours(slices, 2);
        assertThat(two.get("c")).containsExactly("e", "d", "b", "a");
        assertThat(two.get("d")).containsExactly("e", "e", "c", "b");
        assertThat(two.get("y")).containsExactly("y", "y", "x", "x");
    }

    @Test
    void stackingConcatenatesChannelsInOrder() {
        float[] stacked = SliceContext.stack(SliceContext.channelOrder(new float[] {2, 2}, List.of(new float[] {1, 1}, new float[] {3, 3})));
        assertThat(stacked).containsExactly(1, 1, 2, 2, 3, 3);
        assertThatThrownBy(() -> SliceContext.stack(List.of(new float[2], new float[3]))).hasMessageContaining("image 1 holds 3");
        assertThatThrownBy(() -> SliceContext.neighbours(List.of(), 11)).hasMessageContaining("0..10");
    }

    @Test
    void positionIsProjectedOnTheSliceNormalAndFallsBackToZ() {
        // axial: the normal is z
        assertThat(SlicePosition.of(Map.of("ImagePositionPatient", -125.0, "ImagePositionPatient1", -100.0, "ImagePositionPatient2", 42.5,
                "ImageOrientationPatient", 1.0, "ImageOrientationPatient1", 0.0, "ImageOrientationPatient2", 0.0,
                "ImageOrientationPatient3", 0.0, "ImageOrientationPatient4", 1.0, "ImageOrientationPatient5", 0.0))).isEqualTo(42.5);
        // a gantry tilted 30 degrees about x: column direction (0, cos, -sin), normal (0, sin, cos)
        double c = Math.cos(Math.toRadians(30)), s = Math.sin(Math.toRadians(30));
        assertThat(SlicePosition.of(Map.of("ImagePositionPatient", 0.0, "ImagePositionPatient1", 10.0, "ImagePositionPatient2", 20.0,
                "ImageOrientationPatient", 1.0, "ImageOrientationPatient1", 0.0, "ImageOrientationPatient2", 0.0,
                "ImageOrientationPatient3", 0.0, "ImageOrientationPatient4", c, "ImageOrientationPatient5", -s)))
                .isCloseTo(10 * s + 20 * c, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(SlicePosition.of(Map.of("ImagePositionPatient", 0.0, "ImagePositionPatient1", 0.0, "ImagePositionPatient2", -7.0)))
                .isEqualTo(-7.0);
        assertThat(SlicePosition.of(Map.of("InstanceNumber", 3L))).isNull();
    }

    @Test
    void placeAndNeighboursTravelThroughAShardAndOldShardsStillRead() throws IOException {
        DatasetSample plain = ShardTest.sample("1.2.3.1", "p1");
        DatasetSample below = ShardTest.sample("1.2.3.2", "p1"), above = ShardTest.sample("1.2.3.3", "p1");
        DatasetSample placed = ShardTest.sample("1.2.3.4", "p1").withPlace(new SlicePlace("1.2.9", "1.2.9.1", -12.5),
                List.of(below.png(), above.png()));

        List<DatasetSample> back = ShardReader.readAll(new ByteArrayInputStream(ShardTest.write(List.of(plain, placed))), "t.tar");

        assertThat(back).containsExactly(plain, placed);
        assertThat(back.get(0).place()).isNull();
        assertThat(back.get(0).context()).isZero();
        assertThat(back.get(1).place()).isEqualTo(new SlicePlace("1.2.9", "1.2.9.1", -12.5));
        assertThat(back.get(1).context()).isEqualTo(1);
        assertThat(back.get(1).neighbours().get(1)).isEqualTo(above.png());
        // a sample without context writes exactly the bytes shards had before context existed
        assertThat(new String(plain.json(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("study", "context");
    }
}
