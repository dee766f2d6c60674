package dev.ich.cli.stack;

import com.sun.security.auth.module.UnixSystem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Who the local stack's processes run as. As in the chart, where every pod runs as non-root: when {@code ./ich up}
 * runs as root (CI does), services, Kafka, S3, the OIDC provider, Orthanc and with them training's trainer processes
 * run as the system user {@value #SYSTEM_USER} (made with useradd when absent), through util-linux's {@code setpriv},
 * and own the stack's data; otherwise they run as whoever runs {@code ./ich up}.
 */
public record StackUser(String name, long uid, long gid, boolean dropsPrivileges) {
    public static final String SYSTEM_USER = "ich";
    private static final String SETPRIV = "/usr/bin/setpriv";

    /** The invoking user, or {@value #SYSTEM_USER} when that is root. */
    public static StackUser forStack() throws IOException {
        UnixSystem me = new UnixSystem();
        if (me.getUid() != 0) return new StackUser(me.getUsername(), me.getUid(), me.getGid(), false);
        if (!Files.isExecutable(Path.of(SETPRIV))) {
            throw new StackUserException("./ich up runs as root and would run the stack's processes as the user " + SYSTEM_USER
                    + ", but " + SETPRIV + " (Debian: util-linux) is missing: install it, or run ./ich up as a non-root user");
        }
        List<String> entry = lookup();
        if (entry.isEmpty()) {
            // Two stacks starting at once may both try; the loser finds the winner's user.
            String made = run(List.of("useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                    "--shell", "/usr/sbin/nologin", "--comment", "ich local stack", SYSTEM_USER));
            entry = lookup();
            if (entry.isEmpty()) {
                throw new StackUserException("./ich up runs as root and runs the stack's processes as the system user " + SYSTEM_USER
                        + ", which does not exist and could not be made (useradd: " + made.strip() + "): make it (useradd --system "
                        + SYSTEM_USER + "), or run ./ich up as a non-root user");
            }
        }
        return new StackUser(SYSTEM_USER, Long.parseLong(entry.get(2)), Long.parseLong(entry.get(3)), true);
    }

    /** passwd fields of {@value #SYSTEM_USER}, empty when there is no such user. */
    private static List<String> lookup() throws IOException {
        String line = run(List.of("getent", "passwd", SYSTEM_USER)).strip();
        return line.startsWith(SYSTEM_USER + ":") ? List.of(line.split(":")) : List.of();
    }

    /** {@code command}, run as this user. */
    public List<String> command(List<String> command) {
        if (!dropsPrivileges) return command;
        List<String> wrapped = new ArrayList<>(List.of(SETPRIV, "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Makes {@code dir} and everything in it this user's (what it does not own yet), so its processes can write there. */
    public void own(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (!dropsPrivileges) return;
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                chown(d);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                chown(f);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void chown(Path p) throws IOException {
        if (((Number) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue() != uid) {
            Files.setAttribute(p, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
        }
        if (((Number) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue() != gid) {
            Files.setAttribute(p, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** Lets other users into {@code dir} (search only), so this user reaches what the stack gave it below. */
    public void letThrough(Path dir) throws IOException {
        if (!dropsPrivileges) return;
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
        if (perms.add(PosixFilePermission.OTHERS_EXECUTE)) Files.setPosixFilePermissions(dir, perms);
    }

    /** Those of {@code paths} this user cannot read (a directory: cannot list and enter), in order. */
    public List<Path> unreadable(List<Path> paths) throws IOException {
        return blocked(paths, "[ -r \"$f\" ] && [ -x \"$f\" ]");
    }

    /** Those of {@code paths} this user cannot read; directories need only be enterable (search), as on a path's way down. */
    private List<Path> notEnterable(List<Path> paths) throws IOException {
        return blocked(paths, "[ -x \"$f\" ]");
    }

    private List<Path> blocked(List<Path> paths, String directoryTest) throws IOException {
        if (!dropsPrivileges || paths.isEmpty()) return List.of();
        List<String> check = new ArrayList<>(List.of("/bin/sh", "-c",
                "for f do if [ -d \"$f\" ]; then " + directoryTest + " || echo \"$f\"; else [ -r \"$f\" ] || echo \"$f\"; fi; done",
                "sh"));
        paths.forEach(p -> check.add(p.toString()));
        String out = run(command(check));
        List<Path> unreadable = new ArrayList<>();
        for (String line : out.split("\n")) if (!line.isBlank()) unreadable.add(Path.of(line));
        return unreadable;
    }

    /** The first of {@code dir} and its parents this user cannot enter (search), or null: what it needs to reach below {@code dir}. */
    public Path firstNotEnterable(Path dir) throws IOException {
        List<Path> chain = new ArrayList<>();
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) chain.add(0, p);
        List<Path> blocked = notEnterable(chain);
        return blocked.isEmpty() ? null : blocked.get(0);
    }

    /** The first of {@code path} and its parents this user cannot enter or read, the reason a process of it cannot open it. */
    public Path firstBlocked(Path path) throws IOException {
        List<Path> above = new ArrayList<>();
        Path target = path.toAbsolutePath();
        for (Path p = target.getParent(); p != null; p = p.getParent()) above.add(0, p);
        // the directories above need only let it through; the path itself must be readable (a directory: listable too)
        List<Path> blocked = notEnterable(above);
        if (!blocked.isEmpty()) return blocked.get(0);
        blocked = unreadable(List.of(target));
        return blocked.isEmpty() ? null : blocked.get(0);
    }

    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
    }

    /** The stack cannot run its processes as a non-root user; the message says what to do. */
    public static final class StackUserException extends IOException {
        public StackUserException(String message) {
            super(message);
        }
    }
}
