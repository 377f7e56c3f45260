package com.cwgateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Under systemd every line carries its syslog priority, so journalctl -p can filter. */
@Timeout(10)
class LoggingTest {

    @Test
    void everyLineOfARecordStartsWithThePriorityOfItsLevel() {
        assertEquals("<3>boom\n<3>\tat somewhere\n",
                Logging.StandardErrorHandler.withPriority("boom\n\tat somewhere\n", Level.SEVERE));
        assertEquals("<4>slow\n", Logging.StandardErrorHandler.withPriority("slow\n", Level.WARNING));
        assertEquals("<6>started\n", Logging.StandardErrorHandler.withPriority("started\n", Level.INFO));
        assertEquals("<7>detail\n", Logging.StandardErrorHandler.withPriority("detail\n", Level.FINE));
    }
}
