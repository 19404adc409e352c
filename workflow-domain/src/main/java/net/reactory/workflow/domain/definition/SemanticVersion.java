package net.reactory.workflow.domain.definition;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A semantic version, compared as numbers: {@code 1.10.0} is newer than {@code 1.9.0}. */
public record SemanticVersion(int major, int minor, int patch) implements Comparable<SemanticVersion> {

    private static final Pattern FORMAT = Pattern.compile("(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})");

    public SemanticVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers must not be negative: " + major + "." + minor + "." + patch);
        }
    }

    /** Parses {@code MAJOR.MINOR.PATCH}; throws {@link IllegalArgumentException} naming the bad text. */
    public static SemanticVersion parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("version is missing (expected MAJOR.MINOR.PATCH such as 1.0.0)");
        }
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("version '" + text + "' is not a semantic version (expected MAJOR.MINOR.PATCH such as 1.0.0)");
        }
        return new SemanticVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    public static boolean isValid(String text) {
        return text != null && FORMAT.matcher(text.trim()).matches();
    }

    @Override
    public int compareTo(SemanticVersion other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) c = Integer.compare(minor, other.minor);
        if (c == 0) c = Integer.compare(patch, other.patch);
        return c;
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
