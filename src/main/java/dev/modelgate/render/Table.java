package dev.modelgate.render;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with left-aligned columns; colour codes do not count toward widths. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    Table(String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    void add(String... cells) {
        rows.add(cells);
    }

    String render(String indent) {
        int[] width = new int[columns];
        for (String[] r : rows) for (int i = 0; i < columns; i++) width[i] = Math.max(width[i], visible(r[i]));
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < columns; i++) {
                line.append(r[i]);
                if (i < columns - 1) line.append(" ".repeat(width[i] - visible(r[i]) + 2));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static int visible(String s) {
        return s == null ? 0 : s.replaceAll("\u001b\\[[0-9;]*m", "").length();
    }
}
