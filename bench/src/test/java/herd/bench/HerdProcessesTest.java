package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's herds prove a cookie of their own, made once in the work folder. */
class HerdProcessesTest {

    @TempDir
    Path work;

    @Test
    void theHerdsCookieIsMadeOwnerOnlyInTheWorkFolderAndKept() throws Exception {
        Path cookie = HerdProcesses.cookieIn(work);
        assertEquals(work.resolve("herd-cookie").toAbsolutePath(), cookie);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cookie)));
        String first = Files.readString(cookie);
        assertTrue(first.matches("[0-9a-f]{64}\n"), first);
        assertEquals(cookie, HerdProcesses.cookieIn(work));
        assertEquals(first, Files.readString(cookie), "a restart reads the same cookie");
    }
}
