package dev.ich.ingest.stow;

import dev.ich.ingest.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The STOW-RS framing, byte by byte: what real clients send, split however the network splits it. */
class MultipartRelatedTest {

    @Test
    void partsComeOutWhole_evenWhenTheNetworkDeliversAFewBytesAtATime() throws IOException {
        byte[] first = "DICM one\r\n--not-the-boundary".getBytes(StandardCharsets.ISO_8859_1);
        byte[] second = new byte[200_000];
        for (int i = 0; i < second.length; i++) second[i] = (byte) (i * 31);
        byte[] body = Fixtures.multipart(List.of(Fixtures.Part.dicom(first), Fixtures.Part.dicom(second)));

        List<MultipartRelated.Part> parts = readAll(new Trickle(body), Long.MAX_VALUE, Long.MAX_VALUE);

        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).body()).isEqualTo(first);
        assertThat(parts.get(0).contentType()).isEqualTo("application/dicom");
        assertThat(parts.get(1).body()).isEqualTo(second);
    }

    @Test
    void aPreambleIsIgnoredAndAnOversizedPartIsSkippedNotFatal() throws IOException {
        String body = "this is a preamble\r\n--" + Fixtures.BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n"
                + "x".repeat(100) + "\r\n--" + Fixtures.BOUNDARY + "  \r\ncontent-type: application/dicom\r\n\r\nsmall\r\n--"
                + Fixtures.BOUNDARY + "--";

        List<MultipartRelated.Part> parts = readAll(new ByteArrayInputStream(body.getBytes()), 50, Long.MAX_VALUE);

        assertThat(parts.get(0).body()).isNull();
        assertThat(parts.get(0).size()).isEqualTo(100);
        assertThat(new String(parts.get(1).body())).isEqualTo("small");
    }

    @Test
    void brokenBodiesAndOverlongRequestsSayWhatIsWrong() {
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream("--other\r\n\r\nx\r\n--other--".getBytes()), 100, 1000))
                .isInstanceOf(MultipartRelated.MalformedException.class).hasMessageContaining("no boundary");
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(("--" + Fixtures.BOUNDARY + "--").getBytes()), 100, 1000))
                .hasMessageContaining("no parts");
        byte[] big = Fixtures.multipart(List.of(Fixtures.Part.dicom(new byte[5000])));
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(big), 10_000, 1000))
                .isInstanceOf(MultipartRelated.TooLargeException.class).hasMessageContaining("1000 bytes");
    }

    /** The parts before a break come out whole; the break is thrown by the call after the last of them. */
    @Test
    void aBodyCutOffYieldsEveryPartBeforeTheCut() throws IOException {
        byte[] whole = Fixtures.multipart(List.of(Fixtures.Part.dicom("one".getBytes()), Fixtures.Part.dicom("two".getBytes())));
        for (int cutAt : new int[] {whole.length - 4, whole.length - 10}) {
            MultipartRelated reader = new MultipartRelated(new ByteArrayInputStream(java.util.Arrays.copyOf(whole, cutAt)),
                    Fixtures.BOUNDARY, 100, 1000);
            assertThat(new String(reader.next().body())).isEqualTo("one");
            if (cutAt == whole.length - 4) {
                // the closing delimiter of "two" arrived, only its "--" did not
                assertThat(new String(reader.next().body())).isEqualTo("two");
                assertThatThrownBy(reader::next).isInstanceOf(MultipartRelated.MalformedException.class)
                        .hasMessage("the body ends after a boundary");
            } else {
                assertThatThrownBy(reader::next).isInstanceOf(MultipartRelated.MalformedException.class)
                        .hasMessage("the body ends inside a part: no closing boundary");
            }
            assertThatThrownBy(reader::next).as("the break stays").isInstanceOf(MultipartRelated.MalformedException.class);
        }
    }

    private static List<MultipartRelated.Part> readAll(InputStream in, long maxPart, long maxTotal) throws IOException {
        MultipartRelated reader = new MultipartRelated(in, Fixtures.BOUNDARY, maxPart, maxTotal);
        List<MultipartRelated.Part> parts = new ArrayList<>();
        for (MultipartRelated.Part p = reader.next(); p != null; p = reader.next()) parts.add(p);
        return parts;
    }

    /** Hands out 1 to 7 bytes per read, so delimiters straddle every possible split. */
    private static final class Trickle extends FilterInputStream {
        private int n;

        Trickle(byte[] bytes) {
            super(new ByteArrayInputStream(bytes));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1 + n++ % 7));
        }
    }
}
