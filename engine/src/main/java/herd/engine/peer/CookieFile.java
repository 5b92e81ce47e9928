package herd.engine.peer;

import herd.engine.HerdStartException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Set;

/**
 * The user's cookie: the secret peer links prove they know when the config names none
 * (README "Peer authentication"), kept in a file only its user can read, as Erlang
 * distribution keeps {@code ~/.erlang.cookie}. Every server the user starts on the machine
 * reads the same file, so they link without any setup; a herd across machines copies it.
 *
 * <p>The first start makes it: 32 random bytes as 64 hex digits and a newline, written to a
 * temporary file that is created owner-only (0600, in a folder made 0700) and then
 * hard-linked to the cookie's name. A link never replaces a file, so of five servers that
 * start at the same instant exactly one makes the cookie, the others find it there (whole:
 * it was written before it got its name) and read it. A cookie file that other users may
 * read or write is refused, as ssh and Erlang refuse theirs, and so is one that is not a
 * single line of visible characters. Messages name the file, never the cookie.
 *
 * <p>Blocking file I/O: called once per {@code Herd}, on the thread that creates it (the
 * launcher has bound the ports by then), never on an I/O thread.
 */
public final class CookieFile {

    static final int MIN_CHARS = 16;
    static final int MAX_CHARS = 1024;
    private static final int RANDOM_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");

    private CookieFile() {
    }

    /** The cookie in {@code file}, made there first if there is none. */
    public static String readOrCreate(Path file) throws HerdStartException {
        try {
            return read(file);
        } catch (NoSuchFileException absent) {
            create(file);
            try {
                return read(file);
            } catch (IOException e) {
                throw cannot("read", file, e);
            }
        } catch (IOException e) {
            throw cannot("read", file, e);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static String read(Path file) throws IOException, HerdStartException {
        if (posix()) {
            PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw refused(file, "is not a regular file");
            }
            Set<PosixFilePermission> permissions = attributes.permissions();
            for (PosixFilePermission p : permissions) {
                if (!OWNER_ONLY_FOLDER.contains(p)) {
                    throw refused(file, "can be read or written by other users ("
                            + PosixFilePermissions.toString(permissions) + "): run chmod 600 " + file);
                }
            }
        } else if (!Files.isRegularFile(file)) {
            throw refused(file, "is not a regular file");
        }
        if (Files.size(file) > MAX_CHARS + 2) {
            throw garbled(file);
        }
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\n') {
            end--;
            if (end > 0 && bytes[end - 1] == '\r') {
                end--;
            }
        }
        if (end == 0) {
            throw refused(file, "is empty: delete it, and the next start makes a new one (then copy that one"
                    + " to every machine of the herd)");
        }
        if (end < MIN_CHARS || end > MAX_CHARS) {
            throw garbled(file);
        }
        for (int i = 0; i < end; i++) {
            if (bytes[i] < 0x21 || bytes[i] > 0x7E) {
                throw garbled(file);
            }
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }

    /** Makes the cookie file, unless another server makes it first (then its cookie is the one). */
    private static void create(Path file) throws HerdStartException {
        boolean posix = posix();
        Path folder = file.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            if (posix) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER));
            } else {
                Files.createDirectories(folder);
            }
            FileAttribute<?>[] ownerOnly = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                    : new FileAttribute<?>[0];
            temporary = Files.createTempFile(folder, ".cookie-", ".tmp", ownerOnly);
            byte[] cookie = (HexFormat.of().formatHex(PeerAuth.randomBytes(RANDOM_BYTES)) + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap(cookie));
                out.force(true); // whole on disk before it has its name: a crash leaves no empty cookie
            }
            Files.createLink(file, temporary);
        } catch (FileAlreadyExistsException madeByAnother) {
            // another server starting at the same time made it: read theirs
        } catch (IOException | UnsupportedOperationException e) {
            throw cannot("create", file, e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // only a stray temporary file is left, holding nothing anyone uses
                }
            }
        }
    }

    private static HerdStartException garbled(Path file) {
        return refused(file, "is not one line of " + MIN_CHARS + " to " + MAX_CHARS
                + " visible ASCII characters: delete it, and the next start makes a new one (then copy that one"
                + " to every machine of the herd)");
    }

    private static HerdStartException refused(Path file, String problem) {
        return new HerdStartException("cookie file " + file + " " + problem, null);
    }

    private static HerdStartException cannot(String what, Path file, Exception e) {
        String why = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof NoSuchFileException ? "no such file or folder"
                : e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage() != null ? e.getMessage() : e.toString();
        return new HerdStartException("cannot " + what + " cookie file " + file + ": " + why
                + " (or set security.peerSecretEnv, or security.peerAuth \"none\")", e);
    }
}
