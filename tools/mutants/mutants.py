#!/usr/bin/python3
"""Runs one-line mutations of the production code against the tests that must catch them.

Each mutant replaces one exact piece of source text, runs the named tests with Maven and
expects them to FAIL; the source is restored afterwards whatever happens. Not part of
`mvn verify` (each mutant is a build and a test run): run it by hand after changing a test
or the code it pins.

    /usr/bin/python3 tools/mutants/mutants.py            # every mutant
    /usr/bin/python3 tools/mutants/mutants.py cut-redial # the named ones
    /usr/bin/python3 tools/mutants/mutants.py --list

Exit code 0 when every mutant run was caught (its tests failed), 1 otherwise.
"""
import pathlib
import re
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
E = "engine/src/main/java/herd/engine/"
P = E + "peer/"
S = E + "server/"
G = "gui/src/main/java/herd/gui/"
R = "engine/src/main/java/herd/engine/protocol/"
L = "launcher/src/main/java/herd/launcher/"


class Mutant:
    def __init__(self, name, why, edits, module, tests, failsafe=False):
        self.name, self.why, self.edits = name, why, edits
        self.module, self.tests, self.failsafe = module, tests, failsafe


MUTANTS = [
    Mutant("no-coalescing", "every update goes to the link's write queue at once",
           [(P + "PeerLink.java", "if (!behind && ch.queuedBytes() < watermark) {", "if (true) {")],
           "engine", ["CoalescingTest"]),
    Mutant("coalesce-keeps-oldest", "a waiting update is not replaced by a newer one",
           [(P + "PendingUpdates.java", "} else if (time.isAfter(old.time())) {", "} else if (false) {")],
           "engine", ["PendingUpdatesTest", "CoalescingTest"]),
    Mutant("stuck-peer-kept", "a live peer that reads nothing is never dropped",
           [(P + "PeerLink.java", "if (behind && now - lastProgress > NOT_READING_NANOS) {", "if (false) {")],
           "engine", ["HerdLimitsTest#peerThatNeverReadsIsDroppedWithALogLine"]),
    Mutant("latitude-91", "a latitude or longitude just past its bound is accepted",
           [(R + "Coordinates.java", "return whole < max || whole == max && !fractionNonZero;", "return whole <= max;")],
           "engine", ["ByteParsingTest"]),
    Mutant("fixed-19-digits", "times of 19 integer digits take the fixed-point path (and overflow)",
           [(R + "ClientTime.java", "MAX_FIXED_INTEGER_DIGITS = 18;", "MAX_FIXED_INTEGER_DIGITS = 19;")],
           "engine", ["ByteParsingTest"]),
    Mutant("tenth-fraction-digit-dropped", "a tenth fraction digit is cut instead of taking the exact path",
           [(R + "ClientTime.java", "fractionDigits > NANO_DIGITS) {", "fractionDigits > NANO_DIGITS + 1) {")],
           "engine", ["ByteParsingTest"]),
    Mutant("no-borrow", "the difference forgets to borrow a second",
           [(R + "TimeDifference.java", "if (s > 0 && n < 0) {", "if (false) {")],
           "engine", ["ByteParsingTest"]),
    Mutant("node-herd-no-flood", "the Node.js herd stores an update but sends it to no neighbour",
           [("bench/node-herd/server.js", "      if (link.name !== source) link.send(line);",
             "      if (link.name !== source && false) link.send(line);")],
           "bench", ["OtherHerdsClientSuiteIT"], failsafe=True),
    Mutant("py36-check-blind-to-create-task", "check_py36.py no longer knows asyncio.create_task is 3.7",
           [("bench/asyncio-herd/check_py36.py", '    "asyncio.create_task": (3, 7),', "")],
           "bench", ["AsyncioPython36Test"]),
    Mutant("node-ratio-is-asyncio-ratio", "summary.csv's node_ratio is the asyncio ratio",
           [("bench/src/main/java/herd/bench/ResultFiles.java", "number(s.ratio(m, s.other()))", "number(s.ratio(m))")],
           "bench", ["SummaryTest"]),
    Mutant("cut-redial", "cut links are redialled and accepted",
           [(P + "PeerLink.java", "return dials && !cut && node.isUp();", "return dials && node.isUp();"),
            (P + "PeerHandshake.java", "if (ps.link.isCut() || !node.isUp()) {", "if (!node.isUp()) {")],
           "engine", ["HerdHealingTest#aCutLinkIsNeverDialledWhileFloodingGoesAround",
                      "HerdHealingTest#aCutLinkStaysCutThroughItsServersGoingDownAndUp"]),
    Mutant("cut-dialler-only", "the dialler ignores the cut (the acceptor still refuses)",
           [(P + "PeerLink.java", "return dials && !cut && node.isUp();", "return dials && node.isUp();")],
           "engine", ["HerdHealingTest#aCutLinkIsNeverDialledWhileFloodingGoesAround"]),
    Mutant("slow-first-retry", "the first retry after a drop waits 2-4 s",
           [(P + "RedialBackoff.java", "FIRST_RETRY_MS = 100;", "FIRST_RETRY_MS = 4000;")],
           "engine", ["HerdHealingTest#aDroppedLinkIsRedialledWithin150Ms", "RedialBackoffTest"]),
    Mutant("no-redial-after-drop", "a link that was up is not redialled when it drops",
           [(P + "PeerLink.java", "        scheduleRedial();\n    }\n\n    /**\n     * Starts dialling",
             "        if (!wasUp) scheduleRedial();\n    }\n\n    /**\n     * Starts dialling")],
           "engine", ["HerdHealingTest#aDroppedLinkIsRedialledWithin150Ms"]),
    Mutant("no-announcement", "a starting server dials only the links it dials (the others wait for their dialler)",
           [(P + "PeerLink.java", "        dial(true);", "        dial(false);")],
           "engine", ["RejoinTest", "HerdHealingTest#aRestartedServerHasEveryLinkUpAtOnceEvenWhereItsDiallerBacksOff"]),
    Mutant("second-connection-kept", "the dialler takes a second connection for a link it has in hand",
           [(P + "PeerLink.java", "if (dials && (channel != null || connecting != null || dialled != null)) {", "if (false) {")],
           "engine", ["RejoinTest#bothEndsStartingAtOnceKeepOneConnectionWhateverTheOrderOfEvents",
                      "HerdHealingTest#bothEndsDiallingAtOnceMakeOneLinkAndExchangeTheirTablesOnce"]),
    Mutant("announcement-forgotten", "a refused announcement leaves the dialler's retry to its backoff",
           [(P + "PeerLink.java", "long delay = announced ? 0 : RedialBackoff", "long delay = RedialBackoff")],
           "engine", ["RejoinTest#anAnnouncementRefusedForTheDiallersOwnAttemptMakesItsRetryImmediate",
                      "RejoinTest#aPeerBackBeforeItsOldConnectionClosedIsRedialledAtOnce"]),
    Mutant("no-probe", "a refused announcement does not probe the dialler's link",
           [(P + "PeerLink.java", "            heartbeat(probe);", "            probe.writtenBytes();")],
           "engine", ["RejoinTest#aPeerBackBeforeItsOldConnectionClosedIsRedialledAtOnce"]),
    Mutant("idle-peers", "peer links are closed on the client idle timeout",
           [(S + "IdleRule.java", "        if (!peerConnection) {", "        if (!peerConnection || status == IdleStatus.BOTH_IDLE) {")],
           "engine", ["IdleRuleTest"]),
    Mutant("silent-peer-kept", "a silent peer is never dropped",
           [(S + "IdleRule.java", "? Action.CLOSE_SILENT_PEER : Action.NONE", "? Action.NONE : Action.NONE")],
           "engine", ["IdleRuleTest"]),
    Mutant("echo", "an update is forwarded back to the link it came from",
           [(P + "FloodRouter.java", "if (link != source) {", "if (link != null) {")],
           "engine", ["HerdProtocolTest#updateIsNotEchoedToTheServerItCameFrom", "FloodRouterTest"]),
    Mutant("echo-to-welsh", "an update is echoed to Welsh only",
           [(P + "FloodRouter.java", "if (link != source) {", "if (link != source || link.peer.equals(\"Welsh\")) {")],
           "engine", ["HerdProtocolTest#updateIsNotEchoedToTheServerItCameFrom"]),
    Mutant("reset-cause-lost", "a connection error is not closed with its cause (MINA closes it)",
           [(S + "ServerHandler.java", "            c.close(\"connection error: \" + what);", "            session.closeNow();")],
           "engine", ["HerdProtocolTest#aClientResetMidWhatsatIsClosedWithItsCauseAndDisturbsNoOne"]),
    Mutant("client-slot-leak", "a closed client's slot is never freed",
           [(S + "ClientSlots.java", "            open.decrementAndGet();", "            open.get();")],
           "engine", ["HerdProtocolTest#aClientResetMidWhatsatIsClosedWithItsCauseAndDisturbsNoOne"]),
    Mutant("clock-skew-unchecked", "an IAMAT far in the future is stored (the pin attack)",
           [(S + "ClientProtocol.java", "if (report.time().isTooFarAhead(received", "if (false && report.time().isTooFarAhead(received")],
           "engine", ["HerdProtocolTest#farFutureIamatIsRefusedSoALaterRealReportReachesEveryServer"]),
    Mutant("clock-skew-doubled", "the skew allowed is twice the configured one",
           [(R + "ClientTime.java", "return isLaterThan(now.getEpochSecond() + skewSeconds", "return isLaterThan(now.getEpochSecond() + 2 * skewSeconds")],
           "engine", ["HerdProtocolTest#reportJustInsideTheClockSkewIsAcceptedAndJustOutsideIsNot"]),
    Mutant("clock-skew-exact-path", "a time with more than 9 fraction digits is never too far ahead",
           [(R + "ClientTime.java", "return exact.compareTo(BigDecimal.valueOf(seconds)", "return false && exact.compareTo(BigDecimal.valueOf(seconds)")],
           "engine", ["HerdProtocolTest#reportJustInsideTheClockSkewIsAcceptedAndJustOutsideIsNot"]),
    Mutant("peer-clock-skew-unchecked", "a peer's far-future update is stored",
           [(P + "PeerInput.java", "if (update.time().isTooFarAhead(", "if (false && update.time().isTooFarAhead(")],
           "engine", ["HerdLimitsTest#farFutureUpdateFromAPeerIsSkippedAndLoggedAndTheLinkStays"]),
    Mutant("no-line-deadline", "a client trickling one line for ever keeps its connection",
           [(S + "LineDeadline.java", "if (started != NONE && now - started >= limitNanos) {", "if (false) {")],
           "engine", ["HerdLimitsTest#clientTricklingALineIsClosedAtTheLineDeadlineWhileOthersAreUnaffected"]),
    Mutant("line-deadline-per-connection", "the deadline runs from the first unfinished line, not the current one",
           [(S + "LineDeadline.java", "if (s.lineStartedNanos == NONE || completedLine) {", "if (s.lineStartedNanos == NONE) {")],
           "engine", ["HerdLimitsTest#clientTricklingALineIsClosedAtTheLineDeadlineWhileOthersAreUnaffected"]),
    Mutant("line-deadline-never-cleared", "a line finished leaves its deadline running",
           [(S + "LineDeadline.java", "        } else if (s.lineStartedNanos != NONE) {\n            forget(s);\n        }",
             "        }")],
           "engine", ["HerdLimitsTest#clientTricklingALineIsClosedAtTheLineDeadlineWhileOthersAreUnaffected"]),
    Mutant("accept-backlog-50", "the early-bound port keeps MINA's old backlog of 50",
           [(E + "EarlyListeners.java", "channel.bind(address, backlog);", "channel.bind(address, 50);")],
           "engine", ["HerdLimitsTest#aBurstOfAThousandConnectsCompletesAtOnceBeforeAnyIsAccepted"]),
    Mutant("acceptor-backlog-unset", "the server's own acceptor binds with MINA's default backlog",
           [(E + "HerdServer.java", "        acceptor.setBacklog(context.limits().acceptBacklog());", "")],
           "engine", ["HerdLimitsTest#theServersAcceptorBindsWithTheConfiguredBacklog"]),
    Mutant("whatsat-refused", "WHATSAT is always answered with '? line'",
           [(S + "ClientProtocol.java", "        if (at == null) {", "        if (true) {")],
           "engine", ["FuzzTest#liveServerAnswersEveryFuzzedLineOnceAndInOrder"]),
    Mutant("iamat-fraction-refused", "an IAMAT whose time has a fraction is answered with '? line'",
           [(S + "ClientProtocol.java", "if (report.iAmAt(frame.bytes(), frame.length())) {",
             "if (report.iAmAt(frame.bytes(), frame.length())"
             " && !new String(frame.bytes(), 0, frame.length()).strip().replaceAll(\".* \", \"\").contains(\".\")) {")],
           "engine", ["FuzzTest#liveServerAnswersEveryFuzzedLineOnceAndInOrder"]),
    Mutant("echo-decoded", "an invalid line is echoed as its UTF-8 decoding (U+FFFD for malformed bytes)",
           [(S + "Reply.java", "        byte[] out = new byte[2 + frame.length()];",
             "        if (true) return line(\"? \" + frame.text());\n        byte[] out = new byte[2 + frame.length()];")],
           "engine", ["HerdProtocolTest#invalidLineIsEchoedByteForByte"]),
    Mutant("cr-always-dropped", "a \\r ending an unterminated last line is dropped as if a \\n followed",
           [(E + "io/LineFramer.java", "if (terminated && end > 0", "if (end > 0")],
           "engine", ["HerdProtocolTest#invalidLineIsEchoedByteForByte", "LineFramerTest"]),
    Mutant("id-unbounded", "a client id of any length is taken (its AT line can outgrow the peer line limit)",
           [(R + "ReportParser.java", "if (ends[id] - starts[id] > maxIdBytes", "if (false")],
           "engine", ["ByteParsingTest", "CommandParserTest",
                      "HerdLimitsTest#anIamatOfAFullLineIsRefusedAndTheHerdStaysLinked"]),
    Mutant("time-unbounded", "a client time of any number of digits is taken",
           [(R + "ReportParser.java", "|| !Coordinates.digitsWithin(line, starts[id + 2], ends[id + 2], maxTimeDigits)", "")],
           "engine", ["ByteParsingTest", "CommandParserTest",
                      "HerdLimitsTest#anIamatOfAFullLineIsRefusedAndTheHerdStaysLinked"]),
    Mutant("coordinates-unbounded", "a coordinate of any number of digits is taken",
           [(R + "Coordinates.java", "&& digitsWithin(b, off + 1, split, maxDigits) && digitsWithin(b, split + 1, end, maxDigits);", ";")],
           "engine", ["ByteParsingTest", "CommandParserTest"]),
    Mutant("difference-unbounded", "a peer's AT line may carry a difference of any length",
           [(R + "ReportParser.java", "|| to - from > maxDifferenceBytes", "")],
           "engine", ["ByteParsingTest#fieldsOverTheirBoundsAreRefused"]),
    Mutant("at-line-fit-unchecked", "a config whose field bounds let an AT line outgrow maxLineBytes is taken",
           [(E + "config/HerdConfig.java", "if (at <= limits.maxLineBytes()) {", "if (true) {")],
           "engine", ["HerdConfigTest"]),
    Mutant("peer-overlong-ends-input", "an overlong line on a peer link ends its input, as on a client's",
           [(E + "io/LineFramer.java", "                    discarding = true;", "                    overflowed = true;")],
           "engine", ["LineFramerTest", "HerdLimitsTest#aPeerRecordThisServerCannotTakeIsSkippedAndTheLinkStays"]),
    Mutant("bad-record-drops-link", "a peer's record this server cannot take drops the link",
           [(P + "PeerInput.java", "            node.events().notice(now, true, \"skipped a record from peer \"",
             "            ps.channel.close(\"bad record\");\n"
             "            node.events().notice(now, true, \"skipped a record from peer \"")],
           "engine", ["HerdLimitsTest#aPeerRecordThisServerCannotTakeIsSkippedAndTheLinkStays"]),
    Mutant("id-decoded", "a client id is keyed by its UTF-8 decoding",
           [(R + "ReportParser.java", "return ClientId.key(line, starts[f], ends[f] - starts[f]);",
             "return new String(line, starts[f], ends[f] - starts[f], StandardCharsets.UTF_8);")],
           "engine", ["HerdProtocolTest#idsThatDifferOnlyInMalformedBytesAreDistinctClients", "ByteParsingTest"]),
    Mutant("whatsat-id-decoded", "WHATSAT looks its client up by the line's UTF-8 decoding",
           [(S + "ClientProtocol.java", "CommandParser.parse(frame.bytes(), frame.length());", "CommandParser.parse(frame.text());")],
           "engine", ["HerdProtocolTest#idsThatDifferOnlyInMalformedBytesAreDistinctClients"]),
    Mutant("whatsat-line-rebuilt", "WHATSAT answers an AT line rebuilt from the report's text",
           [(S + "ClientProtocol.java", "        return new Reply(at, json",
             "        return new Reply(AtLine.parse(at, at.length).orElseThrow().atLine().getBytes(StandardCharsets.UTF_8), json")],
           "engine", ["HerdProtocolTest#clientIdIsItsBytesFromIamatToWhatsatAtAnotherServer"]),
    Mutant("peer-id-decoded", "a peer keys a flooded update by its id's UTF-8 text",
           [(P + "PeerInput.java", "String clientId = update.clientId();",
             "String clientId = herd.engine.protocol.ClientId.text(update.clientId());")],
           "engine", ["HerdProtocolTest#clientIdIsItsBytesFromIamatToWhatsatAtAnotherServer"]),
    Mutant("cookie-ignored", "a herd without a secret links unauthenticated instead of proving the user's cookie",
           [(E + "Herd.java", ": PeerAuth.withSecret(CookieFile.readOrCreate(cookie));", ": PeerAuth.NONE;")],
           "engine", ["PeerAuthTest#byDefaultAClientClaimingToBeANeighbourGetsNoTableAndLeavesTheLinkAlone",
                      "PeerAuthTest#serversOfOneUserLinkWithTheCookieAndAnotherCookieNeverLinks"]),
    Mutant("cookie-ignored-by-the-jar", "launcher.jar without a secret links unauthenticated (no cookie read)",
           [(E + "Herd.java", ": PeerAuth.withSecret(CookieFile.readOrCreate(cookie));", ": PeerAuth.NONE;")],
           "launcher", ["MultiProcessHerdIT#twoServersWithNoSecretConfiguredLinkUpThroughTheUsersCookie"], failsafe=True),
    Mutant("one-process-herd-unauthenticated", "a herd running every server here links without a secret",
           [(E + "Herd.java", "cookie == null ? PeerAuth.inMemory()", "cookie == null ? PeerAuth.NONE")],
           "engine", ["PeerAuthTest#aHerdRunningEveryServerHereSharesASecretInMemoryAndReadsNoCookie"]),
    Mutant("cookie-mode-unchecked", "a cookie file others can read or write is taken",
           [(P + "CookieFile.java", "if (!OWNER_ONLY_FOLDER.contains(p)) {", "if (false) {")],
           "engine", ["CookieFileTest", "PeerAuthTest#aCookieFileOthersCanReadStopsTheStart"]),
    Mutant("cookie-made-by-rename", "a new cookie is renamed into place (the last of servers starting together wins)",
           [(P + "CookieFile.java", "Files.createLink(file, temporary);",
             "Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);")],
           "engine", ["CookieFileTest#serversStartingAtTheSameInstantAllGetTheOneCookie"]),
    Mutant("stranger-offered-at-hello", "with a secret, a hello is offered to its link before its proof",
           [(P + "PeerHandshake.java", "if (auth.enabled() || !refusedAsSecond(ps)) {", "if (!refusedAsSecond(ps)) {"),
            (P + "PeerHandshake.java", "if (!auth.enabled() && refusedAsSecond(ps)) {", "if (refusedAsSecond(ps)) {"),
            (P + "PeerHandshake.java", "} else if (!refusedAsSecond(ps)) {\n                welcome(ps);",
             "} else {\n                welcome(ps);")],
           "engine", ["PeerHandshakeTest#aStrangersHelloDoesNotCloseTheNeighboursHandshakeInFlight",
                      "RejoinTest#aStrangerWithoutTheSecretNeitherCancelsTheDiallersRedialNorKeepsItFromDialling"]),
    Mutant("hmac-long-key-cut", "a secret longer than SHA-256's block is cut, not hashed (not RFC 2104)",
           [(P + "PeerAuth.java", "byte[] k = key.length > SHA256_BLOCK ? sha256.digest(key) : key;",
             "byte[] k = key.length > SHA256_BLOCK ? java.util.Arrays.copyOf(key, SHA256_BLOCK) : key;")],
           "engine", ["PeerAuthProofsTest"]),
    Mutant("welcome-from-anyone", "the dialer takes a welcome from any server name",
           [(P + "PeerHandshake.java", "m instanceof PeerMessage.Welcome w && w.acceptor().equals(peer) && !auth.enabled()",
             "m instanceof PeerMessage.Welcome w && !auth.enabled()")],
           "engine", ["PeerHandshakeTest#aWelcomeFromTheWrongServerIsRefused"]),
    Mutant("failed-reply-lost", "a WHATSAT reply that fails to build leaves its slot empty",
           [(S + "ReplySequencer.java", "            reply = onFailure.apply(e);", "            return;")],
           "engine", ["ReplySequencerTest"]),
    Mutant("log-tab-unescaped", "the byte log writes a tab as \\T, not as the format's \\t",
           [(E + "eventlog/EventLogBytes.java", "case '\\t' -> out[pos++] = 't';", "case '\\t' -> out[pos++] = 'T';")],
           "engine", ["EventLogBufferTest"]),
    Mutant("log-del-unescaped", "the byte log writes DEL (0x7F) raw",
           [(E + "eventlog/EventLogBytes.java", "            if (c >= 0x20 && c != 0x7F && c != '\\\\') {", "            if (c >= 0x20 && c != '\\\\') {")],
           "engine", ["EventLogBufferTest"]),
    Mutant("reopen-ignored", "the log writer forgets a reopen request",
           [(E + "eventlog/EventLogWriter.java", "                reopenAll();\n", "                reopenRequested = false;\n")],
           "engine", ["EventLogWriterTest"]),
    Mutant("log-cap-not-enforced", "rotation keeps one file more than log.maxFiles",
           [(E + "eventlog/EventLogWriter.java", "int keep = rotation.maxFiles() - 1;", "int keep = rotation.maxFiles();")],
           "engine", ["EventLogWriterTest#neverMoreThanMaxFilesFilesAndTheNewestLinesStay"]),
    Mutant("log-line-split-at-rotation", "a block is cut at the size, not at a line end, so a line spans two files",
           [(E + "eventlog/EventLogWriter.java", "to = lastLineEnd(b.bytes, at, (int) Math.max(", "to = (int) (Math.max(")],
           "engine", ["EventLogWriterTest#filesRotateAtTheSizeWithEveryLineOnceAndInOrder"]),
    Mutant("log-reopen-forgets-size", "a reopen counts the reopened file as empty, so it grows past the size",
           [(E + "eventlog/EventLogWriter.java", "                f.size = fresh.size();\n                old.close();",
             "                f.size = 0;\n                old.close();")],
           "engine", ["EventLogWriterTest#reopenAfterRotationKeepsCountingFromTheReopenedFile"]),
    Mutant("log-rotation-error-every-flush", "a rotation that keeps failing prints an error at every flush",
           [(E + "eventlog/EventLogWriter.java",
             "if (!t.rotationFailing || now - t.rotationReportedNanos >= TROUBLE_REPORT_NANOS) {", "if (true) {")],
           "engine", ["EventLogWriterTest#aRefusedRotationKeepsTheLinesInTheCurrentFileAndSaysSoOnce"]),
    Mutant("log-rotation-not-configured", "the herd rotates its logs by the defaults, not by the config's log section",
           [(E + "Herd.java", "new EventLogWriter(config.logDir(), config.log());",
             "new EventLogWriter(config.logDir(), herd.engine.config.LogSettings.defaults());")],
           "engine", ["HerdLifecycleTest#theEventLogRotatesAtTheConfiguredSizeAndKeepsTheConfiguredFiles"]),
    Mutant("no-sighup", "the launcher leaves SIGHUP to the JVM (which exits)",
           [("launcher/src/main/java/herd/launcher/Main.java", "        handle(\"HUP\", new Reload(running, cl.config() == null ? null : Path.of(cl.config()), err), err);\n",
             "")],
           "launcher", ["LauncherCliIT#sighupReopensTheEventLogAfterItWasMovedAway"], failsafe=True),
    Mutant("disk-error-every-flush", "a log file that cannot be written prints an error at every flush",
           [(E + "eventlog/EventLogWriter.java", "        if (first || now - t.reportedNanos >= TROUBLE_REPORT_NANOS) {", "        if (true) {")],
           "engine", ["EventLogWriterTest"]),
    Mutant("log-separators-raw", "the byte log writes U+2028, U+202E, NEL and the BOM raw",
           [(E + "eventlog/EventLogBytes.java", "} else if (escape && EventLogFormat.escapedAsUnicode(c)) {", "} else if (false) {")],
           "engine", ["EventLogBufferTest"]),
    Mutant("format-separators-raw", "the event format leaves line separators, bidi controls and the BOM raw",
           [("engine/src/main/java/herd/engine/EventLogFormat.java", "        return c >= 0x80 && c <= 0x9F ||", "        return false && c >= 0x80 && c <= 0x9F ||")],
           "engine", ["EventLogFormatTest", "EventLogBufferTest"]),
    Mutant("log-lone-surrogate", "the byte log writes a lone surrogate's low byte, not '?'",
           [(E + "eventlog/EventLogBytes.java", "                out[pos++] = '?';", "                out[pos++] = (byte) c;")],
           "engine", ["EventLogBufferTest"]),
    Mutant("log-stale-payload", "a repeated payload is copied from a block that is no longer current",
           [(E + "eventlog/EventLogBuffer.java", "        lastPayload = null;\n", "")],
           "engine", ["EventLogBufferTest"]),
    Mutant("log-full-block-lost", "a full block is never handed to the writer",
           [(E + "eventlog/EventLogBuffer.java", "            full.add(current);\n", "")],
           "engine", ["EventLogBufferTest", "EventLogWriterTest"]),
    Mutant("log-drop-uncounted", "a line that finds no room is lost without a count",
           [(E + "eventlog/EventLogBuffer.java", "            dropped++;\n", "")],
           "engine", ["EventLogBufferTest"]),
    Mutant("log-unlocked", "I/O threads append to a server's buffer without its lock",
           [(E + "eventlog/EventLogBuffer.java", "public synchronized void append(Instant at, String kind, Party party, byte[]",
             "public void append(Instant at, String kind, Party party, byte[]"),
            (E + "eventlog/EventLogBuffer.java", "public synchronized void append(Instant at, String kind, Party party, String",
             "public void append(Instant at, String kind, Party party, String")],
           "engine", ["EventLogWriterTest"]),
    Mutant("events-always-made", "a headless server still makes an event object per line",
           [(E + "node/NodeEvents.java", "        log.append(at, from.isPeer() ? \"PEER_IN\" : \"IN\", from, line);\n"
             "        if (listening.getAsBoolean()) {",
             "        log.append(at, from.isPeer() ? \"PEER_IN\" : \"IN\", from, line);\n        if (true) {")],
           "engine", ["EventLogBufferTest"]),
    Mutant("gui-uses-internals", "the monitor uses an internal engine class",
           [(G + "ClientConsole.java", "READ_TIMEOUT_MS = 30_000;",
             "READ_TIMEOUT_MS = new herd.engine.peer.LocationTable().size() + 30_000;")],
           "launcher", ["ArchitectureTest"]),
    Mutant("mina-in-api", "a MINA type in the public API",
           [(E + "HerdServer.java", "    public String name() {",
             "    public org.apache.mina.core.session.IoSession anySession() {\n        return null;\n    }\n\n"
             "    public String name() {")],
           "launcher", ["ArchitectureTest"]),
    Mutant("package-cycle", "the protocol package uses the peer package (a cycle)",
           [(E + "protocol/AtLine.java", "    private AtLine() {",
             "    static final Class<?> PEER = herd.engine.peer.PeerMessage.class;\n\n    private AtLine() {")],
           "launcher", ["ArchitectureTest"]),
    Mutant("listen-unchecked", "any listen value is taken (\"*\", 10.0.0.300, a URL)",
           [("engine/src/main/java/herd/engine/config/HerdConfig.java", "if (!HostAddress.isValid(listen)) {",
             "if (false) {")],
           "engine", ["HerdConfigTest"]),
    Mutant("listen-wildcard-clash-unseen", "a server on 0.0.0.0 beside one on 127.0.0.2 at the same port is taken",
           [("engine/src/main/java/herd/engine/config/HerdConfig.java",
             "boolean wildcard = HostAddress.isWildcard(la) || HostAddress.isWildcard(lb);", "boolean wildcard = false;")],
           "engine", ["HerdConfigTest"]),
    Mutant("acceptor-binds-host", "the engine's acceptor binds host, not listen",
           [(E + "HerdServer.java", "acceptor.bind(new InetSocketAddress(spec.listenHost(), spec.port()));",
             "acceptor.bind(new InetSocketAddress(spec.host(), spec.port()));")],
           "engine", ["HerdListenTest"]),
    Mutant("early-bind-on-host", "the launcher binds host early, before the engine, not listen",
           [("launcher/src/main/java/herd/launcher/Main.java", "EarlyListeners.bind(name, spec.listenHost(),",
             "EarlyListeners.bind(name, spec.host(),")],
           "launcher", ["LauncherCliIT#aServerListeningOnEveryAddressIsBoundThereFromTheStart"], failsafe=True),
    Mutant("peer-address-once", "a link looks its peer's address up once, not at every dial",
           [(P + "PeerLink.java", "        this.peerAddress = peerAddress;",
             "        InetSocketAddress once = peerAddress.get(); this.peerAddress = () -> once;")],
           "engine", ["PeerAddressTest"]),
    Mutant("bucket-bound-exclusive", "a duration equal to a bucket's bound counts in the next bucket",
           [(E + "node/DurationBuckets.java", "d > BOUNDS_NANOS[i]", "d >= BOUNDS_NANOS[i]")],
           "engine", ["DurationBucketsTest"]),
    Mutant("server-time-no-borrow", "an AT line's server time forgets to borrow a second",
           [(R + "ReportParser.java", "        if (nanos < 0) {", "        if (false) {")],
           "engine", ["ByteParsingTest"]),
    Mutant("update-age-reversed", "an update's age is its first server's time minus the arrival",
           [(P + "PeerInput.java", "observe(nowNanos - received)", "observe(received - nowNanos)")],
           "engine", ["PeerCountersTest"]),
    Mutant("forwarded-not-counted", "an update handed to a link is not counted forwarded",
           [(P + "PeerLink.java", "        node.counters().forwarded.increment();\n", "")],
           "launcher", ["PeerCountersTest", "MetricsEndpointTest"]),
    Mutant("skipped-not-counted", "a malformed record from a peer is skipped but not counted",
           [(P + "PeerInput.java", "        } else if (!frame.text().isBlank()) {\n            node.counters().peerRecordsSkipped"
             ".increment();\n", "        } else if (!frame.text().isBlank()) {\n")],
           "engine", ["PeerCountersTest"]),
    Mutant("invalid-counted-as-iamat", "a line answered ? is counted as an IAMAT",
           [(S + "ClientProtocol.java", "node.counters().invalidIn.increment();", "node.counters().iamatIn.increment();")],
           "launcher", ["MetricsEndpointTest"]),
    Mutant("whatsat-latency-unobserved", "a WHATSAT's reply is sent without its latency counted",
           [(S + "ClientProtocol.java", "if (reply.isWhatsAt()) {", "if (false) {")],
           "launcher", ["MetricsEndpointTest"]),
    Mutant("health-ignores-links", "/health says 200 for a server with no link up",
           [(L + "metrics/Health.java", "if (configured > 0 && up == 0) {", "if (false) {")],
           "launcher", ["MetricsEndpointTest"]),
    Mutant("health-ignores-down", "/health says 200 for a server that is taken down",
           [(L + "metrics/Health.java", "if (!m.up()) {", "if (false) {")],
           "launcher", ["MetricsEndpointTest"]),
    Mutant("metrics-port-clash-unchecked", "a metrics port may be another server's port",
           [(E + "config/HerdConfig.java", "if (s.host().equals(own.host()) && s.port() == port) {", "if (false) {")],
           "engine", ["HerdConfigTest"]),
    Mutant("metrics-port-with-herd", "--herd takes --metrics-port (and serves nothing on it)",
           [(L + "CommandLine.java", "if (metricsPort != null && mode != Mode.SERVER) {", "if (false) {")],
           "launcher", ["CommandLineTest"]),
    Mutant("metrics-port-zero-unprinted", "the start-up line does not say where metrics are served",
           [(L + "Main.java", "+ metricsNote + \"); stop with Ctrl-C\");", "+ \"); stop with Ctrl-C\");")],
           "launcher", ["MetricsIT"], failsafe=True),
    Mutant("engine-uses-prometheus", "the engine uses the Prometheus client (given the dependency)",
           [("engine/pom.xml", "  <dependencies>\n",
             "  <dependencies>\n    <dependency><groupId>io.prometheus</groupId>"
             "<artifactId>prometheus-metrics-core</artifactId></dependency>\n"),
            (E + "node/DurationBuckets.java", "private final LongAdder sumNanos = new LongAdder();",
             "private final LongAdder sumNanos = new LongAdder();\n    static final Object UNIT = "
             "io.prometheus.metrics.model.snapshots.Unit.SECONDS;")],
           "launcher", ["ArchitectureTest"]),
    Mutant("main-uses-prometheus", "the launcher's main class uses the Prometheus client",
           [(L + "Main.java", "String metricsNote = \"\";",
             "String metricsNote = io.prometheus.metrics.model.snapshots.Unit.SECONDS.toString().substring(0, 0);")],
           "launcher", ["ArchitectureTest"]),
    Mutant("holiday-never-forwards-to-welsh", "Holiday never forwards live updates to Welsh (table exchange intact)",
           [(P + "FloodRouter.java", "if (link != source) {",
             "if (link != source && !(node.name().equals(\"Holiday\") && link.peer().equals(\"Welsh\"))) {")],
           "launcher", ["ChaosIT"], failsafe=True),
    Mutant("no-table-exchange", "no table exchange when a link comes up",
           [(P + "TableRepair.java", "                    out.record(line);\n", "")],
           "launcher", ["ChaosIT"], failsafe=True),
    Mutant("wait-for-empty-neighbour", "a link's repair waits for a neighbour whose digest showed it holds nothing new",
           [(P + "TableRepair.java", "return awaited > 0 && !peerHasNothingNew;", "return awaited > 0;")],
           "engine", ["TableRepairTest"]),
    Mutant("put-off-round-forgotten", "a round put off for a neighbour does not go when its digest shows nothing new",
           [(P + "PeerLink.java", "if (settled && r != null) {", "if (false) {")],
           "engine", ["TableRepairTest#aRoundPutOffForANeighbourGoesOnceItsDigestShowsNothingNew"]),
    Mutant("not-fresh-filter-stale", "rows whose freshness changed are not filtered again while 'Not fresh only' is on",
           [(G + "ConvergenceGrid.java", "if (freshnessMoved && search.onlyNotFresh()) {", "if (false) {")],
           "gui", ["MonitorLayoutTest"]),
    Mutant("grid-asked-every-pulse", "the grid worker works the grid out on every pulse, changed or not",
           [(G + "GridWorker.java", "if (wanted.equals(asked) || busy.get()", "if (busy.get()")],
           "gui", ["GridWorkerTest", "MonitorIdleTest"]),
    Mutant("grid-ignores-learn-times", "the grid is not worked out again when only the learn times moved",
           [(G + "GridWorker.java", "        wanted.add(learns);\n", "")],
           "gui", ["GridWorkerTest"]),
    Mutant("redialling-said-restored", "the status bar says a link is restored while it is still redialling",
           [(G + "StatusLine.java", 'case REDIALLING -> "restoring link " + link + ": redialling…";',
             'case REDIALLING -> "link " + link + " restored (up)";')],
           "gui", ["MonitorStatusTest"]),
]


