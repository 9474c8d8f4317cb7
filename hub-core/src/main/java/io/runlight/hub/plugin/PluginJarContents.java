package io.runlight.hub.plugin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import static java.util.Objects.requireNonNull;

/**
 * What a plugin jar holds, read entry by entry with every entry inflated under the caps
 * of {@link PluginJarLimits} (the sizes a zip header declares are not trusted), before any
 * other code reads the jar. Class files are read with ASM, without loading them, for calls
 * that would stop the hub ({@code System.exit}, {@code Runtime.exit}, {@code Runtime.halt}):
 * the JDK has no SecurityManager any more, so a plugin that may call them is not loaded.
 *
 * @param manifest the bytes of {@code META-INF/MANIFEST.MF}, if any
 * @param apiEntries class files of the plugin API the jar bundles, sorted
 * @param stopCalls where the jar calls a method that stops the JVM, as {@code class.method calls owner.name}, sorted
 */
record PluginJarContents(Optional<byte[]> manifest, TreeSet<String> apiEntries, TreeSet<String> stopCalls)
{
    static final String MANIFEST = "META-INF/MANIFEST.MF";
    static final String EXTENSION_INDEX = "META-INF/extensions.idx";
    private static final int BUFFER = 64 * 1024;

    PluginJarContents
    {
        requireNonNull(manifest, "manifest is null");
        requireNonNull(apiEntries, "apiEntries is null");
        requireNonNull(stopCalls, "stopCalls is null");
    }

