package io.runlight.insights.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The header blobs of rpm's SQLite database ({@code rpmdb.sqlite}, table {@code Packages}),
 * read with sqlite-jdbc from a copy in the temporary folder (with its write-ahead log, which
 * rpm may not have merged yet): SQLite writes a shared-memory file beside a database it opens,
 * and nothing may be written in the image. The only class of the engine that uses JDBC.
 */
final class RpmSqliteDatabase
{
    private RpmSqliteDatabase() {}

    static List<byte[]> headers(Path database, Path scratch)
            throws IOException
    {
        Path copyFolder = Files.createTempDirectory(scratch, "rpmdb-");
        Path copy = copyFolder.resolve("rpmdb.sqlite");
        Files.copy(database, copy, StandardCopyOption.COPY_ATTRIBUTES);
        Path log = database.resolveSibling("rpmdb.sqlite-wal");
        if (Files.isRegularFile(log)) {
            Files.copy(log, copyFolder.resolve("rpmdb.sqlite-wal"));
        }
        List<byte[]> blobs = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + copy);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT blob FROM Packages")) {
            while (rows.next()) {
                blobs.add(rows.getBytes(1));
            }
        }
        catch (SQLException e) {
            throw new IOException("not an rpm SQLite database (" + e.getMessage() + ")", e);
        }
        return blobs;
    }
}
