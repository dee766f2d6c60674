package dev.ich.inference;

import dev.ich.runtime.problem.ApiProblem;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Request bodies read with a limit (413 with the setting to raise), and the parts of a multipart/related study. */
final class Bodies {
    private Bodies() {
    }

    static byte[] read(InputStream in, long limit, String setting) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > limit) {
                    throw new ApiProblem(413, "TooLarge", "the request body exceeds " + limit + " bytes (" + setting + ")");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new ApiProblem(400, "BodyUnreadable", "the request body could not be read: " + e.getMessage());
        }
    }

    record Part(Map<String, String> headers, byte[] body) {
        String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    /** RFC 2046 framing of a body held in memory: the parts between {@code --boundary} lines, headers lower-cased. */
    static List<Part> parts(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Integer> at = new ArrayList<>();
        for (int i = indexOf(body, delimiter, 0); i >= 0; i = indexOf(body, delimiter, i + delimiter.length)) {
            if (i == 0 || (i >= 2 && body[i - 2] == '\r' && body[i - 1] == '\n')) at.add(i);
        }
        if (at.isEmpty()) {
            throw new ApiProblem(400, "MalformedMultipart", "no boundary \"" + boundary + "\" in the body: is it the one Content-Type names?");
        }
        List<Part> parts = new ArrayList<>();
        for (int k = 0; k < at.size(); k++) {
            int start = at.get(k) + delimiter.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') return parts; // closing delimiter
            if (k + 1 >= at.size()) break;
            int end = at.get(k + 1) - 2; // the CRLF before the next delimiter belongs to it
            int lineEnd = indexOf(body, new byte[] {'\r', '\n'}, start);
            int headersEnd = indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, lineEnd);
            Map<String, String> headers = new LinkedHashMap<>();
            int content;
            if (lineEnd >= 0 && lineEnd + 2 <= end && body[lineEnd + 2] == '\r' && body[lineEnd + 3] == '\n') {
                content = lineEnd + 4; // no headers
            } else if (headersEnd < 0 || headersEnd > end) {
                throw new ApiProblem(400, "MalformedMultipart", "part " + (k + 1) + " has no end of headers (an empty line)");
            } else {
                for (String line : new String(body, lineEnd + 2, headersEnd - lineEnd - 2, StandardCharsets.ISO_8859_1).split("\r\n")) {
                    int colon = line.indexOf(':');
                    if (colon > 0) headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
                }
                content = headersEnd + 4;
            }
            parts.add(new Part(headers, Arrays.copyOfRange(body, content, Math.max(content, end))));
        }
        throw new ApiProblem(400, "MalformedMultipart", "the body ends without its closing boundary \"--" + boundary + "--\"");
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        if (from < 0) return -1;
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
