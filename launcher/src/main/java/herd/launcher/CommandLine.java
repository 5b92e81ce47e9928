package herd.launcher;

/**
 * The launcher's arguments: a mode ({@code NAME}, {@code --herd}, {@code --gui},
 * {@code --help}) and an optional {@code --config FILE}. Refuses anything else with a
 * message for the user.
 */
record CommandLine(Mode mode, String serverName, String config) {

    enum Mode { SERVER, HERD, GUI, HELP }

    static CommandLine parse(String[] args) {
        Mode mode = null;
        String name = null;
        String config = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    return new CommandLine(Mode.HELP, null, null);
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
        return new CommandLine(mode, name, config);
    }

    private static Mode setOnce(Mode current, Mode next, String arg) {
        if (current != null) {
            throw new IllegalArgumentException("only one of NAME, --herd, --gui may be given (extra: " + arg + ")");
        }
        return next;
    }
}
