package dev.attune.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** A small HTML writer for self-contained pages: one file, inline CSS and images, nothing fetched. */
final class Html {
    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1180px;
            color:#1d2430;padding:0 1rem;line-height:1.4}
            h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #dde3ea;
            padding-bottom:.2rem}h3{margin:1.4rem 0 .4rem}
            .meta{color:#5b6675;font-size:.9rem}
            table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem}
            th,td{border-bottom:1px solid #e4e8ee;padding:.28rem .7rem;text-align:left;vertical-align:top}
            th{background:#f4f6f9;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
            .row{display:flex;flex-wrap:wrap;gap:1.2rem;align-items:flex-start}
            .card{border:1px solid #e1e6ed;border-radius:8px;padding:.8rem 1rem;margin:.6rem 0;background:#fff}
            code{overflow-wrap:anywhere}.nw{white-space:nowrap}.gain{color:#18794e}.loss{color:#b42318}.muted{color:#7a8594}
            .chart img{max-width:100%;height:auto}
            """;

    private final StringBuilder sb = new StringBuilder();

    Html(String title) {
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>")
                .append(esc(title))
                .append("</title><style>")
                .append(CSS)
                .append("</style></head>\n<body>\n");
    }

    /** Appends markup as written: only for markup this code makes, never for data. */
    Html raw(String markup) {
        sb.append(markup);
        return this;
    }

    /** Appends {@code <tag>text</tag>} with the text escaped. */
    Html el(String tag, String text) {
        sb.append('<')
                .append(tag)
                .append('>')
                .append(esc(text))
                .append("</")
                .append(tag)
                .append(">\n");
        return this;
    }

    Html chart(String img) {
        sb.append("<div class=\"chart\">").append(img).append("</div>\n");
        return this;
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, sb + "</body></html>\n", StandardCharsets.UTF_8);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String num(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String money(double amount, String currency) {
        return String.format(Locale.ROOT, "%.4f %s", amount, currency == null ? "" : currency)
                .strip();
    }

    static String pct(double part, double whole) {
        return whole == 0 ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * part / whole);
    }
}
