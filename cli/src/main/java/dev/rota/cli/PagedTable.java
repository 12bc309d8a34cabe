package dev.rota.cli;

import dev.rota.admin.Page;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * What a listing command prints: a {@link Table} with one row per item, or a single line saying there is
 * none; after a page of a longer list, a last line with the {@code --cursor} that starts the next page.
 */
final class PagedTable {
    private PagedTable() {
    }

    /** Prints every item of a whole list. */
    static <T> void print(PrintWriter out, List<T> items, String none, Table table, BiConsumer<Table, T> row) {
        print(out, new Page<>(items, null), none, table, row);
    }

    /**
     * @param none  the line printed instead of an empty table
     * @param table the table, with its headers, that the rows go into
     * @param row   adds one item's row to the table
     */
    static <T> void print(PrintWriter out, Page<T> page, String none, Table table, BiConsumer<Table, T> row) {
        if (page.items().isEmpty()) {
            out.println(none);
        } else {
            for (T item : page.items()) {
                row.accept(table, item);
            }
            table.print(out);
            if (page.next() != null) {
                out.println("more: --cursor " + page.next());
            }
        }
        out.flush();
    }
}
