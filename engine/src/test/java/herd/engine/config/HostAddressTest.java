package herd.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hosts read without DNS: what counts as an address, a wildcard, a loopback, the same address. */
class HostAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0", "::0", "::ffff:0.0.0.0"})
    void everyAddressIsAWildcardHoweverWritten(String host) {
        assertTrue(HostAddress.isValid(host), host);
        assertTrue(HostAddress.isWildcard(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LocalHost.", "herd.localhost"})
    void loopbackAddressesAndLocalhostAreLoopback(String host) {
        assertTrue(HostAddress.isLoopback(host), host);
        assertFalse(HostAddress.isWildcard(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.3", "fd00::2", "herd.example", "localhost.example", "128.0.0.1", "0.0.0.1"})
    void otherAddressesAndNamesAreNeither(String host) {
        assertTrue(HostAddress.isValid(host), host);
        assertFalse(HostAddress.isLoopback(host), host);
        assertFalse(HostAddress.isWildcard(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "256.0.0.1", "1.2.3", "01.2.3.4", "1.2.3.4.", "[1.2.3.4]", "[::", "::g", "a_b",
            "a..b", "-a", "a-", "a b", "ä.example", ":::", "fe80::1%", "2001:db8::1/64", ".::1", "::\u0663"})
    void anythingElseIsRefused(String host) {
        assertFalse(HostAddress.isValid(host), host);
    }

    @Test
    void twoSpellingsOfOneAddressAreTheSame() {
        assertEquals(HostAddress.canonical("::1"), HostAddress.canonical("[0:0:0:0:0:0:0:1]"));
        assertEquals(HostAddress.canonical("Herd.Example."), HostAddress.canonical("herd.example"));
        assertEquals(HostAddress.canonical("fd00::2"), HostAddress.canonical("FD00:0::2"));
    }

    @Test
    void aHostNameMayBe253CharactersOfLabelsUpTo63() {
        String label = "a".repeat(63);
        String name = label + "." + label + "." + label + "." + "b".repeat(61);
        assertEquals(253, name.length());
        assertTrue(HostAddress.isValid(name));
        assertFalse(HostAddress.isValid(name + "c"), "254 characters");
        assertFalse(HostAddress.isValid("a".repeat(64) + ".example"), "a label of 64");
    }
}
