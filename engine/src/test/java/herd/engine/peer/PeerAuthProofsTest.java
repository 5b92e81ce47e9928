package herd.engine.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import herd.engine.config.Security;
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
}
