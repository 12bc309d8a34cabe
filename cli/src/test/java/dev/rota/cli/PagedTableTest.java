package dev.rota.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.admin.Page;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class PagedTableTest {

    private static String print(Page<Integer> page) {
        StringWriter text = new StringWriter();
        PagedTable.print(new PrintWriter(text), page, "no numbers", Table.of("N", "SQUARE"),
                (table, n) -> table.row(n, n * n));
        return text.toString();
    }

    @Test
    void aWholeListIsATableWithoutACursor() {
        StringWriter text = new StringWriter();
        PagedTable.print(new PrintWriter(text), List.of(2, 30), "no numbers", Table.of("N", "SQUARE"),
                (table, n) -> table.row(n, n * n));
        assertThat(text).hasToString("N   SQUARE\n2   4\n30  900\n");
    }

    @Test
    void aPageWithMoreBehindItEndsWithTheNextCursor() {
        assertThat(print(new Page<>(List.of(3), "abc"))).isEqualTo("N  SQUARE\n3  9\nmore: --cursor abc\n");
        assertThat(print(new Page<>(List.of(3), null))).isEqualTo("N  SQUARE\n3  9\n");
    }

    @Test
    void nothingIsOneLineSayingSo() {
        assertThat(print(new Page<>(List.of(), null))).isEqualTo("no numbers\n");
        assertThat(print(new Page<>(List.of(), "abc"))).as("no cursor without rows").isEqualTo("no numbers\n");
    }
}
