package dev.ich.ingest.stow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Streams the parts of a {@code multipart/related} body (RFC 2387 on RFC 2046 framing) one at a time,
 * so a STOW-RS request of a whole study never sits in memory at once: only the current part does, up
 * to {@code maxPartBytes}; a bigger part is skipped and reported, the request goes on. The total body
 * is capped at {@code maxTotalBytes}: beyond that the request is refused.
 */
final class MultipartRelated {
    private static final int CHUNK = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    /** One part: headers with lower-case names, and the body, or null when it exceeded the part limit. */
    record Part(Map<String, String> headers, byte[] body, long size) {
        String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    static final class MalformedException extends IOException {
        MalformedException(String reason) {
            super(reason);
        }
    }

    static final class TooLargeException extends IOException {
        TooLargeException(String reason) {
            super(reason);
        }
    }

    private final InputStream in;
    private final byte[] delimiter;
    private final long maxPartBytes;
    private final long maxTotalBytes;
    private byte[] buf = new byte[CHUNK];
    private int start;
    private int end;
    private long total;
    private boolean started;
    private boolean done;
    private IOException broken;

    MultipartRelated(InputStream in, String boundary, long maxPartBytes, long maxTotalBytes) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.maxPartBytes = maxPartBytes;
        this.maxTotalBytes = maxTotalBytes;
        // A virtual CRLF in front: the first delimiter then looks like every other one.
        buf[0] = '\r';
        buf[1] = '\n';
        end = 2;
    }

    /**
     * The next part, or null after the closing delimiter. A part is whole once its closing delimiter is read: what breaks
     * after that (the rest of the boundary line, the next part) is thrown by the call after, so that part is not lost.
     */
    Part next() throws IOException {
        if (broken != null) throw broken;
        if (done) return null;
        if (!started) skipPreamble();
        Map<String, String> headers = readHeaders();
        PartBody body = readUntilDelimiter();
        try {
            afterDelimiter();
        } catch (IOException e) {
            broken = e;
        }
        return new Part(headers, body.bytes, body.size);
    }

    /** Text before the first boundary is allowed by RFC 2046 and ignored. */
    private void skipPreamble() throws IOException {
        started = true;
        try {
            readUntilDelimiter();
        } catch (MalformedException e) {
            throw new MalformedException("no boundary \"" + new String(delimiter, 4, delimiter.length - 4,
                    StandardCharsets.ISO_8859_1) + "\" in the body: is it the one named in Content-Type?");
        }
        afterDelimiter();
        if (done) throw new MalformedException("the body holds no parts");
    }

    private record PartBody(byte[] bytes, long size) {
    }

    /** Reads up to the next delimiter, keeping at most maxPartBytes; consumes the delimiter itself. */
    private PartBody readUntilDelimiter() throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long size = 0;
        while (true) {
            int at = indexOf(delimiter, start, end);
            int safe = at >= 0 ? at : Math.max(start, end - delimiter.length + 1);
            int n = safe - start;
            if (n > 0) {
                if (size + n <= maxPartBytes) kept.write(buf, start, n);
                size += n;
                start = safe;
            }
            if (at >= 0) {
                start = at + delimiter.length;
                return new PartBody(size <= maxPartBytes ? kept.toByteArray() : null, size);
            }
            if (size > maxPartBytes) kept.reset();
            if (!fill()) throw new MalformedException("the body ends inside a part: no closing boundary");
        }
    }

    /** After a delimiter: "--" closes the body; otherwise optional whitespace and CRLF open a part. */
    private void afterDelimiter() throws IOException {
        while (end - start < 2) if (!fill()) throw new MalformedException("the body ends after a boundary");
        if (buf[start] == '-' && buf[start + 1] == '-') {
            done = true;
            return;
        }
        while (true) {
            while (end - start < 2) if (!fill()) throw new MalformedException("the body ends after a boundary");
            if (buf[start] == ' ' || buf[start] == '\t') start++;
            else break;
        }
        if (buf[start] != '\r' || buf[start + 1] != '\n') throw new MalformedException("a boundary line must end with CRLF");
        start += 2;
    }

    private Map<String, String> readHeaders() throws IOException {
        byte[] crlf2 = {'\r', '\n', '\r', '\n'};
        int at;
        if (end - start >= 2 && buf[start] == '\r' && buf[start + 1] == '\n') {
            start += 2; // a part without headers: defaults to text/plain, which we will refuse
            return Map.of();
        }
        while ((at = indexOf(crlf2, start, end)) < 0) {
            if (end - start > MAX_HEADER_BYTES) throw new MalformedException("part headers longer than " + MAX_HEADER_BYTES + " bytes");
            if (!fill()) throw new MalformedException("the body ends inside part headers");
        }
        String text = new String(buf, start, at - start, StandardCharsets.ISO_8859_1);
        start = at + 4;
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) throw new MalformedException("malformed part header line \"" + line + "\"");
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return headers;
    }

    /** Moves unread bytes to the front and reads more; false at end of stream. */
    private boolean fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) return false;
        total += n;
        if (total > maxTotalBytes) {
            throw new TooLargeException("request body exceeds the limit of " + maxTotalBytes
                    + " bytes (ich.ingest.max-request-bytes): send the study in several requests");
        }
        end += n;
        return true;
    }

    /** First byte first, then the rest at once: the delimiter's CR is rare in pixel data, so most bytes cost one compare. */
    private int indexOf(byte[] needle, int from, int to) {
        byte first = needle[0];
        int last = to - needle.length;
        for (int i = from; i <= last; i++) {
            if (buf[i] == first && Arrays.equals(buf, i + 1, i + needle.length, needle, 1, needle.length)) return i;
        }
        return -1;
    }
}
