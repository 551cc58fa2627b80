package dev.devloop.knowledge.adapters.out.neo4j;

import ac.simons.neo4j.migrations.core.ClasspathResourceScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Lists the migration scripts of a classpath folder (a directory or a jar entry) through the class loader, instead
 * of neo4j-migrations' ClassGraph scan, which does not see Quarkus' class loaders (a native image's {@code resource:}
 * folder is read as a list of names). Only direct children; at most
 * {@value #MAX_FILES} files per location.
 */
final class DirectoryResourceScanner implements ClasspathResourceScanner {
    static final int MAX_FILES = 1000;
    private final ClassLoader loader;

    DirectoryResourceScanner(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public List<URL> scan(List<String> locations) {
        List<URL> found = new ArrayList<>();
        for (String location : locations) {
            String folder = location.replaceFirst("^classpath:", "").replaceAll("^/+|/+$", "");
            try {
                Enumeration<URL> roots = loader.getResources(folder);
                for (URL root : Collections.list(roots)) {
                    list(root, folder, found);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list migrations under " + location, e);
            }
        }
        return found;
    }

    private void list(URL root, String folder, List<URL> found) throws IOException {
        if ("file".equals(root.getProtocol())) {
            Path dir;
            try {
                dir = Paths.get(root.toURI());
            } catch (java.net.URISyntaxException e) {
                throw new IOException(e);
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(Files::isRegularFile)
                        .sorted()
                        .limit(MAX_FILES)
                        .toList()) {
                    found.add(f.toUri().toURL());
                }
            }
        } else if ("jar".equals(root.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) root.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                String prefix = folder + "/";
                List<String> names = new ArrayList<>();
                for (JarEntry entry : Collections.list(jar.entries())) {
                    String name = entry.getName();
                    if (!entry.isDirectory() && name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0) {
                        names.add(name);
                    }
                }
                Collections.sort(names);
                for (String name : names.subList(0, Math.min(names.size(), MAX_FILES))) {
                    URL url = loader.getResource(name);
                    if (url != null) {
                        found.add(url);
                    }
                }
            }
        } else {
            // a native image's resource: folder reads as its children's names, one per line (not tested here)
            List<String> names = new ArrayList<>();
            try (var in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(root.openStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                in.lines()
                        .map(String::strip)
                        .filter(n -> !n.isEmpty())
                        .limit(MAX_FILES)
                        .forEach(names::add);
            }
            Collections.sort(names);
            for (String name : names) {
                URL url = loader.getResource(folder + "/" + name);
                if (url != null) {
                    found.add(url);
                }
            }
        }
    }
}
