package dev.rota.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void aNewlineCannotForgeALogLine() {
        String name = "nightly\n05:00:00.000 ERROR [main] dev.rota - database destroyed";
        assertThat(Printable.escape(name)).doesNotContain("\n")
                .isEqualTo("nightly\\n05:00:00.000 ERROR [main] dev.rota - database destroyed");
    }

    @Test
    void everyControlCharacterBecomesVisible() {
        assertThat(Printable.escape("a\rb\tc\u0000d\u001b[2Je\u007ff\u2028g\u202eh"))
                .isEqualTo("a\\rb\\tc\\u0000d\\u001b[2Je\\u007ff\\u2028g\\u202eh");
    }

    @Test
    void plainTextIsUntouched() {
        String text = "report für Zoë – 100% \\ done";
        assertThat(Printable.escape(text)).isSameAs(text);
        assertThat(Printable.escape(null)).isNull();
    }
}
