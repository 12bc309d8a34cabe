package dev.rota.cli;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.rota.model.Printable;

/**
 * Logback's {@code %msg}, with control characters escaped ({@link Printable}): every log line of a master,
 * a worker and the CLI stays one line, whatever a job name, payload or handler error contains. Used as
 * {@code %emsg} in {@code logback.xml}.
 */
public final class EscapedMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Printable.escape(super.convert(event));
    }
}
