package io.runlight.insights.index;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestCodeFileClassifier
{
    @Test
    void sharedObjectsAreCode()
    {
        assertThat(CodeFileClassifier.isCode("/usr/lib/x86_64-linux-gnu/libssl.so.3")).isTrue();
        assertThat(CodeFileClassifier.isCode("/usr/lib/x86_64-linux-gnu/libz.so.1.2.13")).isTrue();
        assertThat(CodeFileClassifier.isCode("/usr/lib/engines-3/afalg.so")).isTrue();
        assertThat(CodeFileClassifier.isCode("/lib/ld-musl-x86_64.so.1")).isTrue();
        assertThat(CodeFileClassifier.isCode("/lib64/ld-linux-x86-64.so.2")).isTrue();
        assertThat(CodeFileClassifier.isCode("/usr/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so")).isTrue();
    }

    @Test
    void languageCodeIsCode()
    {
        for (String path : new String[] {"/app/app.jar", "/srv/ROOT.war", "/x/app.ear", "/c/Main.class",
                "/s/mod.py", "/s/__pycache__/mod.cpython-311.pyc", "/s/m.pyo", "/s/m.pyd",
                "/n/index.js", "/n/m.mjs", "/n/c.cjs", "/n/binding.node", "/g/lib/x.rb",
                "/v/index.php", "/v/tool.phar", "/d/App.dll", "/d/App.exe", "/w/m.wasm", "/A/B.JAR"}) {
            assertThat(CodeFileClassifier.isCode(path)).as(path).isTrue();
        }
    }

    @Test
    void dataFilesAreNotCode()
    {
        for (String path : new String[] {"/etc/ssl/openssl.cnf", "/usr/share/doc/README", "/usr/lib/locale/C.utf8/LC_CTYPE",
                "/etc/passwd", "/app/package.json", "/x/libfoo.so.conf", "/x/libfoo.sox", "/x/.so", "/x/notes.so.txt",
                "/x/archive.so.1a", "/usr/bin/python3", "/", "/x/dir/", "/x/file.", "/x/.jar"}) {
            assertThat(CodeFileClassifier.isCode(path)).as(path).isFalse();
        }
    }
}
