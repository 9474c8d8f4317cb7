package io.runlight.insights.index;

import java.util.Locale;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Tells code files from data files by name, so that opening a code file counts as a load
 * (docs/architecture.md, decision 7) while opening a data, doc or locale file counts only as an access.
 *
 * <p>Code is: shared objects ({@code *.so}, {@code *.so.1}, {@code *.so.1.2.3}, the
 * loader {@code ld-*.so*}), Java archives and classes ({@code .jar}, {@code .war},
 * {@code .ear}, {@code .class}), Python ({@code .py}, {@code .pyc}, {@code .pyo},
 * {@code .pyd}), JavaScript ({@code .js}, {@code .mjs}, {@code .cjs}) and Node add-ons
 * ({@code .node}), Ruby ({@code .rb}), PHP ({@code .php}, {@code .phar}), .NET and
 * Windows binaries ({@code .dll}, {@code .exe}) and WebAssembly ({@code .wasm}).
 * Executables need no rule: running one is an exec event. Extensions compare
 * case-insensitively.
 */
public final class CodeFileClassifier
{
    private static final Set<String> CODE_EXTENSIONS = Set.of(
            "so", "jar", "war", "ear", "class",
            "py", "pyc", "pyo", "pyd",
            "js", "mjs", "cjs", "node",
            "rb", "php", "phar",
            "dll", "exe", "wasm");

    private CodeFileClassifier() {}

    /** Whether the file at {@code path} holds code by its name. */
    public static boolean isCode(String path)
    {
        requireNonNull(path, "path is null");
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            return false;
        }
        if (isSharedObject(name)) {
            return true;
        }
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return false;
        }
        return CODE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    // "libssl.so.3", "libz.so.1.2.13", "ld-musl-x86_64.so.1", "ld-linux-x86-64.so.2": ".so" followed only by ".<digits>" groups
    static boolean isSharedObject(String name)
    {
        int so = name.indexOf(".so");
        while (so > 0) {
            int i = so + 3;
            boolean valid = true;
            while (i < name.length()) {
                if (name.charAt(i) != '.' || i + 1 >= name.length() || !Character.isDigit(name.charAt(i + 1))) {
                    valid = false;
                    break;
                }
                i++;
                while (i < name.length() && Character.isDigit(name.charAt(i))) {
                    i++;
                }
            }
            if (valid) {
                return true;
            }
            so = name.indexOf(".so", so + 3);
        }
        return false;
    }
}
