package herd.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line: a scenario name, then {@code --name value} options and
 * {@code --flag}s. Refuses unknown scenarios and options with a message. Immutable.
 */
record Options(String scenario, Map<String, String> values) {

    static final List<String> SCENARIOS =
            List.of("compare", "roundtrip", "throughput", "propagation", "capacity", "whatsat", "startup", "rejoin",
                    "burst");
    private static final Set<String> FLAGS = Set.of("smoke", "spread", "loaded", "new", "one-process", "no-node");
    private static final Set<String> VALUED = Set.of("runs", "measure", "connections", "out", "launcher", "asyncio",
            "python", "config", "server", "duration", "clients", "depth", "from", "to", "herd-cmd", "table-clients",
            "burst", "node", "node-exe");

    static Options parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("no scenario given");
        }
        if (List.of("--help", "-h", "help").contains(args[0])) {
            return new Options("help", Map.of());
        }
        String scenario = args[0];
        if (!SCENARIOS.contains(scenario)) {
            throw new IllegalArgumentException("unknown scenario " + scenario + " (one of " + String.join(", ", SCENARIOS) + ")");
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String name = a.substring(2);
            if (FLAGS.contains(name)) {
                values.put(name, "true");
            } else if (VALUED.contains(name)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (!scenario.equals("compare") && !values.containsKey("config")) {
            throw new IllegalArgumentException(scenario + " needs --config FILE (the running herd's config)");
        }
        return new Options(scenario, Map.copyOf(values));
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String get(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    int intValue(String name, int otherwise) {
        try {
            return has(name) ? Integer.parseInt(values.get(name)) : otherwise;
        } catch (NumberFormatException e) {
            throw new BenchException("--" + name + " must be a whole number, not " + values.get(name));
        }
    }

    double doubleValue(String name, double otherwise) {
        try {
            return has(name) ? Double.parseDouble(values.get(name)) : otherwise;
        } catch (NumberFormatException e) {
            throw new BenchException("--" + name + " must be a number, not " + values.get(name));
        }
    }
}
