package io.runlight.insights.sbom;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves "package contains file" links (Syft {@code contains} relationships, SPDX
 * {@code CONTAINS}/{@code CONTAINED_BY}/{@code hasFiles}) to file paths, whatever order
 * the document puts packages, files and relationships in, without keeping the raw
 * document: a link whose file is already known resolves at once; otherwise the file id
 * waits, and the file resolves all its waiting packages when it arrives. Once the reader
 * says no more links can come, files that nobody waits for are not remembered at all,
 * which is the common case for Syft (relationships come before files).
 */
final class FileOwnership
{
    private final Map<String, String> pathByFileId = new HashMap<>();
    // file id -> the id of the package waiting for it, or a List<String> of several
    private final Map<String, Object> waiting = new HashMap<>();
    private final Map<String, List<String>> filesByPackage = new HashMap<>();
    private final Map<String, String> packageIds = new HashMap<>();
    private boolean linksComplete;

    /** A file entry: its id and its (normalised) path. */
    void file(String fileId, String path)
    {
        Object parents = waiting.remove(fileId);
        if (parents instanceof String parent) {
            filesOfPackage(parent).add(path);
        }
        else if (parents instanceof List<?> list) {
            for (Object parent : list) {
                filesOfPackage((String) parent).add(path);
            }
        }
        if (!linksComplete) {
            pathByFileId.put(fileId, path);
        }
    }

    /** A link saying the package owns the file (the file may not be known yet, or be no file at all). */
    void contains(String packageId, String fileId)
    {
        String parent = packageIds.computeIfAbsent(packageId, id -> id);
        String path = pathByFileId.get(fileId);
        if (path != null) {
            filesOfPackage(parent).add(path);
            return;
        }
        Object existing = waiting.get(fileId);
        if (existing == null) {
            waiting.put(fileId, parent);
        }
        else if (existing instanceof String single) {
            if (!single.equals(parent)) {
                List<String> parents = new ArrayList<>(2);
                parents.add(single);
                parents.add(parent);
                waiting.put(fileId, parents);
            }
        }
        else {
            @SuppressWarnings("unchecked")
            List<String> parents = (List<String>) existing;
            if (!parents.contains(parent)) {
                parents.add(parent);
            }
        }
    }

    /** No more links will come: files read from now on need not be remembered. */
    void linksComplete()
    {
        linksComplete = true;
        pathByFileId.clear();
    }

    /** The paths linked to the package, in the order they resolved; empty if none. */
    List<String> filesOf(String packageId)
    {
        return filesByPackage.getOrDefault(packageId, List.of());
    }

    private List<String> filesOfPackage(String packageId)
    {
        return filesByPackage.computeIfAbsent(packageId, id -> new ArrayList<>());
    }
}
