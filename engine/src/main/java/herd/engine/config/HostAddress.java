package herd.engine.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A host as a config writes it — a literal IPv4 or IPv6 address, or a host name — read
 * without asking DNS: whether it is one at all, whether it stands for every address of its
 * machine (a wildcard) or for its loopback, and whether two spellings name the same address.
 * The config is read before anything else runs (and on a machine that may not resolve the
 * other machines' names), so nothing here resolves a name. Pure and stateless.
 */
final class HostAddress {

    private HostAddress() {
    }

    /**
     * True for a literal IPv4 address (four numbers 0-255, no leading zeros: {@code 010}
     * reads as 8 to some tools and 10 to others), a literal IPv6 address (brackets allowed,
     * {@code [::]}), or a host name (RFC 1123: dot-separated labels of letters, digits and
     * '-', at most 253 characters; a final dot allowed).
     */
    static boolean isValid(String text) {
        return ip(text) != null || isHostName(text);
    }

    /** A form that is equal for two spellings of one address: IP literals normalised, names in lower case. */
    static String canonical(String text) {
        String ip = ip(text);
        if (ip != null) {
            return ip;
        }
        String name = text.toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** True for {@code 0.0.0.0} and {@code ::} however written: a socket bound there takes its port on every address. */
    static boolean isWildcard(String text) {
        String ip = ip(text);
        return "0.0.0.0".equals(ip) || "0:0:0:0:0:0:0:0".equals(ip);
    }

    /** True for 127.0.0.0/8, {@code ::1} and {@code localhost} (RFC 6761: also any name under {@code .localhost}). */
    static boolean isLoopback(String text) {
        String ip = ip(text);
        if (ip != null) {
            return ip.startsWith("127.") || ip.equals("0:0:0:0:0:0:0:1");
        }
        String name = canonical(text);
        return name.equals("localhost") || name.endsWith(".localhost");
    }

    /** The literal IP address {@code text} writes, normalised; null when it is none. */
    private static String ip(String text) {
        boolean bracketed = text.startsWith("[") && text.endsWith("]") && text.length() > 2;
        String t = bracketed ? text.substring(1, text.length() - 1) : text;
        if (t.indexOf(':') >= 0) {
            return ipv6(t);
        }
        return bracketed ? null : ipv4(t); // brackets hold only IPv6
    }

    private static String ipv4(String t) {
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || p.length() > 1 && p.charAt(0) == '0') {
                return null;
            }
            for (int i = 0; i < p.length(); i++) {
                if (p.charAt(i) < '0' || p.charAt(i) > '9') {
                    return null;
                }
            }
            if (Integer.parseInt(p) > 255) {
                return null;
            }
        }
        return t;
    }

    private static String ipv6(String t) {
        // Only ASCII hex digits, ':' and '.' (an embedded IPv4 address) before an optional
        // %zone, starting with a hex digit or ':': InetAddress then reads it as a literal and
        // never asks DNS (it looks up anything that starts otherwise).
        int zone = t.indexOf('%');
        String address = zone < 0 ? t : t.substring(0, zone);
        if (address.isEmpty() || zone == t.length() - 1 || address.charAt(0) == '.') {
            return null;
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                return null;
            }
        }
        try {
            return InetAddress.getByName(t).getHostAddress();
        } catch (UnknownHostException e) {
            return null; // not a well-formed literal, or a zone naming no interface here
        }
    }

    private static boolean isHostName(String text) {
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        boolean allDigits = true;
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                    return false;
                }
                allDigits &= c >= '0' && c <= '9';
            }
        }
        // Digits and dots alone are a mistyped IPv4 address (10.0.0.300, 10.0.1), never a name.
        return !allDigits;
    }
}