def run(m):
    originals = {}
    try:
        for path, old, new in m.edits:
            p = ROOT / path
            text = originals.setdefault(p, p.read_text())
            current = p.read_text()
            if current.count(old) != 1:
                return f"MISSING  {m.name}: the text to mutate is not (once) in {path}; update this script"
            p.write_text(current.replace(old, new))
        if m.failsafe:
            cmd = ["mvn", "-B", "-ntp", "-q", "verify", "-pl", m.module, "-am", "-Dtest=NoSuchTest",
                   "-Dsurefire.failIfNoSpecifiedTests=false", "-Dit.test=" + ",".join(m.tests)]
        else:
            cmd = ["mvn", "-B", "-ntp", "-q", "test", "-pl", m.module, "-am", "-Dtest=" + ",".join(m.tests),
                   "-Dsurefire.failIfNoSpecifiedTests=false"]
        t0 = time.time()
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        took = time.time() - t0
        plain = re.sub(r"\x1b\[[0-9;]*m", "", r.stdout)
        failed = [l.replace("[ERROR] ", "").strip() for l in plain.splitlines()
                  if ("<<< FAIL" in l or "<<< ERROR" in l) and "Tests run:" not in l]
        if r.returncode != 0 and not failed and "COMPILATION ERROR" in plain:
            return f"BROKEN   {m.name}: the mutant does not compile"
        verdict = "caught  " if r.returncode != 0 else "SURVIVED"
        detail = "; ".join(failed[:3]) if failed else "all passed"
        return f"{verdict} {m.name} ({m.why}) in {took:.0f} s: {detail}"
    finally:
        for p, text in originals.items():
            p.write_text(text)


def main(args):
    if args == ["--list"]:
        for m in MUTANTS:
            print(f"{m.name:24} {m.why}  ->  {m.module}: {', '.join(m.tests)}")
        return 0
    chosen = [m for m in MUTANTS if not args or m.name in args]
    ok = True
    for m in chosen:
        line = run(m)
        print(line, flush=True)
        ok &= line.startswith("caught")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
