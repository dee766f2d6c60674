package dev.ich.core.dataset;

import dev.ich.core.clean.PngEncoder;
import dev.ich.core.label.Label;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardTest {

    static DatasetSample sample(String uid, String patient, Label... positive) {
        Map<Label, Integer> labels = new EnumMap<>(Label.class);
        for (Label l : Label.values()) labels.put(l, 0);
        for (Label l : positive) labels.put(l, 1);
        byte[] pixels = new byte[8 * 8 * 3];
        new SplittableRandom(uid.hashCode()).nextBytes(pixels);
        return new DatasetSample(uid, patient, labels, PngEncoder.encode(pixels, 8, 8, 3));
    }

    static byte[] write(List<DatasetSample> samples) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ShardWriter w = new ShardWriter(out)) {
            for (DatasetSample s : samples) w.add(s);
            assertThat(w.count()).isEqualTo(samples.size());
        }
        return out.toByteArray();
    }

    @Test
    void samplesComeBackInOrderWithTheirLabelsAndPngBytes() throws IOException {
        List<DatasetSample> samples = List.of(
                sample("1.2.826.0.1.3680043.8.498.1", "ID_p1"),
                sample("1.2.826.0.1.3680043.8.498.2", "ID_p1", Label.SUBDURAL, Label.ANY),
                sample("1.2.826.0.1.3680043.8.498.10", "ID_p2", Label.EPIDURAL, Label.INTRAVENTRICULAR, Label.ANY));

        List<DatasetSample> back = ShardReader.readAll(new ByteArrayInputStream(write(samples)), "train-00000.tar");

        assertThat(back).containsExactlyElementsOf(samples);
        assertThat(back.get(2).label(Label.INTRAVENTRICULAR)).isEqualTo(1);
        assertThat(back.get(2).label(Label.SUBDURAL)).isZero();
        assertThat(back.get(1).png()).isEqualTo(samples.get(1).png());
        assertThat(back.get(0).anyBleed()).isFalse();
        assertThat(back.get(1).anyBleed()).isTrue();
    }

    @Test
    void theTarHoldsJsonThenPngPerSampleUnderTheUidAsAPythonReaderSeesIt() throws IOException {
        DatasetSample s = sample("1.2.3.4", "ID_abc", Label.SUBARACHNOID, Label.ANY);
        byte[] tar = write(List.of(s));

        List<String> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
                contents.add(in.readAllBytes());
                assertThat(e.getLastModifiedTime().toMillis()).isZero();
                assertThat(e.getUserName()).isEmpty();
            }
        }

        assertThat(names).containsExactly("1.2.3.4.json", "1.2.3.4.png");
        assertThat(new String(contents.get(0), StandardCharsets.UTF_8)).isEqualTo(
                "{\"uid\":\"1.2.3.4\",\"patient\":\"ID_abc\",\"labels\":{\"epidural\":0,\"intraparenchymal\":0,"
                        + "\"intraventricular\":0,\"subarachnoid\":1,\"subdural\":0,\"any\":1}}");
        assertThat(contents.get(1)).isEqualTo(s.png());
    }

    @Test
    void aSamplesSubgroupMetadataRoundTripsAndAnOldShardReadsWithNone() throws IOException {
        DatasetSample plain = sample("1.2.826.0.1.3680043.8.498.20", "ID_p3", Label.ANY);
        Map<String, String> metadata = SampleMetadata.of(12, 0, "f", "067Y");
        assertThat(metadata).containsExactly(Map.entry(SampleMetadata.AGE_BAND, "60-79"), Map.entry(SampleMetadata.PIXELS, "12 bit / unsigned"),
                Map.entry(SampleMetadata.SEX, "F"));
        DatasetSample tagged = new DatasetSample(plain.uid(), plain.patient(), plain.labels(), plain.png(), metadata);

        List<DatasetSample> back = ShardReader.readAll(new ByteArrayInputStream(write(List.of(tagged))), "valid-00000.tar");
        assertThat(back.get(0).metadata()).isEqualTo(metadata);
        // a shard written before samples had metadata: its JSON has no such field, and it reads with none
        assertThat(new String(plain.json(), StandardCharsets.UTF_8)).doesNotContain("metadata");
        assertThat(ShardReader.readAll(new ByteArrayInputStream(write(List.of(plain))), "old.tar").get(0).metadata()).isEmpty();
        assertThatThrownBy(() -> DatasetSample.fromJson("""
                {"uid":"1.2.3","patient":"p","labels":{},"metadata":{"sex":1}}""".getBytes(StandardCharsets.UTF_8), plain.png()))
                .hasMessageContaining("metadata \"sex\" must be a string");
        assertThat(SampleMetadata.of(null, null, "unknown", "012W")).containsExactly(Map.entry(SampleMetadata.AGE_BAND, "0-17"));
        assertThat(SampleMetadata.ageBand("085Y")).isEqualTo("80+");
        assertThat(SampleMetadata.ageBand("adult")).isNull();
        assertThat(SampleMetadata.ageBand("18")).as("plain years").isEqualTo("18-39");
        // One definition: a model card's subgroups and the drift rows of the predictions topic name the same bands.
        for (String age : new String[] {"000D", "950D", "011M", "017Y", "018Y", "039Y", "040Y", "079Y", "080Y", "120Y"}) {
            assertThat(SampleMetadata.ageBand(age)).as(age).isEqualTo(dev.ich.core.event.SlicePrediction.ageBand(age));
        }
    }

    @Test
    void theSameSamplesGiveTheSameBytes() throws IOException {
        List<DatasetSample> samples = List.of(sample("1.2.3", "p"), sample("1.2.4", "q", Label.ANY, Label.SUBDURAL));
        byte[] first = write(samples);
        assertThat(write(samples)).isEqualTo(first);
        assertThat(write(List.of(samples.get(1), samples.get(0)))).isNotEqualTo(first);
    }

    @Test
    void aSixtyFourCharacterUidRoundTrips() throws IOException {
        String uid = "1.2.826.0.1.3680043.8.498." + "1234567890".repeat(3) + "12345678";
        assertThat(uid).hasSize(64);
        DatasetSample s = sample(uid, "ID_long");

        assertThat(ShardReader.readAll(new ByteArrayInputStream(write(List.of(s))), "t")).containsExactly(s);
    }

    @Test
    void aUidTwiceInOneShardIsRefused() throws IOException {
        try (ShardWriter w = new ShardWriter(new ByteArrayOutputStream())) {
            w.add(sample("1.2.3", "p"));
            assertThatThrownBy(() -> w.add(sample("1.2.3", "q"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.2.3");
        }
    }

    @Test
    void aPngWithoutItsJsonIsNamed() {
        byte[] tar = rawTar("1.2.3.png", new byte[]{1, 2});
        assertThatThrownBy(() -> ShardReader.readAll(new ByteArrayInputStream(tar), "train-00007.tar"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("train-00007.tar").hasMessageContaining("'1.2.3.png'").hasMessageContaining("'1.2.3.json'");
    }

    @Test
    void aPngOfAnotherUidAfterTheJsonIsNamed() {
        byte[] tar = rawTar("1.2.3.json", sample("1.2.3", "p").json(), "1.2.4.png", new byte[]{1});
        assertThatThrownBy(() -> ShardReader.readAll(new ByteArrayInputStream(tar), "s"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'1.2.4.png' follows '1.2.3.json'");
    }

    @Test
    void aJsonWithoutItsPngIsNamed() {
        byte[] tar = rawTar("1.2.3.json", sample("1.2.3", "p").json());
        assertThatThrownBy(() -> ShardReader.readAll(new ByteArrayInputStream(tar), "s"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'1.2.3.json' is the last one");
    }

    @Test
    void badJsonIsNamedWithItsReason() {
        byte[] broken = rawTar("1.2.3.json", "{\"uid\":\"1.2.3\",".getBytes(StandardCharsets.UTF_8), "1.2.3.png", new byte[]{1});
        assertThatThrownBy(() -> ShardReader.readAll(new ByteArrayInputStream(broken), "s"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'1.2.3.json'").hasMessageContaining("not JSON");

        String noAny = "{\"uid\":\"1.2.3\",\"patient\":\"p\",\"labels\":{\"epidural\":0,\"intraparenchymal\":0,"
                + "\"intraventricular\":0,\"subarachnoid\":0,\"subdural\":0}}";
        byte[] missing = rawTar("1.2.3.json", noAny.getBytes(StandardCharsets.UTF_8), "1.2.3.png", new byte[]{1});
        assertThatThrownBy(() -> ShardReader.readAll(new ByteArrayInputStream(missing), "s"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no label any");

        byte[] otherUid = rawTar("1.2.3.json", sample("1.2.9", "p").json(), "1.2.3.png", new byte[]{1});
        assertThatThrownBy(() -> ShardReader.readAll(new ByteArrayInputStream(otherUid), "s"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'1.2.3.json' holds uid '1.2.9'");
    }

    @Test
    void aTruncatedShardIsAnIoErrorNamingTheEntry() throws IOException {
        byte[] tar = write(List.of(sample("1.2.3", "p"), sample("1.2.4", "p")));
        // Cut inside the second sample's PNG content: header blocks of 512 bytes, content padded to 512.
        byte[] cut = Arrays.copyOf(tar, 512 * 7 + 100);

        assertThatThrownBy(() -> ShardReader.readAll(new ByteArrayInputStream(cut), "s"))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("1.2.4.png");
    }

    @Test
    void labelsMustBeAllSixAndZeroOrOne() {
        Map<Label, Integer> labels = new EnumMap<>(Label.class);
        for (Label l : Label.values()) labels.put(l, 0);
        labels.put(Label.SUBDURAL, 2);
        assertThatThrownBy(() -> new DatasetSample("1.2.3", "p", labels, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subdural is 2");
        assertThatThrownBy(() -> new DatasetSample("1.2.x", "p", Map.of(), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SOPInstanceUID");
    }

    /** A tar made by hand, as a foreign or broken writer would. */
    static byte[] rawTar(Object... namesAndContents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                byte[] content = (byte[]) namesAndContents[i + 1];
                TarArchiveEntry e = new TarArchiveEntry((String) namesAndContents[i]);
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