    /**
     * Reads the jar.
     *
     * @throws TooLarge if the jar breaks a cap; the message names the cap
     * @throws IOException if it is not a readable zip file
     */
    static PluginJarContents read(Path jar, PluginJarLimits limits)
            throws IOException
    {
        Optional<byte[]> manifest = Optional.empty();
        TreeSet<String> apiEntries = new TreeSet<>();
        TreeSet<String> stopCalls = new TreeSet<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.size() > limits.maxEntries()) {
                throw new TooLarge("it has " + zip.size() + " entries; the limit is " + limits.maxEntries());
            }
            long inflated = 0;
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName();
                boolean isClass = name.endsWith(".class");
                long cap = limits.maxEntryBytes();
                String what = "entry '" + name + "'";
                if (name.equalsIgnoreCase(MANIFEST)) {
                    cap = limits.maxManifestBytes();
                    what = MANIFEST;
                }
                else if (name.equals(EXTENSION_INDEX)) {
                    cap = limits.maxExtensionIndexBytes();
                    what = EXTENSION_INDEX;
                }
                boolean keep = isClass || name.equalsIgnoreCase(MANIFEST);
                long remaining = limits.maxInflatedBytes() - inflated;
                Content content;
                try (InputStream in = zip.getInputStream(entry)) {
                    content = readCapped(in, Math.min(cap, remaining), keep);
                }
                if (content.size() > cap) {
                    throw new TooLarge(what + " inflates to more than " + PluginJarLimits.size(cap) + ", the limit");
                }
                if (content.size() > remaining) {
                    throw new TooLarge("its entries inflate to more than " + PluginJarLimits.size(limits.maxInflatedBytes()) + ", the limit");
                }
                inflated += content.size();
                if (name.equalsIgnoreCase(MANIFEST)) {
                    manifest = Optional.of(content.bytes());
                }
                if (isClass) {
                    if (name.startsWith(PluginJarInspector.API_PREFIX)) {
                        apiEntries.add(name);
                    }
                    stopCalls.addAll(stopCalls(name, content.bytes()));
                }
            }
        }
        return new PluginJarContents(manifest, apiEntries, stopCalls);
    }

    /**
     * What is wrong with a manifest before the JDK parses it: the JDK warns once per
     * repeated attribute name, so a manifest of repeated lines floods the log.
     */
    static Optional<String> manifestProblem(byte[] manifest)
    {
        Set<String> names = new HashSet<>();
        for (String line : new String(manifest, StandardCharsets.UTF_8).split("\r\n|\r|\n")) {
            if (line.isEmpty()) {
                // a new section (per-entry attributes) may repeat the main section's names
                names.clear();
                continue;
            }
            if (line.startsWith(" ")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && !names.add(line.substring(0, colon).toLowerCase(Locale.ROOT))) {
                return Optional.of("its " + MANIFEST + " names attribute '" + PluginJarInspector.printable(line.substring(0, colon)) + "' twice in one section");
            }
        }
        return Optional.empty();
    }

    private static Content readCapped(InputStream in, long cap, boolean keep)
            throws IOException
    {
        ByteArrayOutputStream kept = keep ? new ByteArrayOutputStream() : null;
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        int read;
        while ((read = in.read(buffer)) >= 0) {
            total += read;
            if (total > cap) {
                // one byte past the cap is enough to say it is too large; inflate no further
                return new Content(total, new byte[0]);
            }
            if (kept != null) {
                kept.write(buffer, 0, read);
            }
        }
        return new Content(total, kept == null ? new byte[0] : kept.toByteArray());
    }

    private static Set<String> stopCalls(String entryName, byte[] classFile)
            throws UnreadableClass
    {
        Set<String> found = new TreeSet<>();
        ClassReader reader;
        try {
            reader = new ClassReader(classFile);
        }
        catch (RuntimeException e) {
            throw new UnreadableClass(entryName, e);
        }
        if (!mentionsAStopMethod(classFile)) {
            // a call, method reference or handle names its method by a constant of the class's pool, in
            // the class file's bytes as written: without "exit" or "halt" there, nothing below can match
            return found;
        }
        String className = entryName.substring(0, entryName.length() - ".class".length()).replace('/', '.');
        try {
            reader.accept(new ClassVisitor(Opcodes.ASM9)
            {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions)
                {
                    String where = className + "." + name;
                    return new MethodVisitor(Opcodes.ASM9)
                    {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String method, String methodDescriptor, boolean isInterface)
                        {
                            check(owner, method);
                        }

                        @Override
                        public void visitLdcInsn(Object value)
                        {
                            if (value instanceof Handle handle) {
                                check(handle.getOwner(), handle.getName());
                            }
                        }

                        @Override
                        public void visitInvokeDynamicInsn(String method, String methodDescriptor, Handle bootstrap, Object... arguments)
                        {
                            for (Object argument : arguments) {
                                if (argument instanceof Handle handle) {
                                    check(handle.getOwner(), handle.getName());
                                }
                            }
                        }

                        private void check(String owner, String method)
                        {
                            if (stopsTheJvm(owner, method)) {
                                found.add(where + " calls " + owner.replace('/', '.') + "." + method);
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        }
        catch (RuntimeException e) {
            throw new UnreadableClass(entryName, e);
        }
        return found;
    }

    /**
     * Whether the class file's bytes hold "exit" or "halt" anywhere. Most classes do not, and for
     * those the visit below, most of a plugin jar's inspection (a tenth of a hub start's CPU with
     * the three bundled connectors), is skipped; a class that merely says "exitCode" is visited.
     */
    private static boolean mentionsAStopMethod(byte[] classFile)
    {
        for (int i = 0; i + 4 <= classFile.length; i++) {
            byte first = classFile[i];
            if ((first == 'e' && classFile[i + 1] == 'x' && classFile[i + 2] == 'i' && classFile[i + 3] == 't')
                    || (first == 'h' && classFile[i + 1] == 'a' && classFile[i + 2] == 'l' && classFile[i + 3] == 't')) {
                return true;
            }
        }
        return false;
    }

    private static boolean stopsTheJvm(String owner, String method)
    {
        return (owner.equals("java/lang/System") && method.equals("exit"))
                || (owner.equals("java/lang/Runtime") && (method.equals("exit") || method.equals("halt")));
    }

    /** How much an entry inflated to, and its bytes if they were kept. */
    private record Content(long size, byte[] bytes) {}

    /** The jar breaks a cap of {@link PluginJarLimits}; the message says which. */
    static final class TooLarge
            extends IOException
    {
        TooLarge(String message)
        {
            super(message);
        }
    }

    /** A class file ASM cannot read (the JVM would refuse it too). */
    static final class UnreadableClass
            extends IOException
    {
        UnreadableClass(String entryName, RuntimeException cause)
        {
            super("class file '" + entryName + "' is malformed (" + cause + ")", cause);
        }
    }
}
