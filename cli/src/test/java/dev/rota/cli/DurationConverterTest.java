package dev.rota.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @ParameterizedTest
    @CsvSource({
        "500ms, 500",
        "10s, 10000",
        "2m, 120000",
        "1h, 3600000",
        "1d, 86400000",
        "1m30s, 90000",
        "0s, 0",
        "PT10S, 10000",
        "pt0.5s, 500",
        "' 15S ', 15000",
    })
    void readsUnitsAndIso(String text, long millis) {
        assertThat(converter.convert(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "ten", "10 s", "-5s", "PT-5S", "5 minutes", "1.5s", "P"})
    void rejectsAnythingElseWithTheAcceptedForms(String text) {
        assertThatThrownBy(() -> converter.convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'" + text + "' is not a duration")
                .hasMessageContaining("500ms, 10s, 2m")
                .hasMessageContaining("PT10S");
    }

    @ParameterizedTest
    @ValueSource(strings = {"500ms", "10s", "2m", "1h30m", "1d2h3m4s5ms"})
    void formatsWhatItReads(String text) {
        assertThat(DurationConverter.format(converter.convert(text))).isEqualTo(text);
    }

    @org.junit.jupiter.api.Test
    void commandLineReportsTheOptionAndTheValue() {
        Cli.Result result = Cli.run("worker", "--grace", "soon");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Invalid value for option '--grace': 'soon' is not a duration");
    }
}
