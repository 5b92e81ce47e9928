package herd.engine.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.HerdStartException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's cookie file: made owner-only on first start, reused, refused when others can read it or it is garbled. */
class CookieFileTest {

    @TempDir
    Path home;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theFirstStartMakesAnOwnerOnlyCookieAndLaterStartsReuseIt() throws Exception {
        Path file = home.resolve(".herd").resolve("cookie");
        String cookie = CookieFile.readOrCreate(file);
        assertTrue(cookie.matches("[0-9a-f]{64}"), "256 random bits, hex");
        assertEquals("rw-------", mode(file));
        assertEquals("rwx------", mode(file.getParent()));
        assertEquals(cookie + "\n", Files.readString(file));
        assertEquals(List.of(file), Files.list(file.getParent()).toList(), "no temporary file left");
        assertEquals(cookie, CookieFile.readOrCreate(file), "the same cookie at every start");
    }

    @Test
    void aCookieWrittenByHandOrCopiedFromAnotherMachineIsTakenAsItIs() throws Exception {
        Path file = home.resolve("cookie");
        Files.writeString(file, "ERLANG-STYLE-COOKIE-1234\r\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertEquals("ERLANG-STYLE-COOKIE-1234", CookieFile.readOrCreate(file));
    }

    @Test
    void aCookieOthersCanReadIsRefusedWithOneLineSayingWhatToDo() throws Exception {
        Path file = home.resolve("cookie");
        String cookie = CookieFile.readOrCreate(file);
        for (String mode : List.of("rw-r--r--", "rw----r--", "rw-rw----", "rw-----w-")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            HerdStartException e = assertThrows(HerdStartException.class, () -> CookieFile.readOrCreate(file));
            assertEquals("cookie file " + file + " can be read or written by other users (" + mode + "): run chmod 600 "
                    + file, e.getMessage());
            assertFalse(e.getMessage().contains(cookie), "the cookie is never shown");
        }
        assertEquals(cookie + "\n", Files.readString(file), "left as it was: the user decides");
    }

    @Test
    void anEmptyOrGarbledCookieIsRefused() throws Exception {
        Path file = home.resolve("cookie");
        for (String content : List.of("", "\n")) {
            write(file, content);
            assertEquals("cookie file " + file + " is empty: delete it, and the next start makes a new one (then copy"
                    + " that one to every machine of the herd)", refusal(file));
        }
        for (String content : List.of("short\n", "two words in a cookie\n", "0123456789abcdef\n0123456789abcdef\n",
                "0123456789abcdef\u00e9\n", "x".repeat(1025), "tab\tin0123456789abcdef")) {
            write(file, content);
            assertEquals("cookie file " + file + " is not one line of 16 to 1024 visible ASCII characters: delete it,"
                    + " and the next start makes a new one (then copy that one to every machine of the herd)",
                    refusal(file), content);
        }
        Files.delete(file);
        Files.createDirectory(file);
        assertEquals("cookie file " + file + " is not a regular file", refusal(file));
    }

    @Test
    void aCookieInAPlaceThatCannotHoldOneStopsTheStartWithOneLine() throws Exception {
        Path notAFolder = home.resolve("plain");
        Files.writeString(notAFolder, "x");
        Path file = notAFolder.resolve("cookie");
        assertEquals("cannot read cookie file " + file + ": Not a directory (or set security.peerSecretEnv, or"
                + " security.peerAuth \"none\")", refusal(file));
    }

    @Test
    void serversStartingAtTheSameInstantAllGetTheOneCookie() throws Exception {
        int servers = 5;
        ExecutorService pool = Executors.newFixedThreadPool(servers);
        try {
            for (int round = 0; round < 20; round++) {
                Path file = home.resolve("round-" + round).resolve(".herd").resolve("cookie");
                CyclicBarrier together = new CyclicBarrier(servers);
                List<Future<String>> cookies = new ArrayList<>();
                for (int i = 0; i < servers; i++) {
                    cookies.add(pool.submit(() -> {
                        together.await();
                        return CookieFile.readOrCreate(file);
                    }));
                }
                Set<String> seen = new HashSet<>();
                for (Future<String> f : cookies) {
                    seen.add(f.get(30, TimeUnit.SECONDS));
                }
                assertEquals(1, seen.size(), "round " + round + ": every server has the same cookie");
                assertEquals(seen.iterator().next() + "\n", Files.readString(file));
                assertEquals(List.of(file), Files.list(file.getParent()).toList(), "no temporary file left");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void write(Path file, String content) throws Exception {
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static String refusal(Path file) {
        return assertThrows(HerdStartException.class, () -> CookieFile.readOrCreate(file)).getMessage();
    }
}
