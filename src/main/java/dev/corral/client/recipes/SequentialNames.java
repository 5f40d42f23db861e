package dev.corral.client.recipes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Children named as a sequential create names them, {@code <prefix><counter>}, put in the order of the counter. The
 * counter is the parent's count of child creations, so this is the order in which the children were created, whatever
 * their prefixes (which carry each instance's id and so do not sort in that order).
 */
final class SequentialNames {
    private SequentialNames() {}

    /** The counter at the end of {@code name}, or -1 if it does not end in at least 10 digits. */
    static long sequenceOf(String name) {
        int i = name.length();
        while (i > 0 && Character.isDigit(name.charAt(i - 1))) i--;
        int digits = name.length() - i;
        if (digits < 10 || digits > 18) return -1;
        return Long.parseLong(name.substring(i));
    }

    /** The names that {@code accept} and that end in a counter, in counter order. */
    static List<String> ordered(List<String> names, Predicate<String> accept) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (accept.test(n) && sequenceOf(n) >= 0) out.add(n);
        }
        out.sort(Comparator.comparingLong(SequentialNames::sequenceOf));
        return out;
    }

    /** The name (last element) of {@code path}. */
    static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
