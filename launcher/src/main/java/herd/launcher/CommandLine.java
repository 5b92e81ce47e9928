package herd.launcher;

/**
 * The launcher's arguments: a mode ({@code NAME}, {@code --herd}, {@code --gui},
 * {@code --help}), an optional {@code --config FILE}, and for {@code NAME} an optional
 * {@code --metrics-port N}. Refuses anything else with a message for the user.
 *
 * @param metricsPort the port NAME serves metrics on (0: any free port), or null when not given
 */
record CommandLine(Mode mode, String serverName, String config, Integer metricsPort) {

    enum Mode { SERVER, HERD, GUI, HELP }

    static CommandLine parse(String[] args) {
        Mode mode = null;
        String name = null;
        String config = null;
        Integer metricsPort = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    return new CommandLine(Mode.HELP, null, null, null);
                }
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--config needs a file name");
                    }
                    if (config != null) {
                        throw new IllegalArgumentException("--config given twice");
                    }
                    config = args[++i];
                }
                case "--metrics-port" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--metrics-port needs a port number");
                    }
                    if (metricsPort != null) {
                        throw new IllegalArgumentException("--metrics-port given twice");
                    }
                    metricsPort = port(args[++i]);
                }
                case "--herd", "--gui" -> mode = setOnce(mode, a.equals("--herd") ? Mode.HERD : Mode.GUI, a);
                default -> {
                    if (a.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                    mode = setOnce(mode, Mode.SERVER, a);
                    name = a;
                }
            }
        }
        if (mode == null) {
            throw new IllegalArgumentException("say which server to run (a NAME), or --herd, or --gui");
        }
        if (metricsPort != null && mode != Mode.SERVER) {
            // One port cannot serve several servers' /health, and N+index would pick ports nobody chose.
            throw new IllegalArgumentException("--metrics-port is for one server (NAME --metrics-port N); with "
                    + (mode == Mode.HERD ? "--herd" : "--gui") + ", give each server \"metrics\": {\"port\": N} in the config");
        }
        return new CommandLine(mode, name, config, metricsPort);
    }

    /** A port number from 0 (any free port) to 65535, written in plain digits. */
    private static int port(String text) {
        boolean digits = !text.isEmpty() && text.length() <= 5;
        for (int i = 0; i < text.length(); i++) {
            digits &= text.charAt(i) >= '0' && text.charAt(i) <= '9'; // a loop: no lambda before the ports are bound
        }
        if (!digits || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("--metrics-port needs a port number from 0 to 65535, got \"" + text + "\"");
        }
        return Integer.parseInt(text);
    }

    private static Mode setOnce(Mode current, Mode next, String arg) {
        if (current != null) {
            throw new IllegalArgumentException("only one of NAME, --herd, --gui may be given (extra: " + arg + ")");
        }
        return next;
    }
}
