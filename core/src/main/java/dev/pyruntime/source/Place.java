package dev.pyruntime.source;

import dev.pyruntime.manifest.Manifest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One place to fetch a file from, as it appears in messages ({@code label}), with the URI to fetch, or with the
 * reason it cannot be tried.
 *
 * @param label   the URL, or {@code apt-pool <url>}, or {@code apt-pool}
 * @param uri     what to fetch, or null when {@code problem} says why this place cannot be tried
 * @param problem why the place cannot be tried, or null
 */
record Place(String label, URI uri, String problem) {

    /**
     * Where to look for {@code name} (the upstream tarball, or its signature): each of the source's URLs in order,
     * {@code apt-pool} expanded to one URL per apt archive. The source's URLs name the tarball ({@code file}); for the
     * signature their last path segment is replaced by the signature's name.
     */
    static List<Place> of(List<String> urls, String file, String name, AptSources apt) {
        List<Place> places = new ArrayList<>();
        for (String url : urls) {
            if (url.equals(Manifest.APT_POOL)) {
                places.addAll(aptPool(name, apt));
            } else if (!name.equals(file) && !url.endsWith("/" + file)) {
                places.add(new Place(url, null, "does not end in /" + file + ", so the URL of " + name
                        + " cannot be derived from it"));
            } else {
                String target = name.equals(file) ? url : url.substring(0, url.length() - file.length()) + name;
                try {
                    places.add(new Place(target, new URI(target), null));
                } catch (URISyntaxException e) {
                    places.add(new Place(target, null, "not a valid URL: " + e.getMessage()));
                }
            }
        }
        return places;
    }

    private static List<Place> aptPool(String name, AptSources apt) {
        Optional<String> path = PoolPath.of(name);
        if (path.isEmpty()) {
            return List.of(new Place(Manifest.APT_POOL, null, name + " is not an upstream CPython file name "
                    + "(Python-X.Y.Z.tgz or .tar.xz, or its .asc), so it has no Debian pool path"));
        }
        if (apt.baseUris().isEmpty()) {
            String notes = apt.notes().isEmpty() ? "" : " (skipped: " + String.join("; ", apt.notes()) + ")";
            return List.of(new Place(Manifest.APT_POOL, null, "no usable apt archive in " + apt.describe() + notes));
        }
        List<Place> places = new ArrayList<>();
        for (URI base : apt.baseUris()) {
            URI uri = URI.create(base + "/" + path.get());
            places.add(new Place(Manifest.APT_POOL + " " + uri, uri, null));
        }
        return places;
    }
}
