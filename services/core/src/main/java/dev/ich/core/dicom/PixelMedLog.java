package dev.ich.core.dicom;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * PixelMed reports some failures (a truncated file, most notably) by logging SEVERE on stderr and
 * returning a partial list instead of throwing. We route its log into a per-thread buffer so the
 * reader can turn those messages into typed errors, and nothing leaks onto a service's console.
 */
final class PixelMedLog {
    // A strong reference: JUL keeps loggers weakly, and a collected logger would lose our handler.
    private static final Logger PIXELMED = Logger.getLogger("com.pixelmed");
    private static final ThreadLocal<List<String>> CAPTURED = new ThreadLocal<>();

    static {
        PIXELMED.setUseParentHandlers(false);
        PIXELMED.setLevel(Level.WARNING);
        PIXELMED.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                List<String> sink = CAPTURED.get();
                if (sink != null && record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    sink.add(describe(record));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    private PixelMedLog() {
    }

    /** Starts capturing this thread's PixelMed errors; pair with {@link #stop()} in a finally block. */
    static List<String> start() {
        List<String> sink = new ArrayList<>();
        CAPTURED.set(sink);
        return sink;
    }

    static void stop() {
        CAPTURED.remove();
    }

    private static String describe(LogRecord record) {
        Throwable t = record.getThrown();
        String msg = record.getMessage();
        if (t != null && t.getMessage() != null) msg = (msg == null || msg.isBlank() ? "" : msg + ": ") + t.getMessage();
        return msg == null ? "(no message)" : msg.strip();
    }
}
