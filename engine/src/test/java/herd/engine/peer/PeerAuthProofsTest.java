package herd.engine.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import herd.engine.config.Security;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The handshake's proofs, without sockets. */
class PeerAuthProofsTest {

    @Test
    void proofsAreBoundToNamesNoncesAndSide() {
        PeerAuth auth = PeerAuth.withSecret("s");
        String a = auth.acceptorProof("Hands", "Goloman", "n1", "n2");
        assertEquals(64, a.length());
        assertFalse(a.equals(auth.dialerProof("Hands", "Goloman", "n1", "n2")), "one side's proof is not the other's");
        assertFalse(a.equals(auth.acceptorProof("Hands", "Goloman", "n1", "n3")));
        assertFalse(a.equals(PeerAuth.withSecret("t").acceptorProof("Hands", "Goloman", "n1", "n2")));
        assertEquals("PeerAuth[secret set]", auth.toString());
        assertFalse(Security.sharedSecret("s3cr3t").toString().contains("s3cr3t"));
    }

    @Test
    void theHmacIsTheJdksHmacSha256() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        for (int keyLength : new int[] {1, 16, 63, 64, 65, 200}) {
            for (int messageLength : new int[] {0, 1, 55, 64, 200}) {
                byte[] key = new byte[keyLength];
                byte[] message = new byte[messageLength];
                random.nextBytes(key);
                random.nextBytes(message);
                Mac jdk = Mac.getInstance("HmacSHA256");
                jdk.init(new SecretKeySpec(key, "HmacSHA256"));
                assertArrayEquals(jdk.doFinal(message), PeerAuth.hmacSha256(key, message),
                        "key " + keyLength + " bytes, message " + messageLength);
            }
        }
        // RFC 4231, test case 2
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                HexFormat.of().formatHex(PeerAuth.hmacSha256("Jefe".getBytes(StandardCharsets.US_ASCII),
                        "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII))));
    }
}
