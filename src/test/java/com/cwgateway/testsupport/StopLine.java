package com.cwgateway.testsupport;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's last log line, its ledger at exit: "stopped in N ms; every accepted point was published;
 * accepted=... replayed=... published=... dropped=... (...) spooled=... buffered=... in_flight=... retried=...
 * possibly_duplicated=...", or the WARNING form that says where the points went.
 */
public record StopLine(String line, boolean everyPointPublished, long accepted, long replayed, long published,
                       long dropped, long spooled, long buffered, long inFlight, long retried,
                       long possiblyDuplicated) {

    private static final Pattern STOPPED = Pattern.compile("stopped in \\d+ ms; (.*)accepted=(\\S+) replayed=(\\S+) "
            + "published=(\\S+) dropped=(\\S+) \\(.*\\) spooled=(\\S+) buffered=(\\S+) in_flight=(\\S+) "
            + "retried=(\\S+) possibly_duplicated=(\\S+)");

    /** Waits for the stop line in {@code gateway}'s log; fails the test when none comes. */
    public static StopLine of(GatewayProcess gateway, Duration timeout) throws InterruptedException {
        Matcher m = gateway.stderrLines().await(STOPPED, timeout);
        if (m == null) {
            throw new AssertionError("no stop line within " + timeout + "; stderr:\n" + gateway.stderr());
        }
        return new StopLine(m.group(), m.group(1).contains("every accepted point was published"), number(m, 2),
                number(m, 3), number(m, 4), number(m, 5), number(m, 6), number(m, 7), number(m, 8), number(m, 9),
                number(m, 10));
    }

    private static long number(Matcher m, int group) {
        return Long.parseLong(m.group(group));
    }

    /** accepted + replayed = published + dropped + spooled + buffered + in flight. */
    public boolean balanced() {
        return accepted + replayed == published + dropped + spooled + buffered + inFlight;
    }

    /** Nothing dropped, nothing left in memory: every point published or written to the spool. */
    public boolean nothingLeftBehind() {
        return balanced() && dropped == 0 && buffered == 0 && inFlight == 0;
    }
}
