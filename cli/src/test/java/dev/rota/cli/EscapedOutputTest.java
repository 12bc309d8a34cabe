package dev.rota.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** A job name with a newline cannot forge a log line or a table row. */
class EscapedOutputTest {
    private static final String FORGED = "report\n12:00:00.000 ERROR [main] dev.rota.cli.master - m1 FENCED: fake";

    @Test
    void logLinesEscapeControlCharacters() {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("dev.rota.cli.master"), Level.INFO,
                "m1 JOB_SCHEDULED: {}", null, new Object[] {FORGED});
        EscapedMessageConverter converter = new EscapedMessageConverter();

        assertThat(converter.convert(event)).isEqualTo("m1 JOB_SCHEDULED: report\\n12:00:00.000 ERROR [main]"
                + " dev.rota.cli.master - m1 FENCED: fake");
    }

    @Test
    void theProductionLogConfigurationUsesTheEscapingConverter() throws Exception {
        String xml = new String(getClass().getResourceAsStream("/logback.xml").readAllBytes());
        assertThat(xml).contains("converterClass=\"dev.rota.cli.EscapedMessageConverter\"").contains("%emsg%n")
                .doesNotContain("%msg");
    }

    @Test
    void tableCellsEscapeControlCharacters() {
        StringWriter out = new StringWriter();
        Table.of("NAME", "ERROR").row(FORGED, "bad\u001b[2Jterminal").print(new PrintWriter(out));
        assertThat(out.toString().lines()).hasSize(2);
        assertThat(out.toString()).contains("\\u001b[2J").doesNotContain("\u001b");
    }
}
