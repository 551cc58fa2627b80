package dev.devloop.tools.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the added lines, with their new-file line numbers, out of a unified diff (git's format). */
public final class UnifiedDiff {
    private static final Pattern HUNK = Pattern.compile("^@@ -\\d+(?:,\\d+)? \\+(\\d+)(?:,\\d+)? @@.*");

    private UnifiedDiff() {}

    public static List<AddedLine> addedLines(String diff) {
        List<AddedLine> added = new ArrayList<>();
        String file = null;
        int next = 0;
        boolean inHunk = false;
        for (String line : diff.split("\n", -1)) {
            if (line.startsWith("diff --git ")) {
                inHunk = false;
                file = null;
            } else if (!inHunk && line.startsWith("+++ ")) {
                String target = line.substring(4);
                file = target.startsWith("b/") ? target.substring(2) : "/dev/null".equals(target) ? null : target;
            } else if (line.startsWith("@@")) {
                Matcher m = HUNK.matcher(line);
                inHunk = m.matches();
                next = inHunk ? Integer.parseInt(m.group(1)) : 0;
            } else if (inHunk && line.startsWith("+")) {
                if (file != null) {
                    added.add(new AddedLine(file, next, line.substring(1)));
                }
                next++;
            } else if (inHunk && line.startsWith(" ")) {
                next++;
            }
        }
        return added;
    }
}
