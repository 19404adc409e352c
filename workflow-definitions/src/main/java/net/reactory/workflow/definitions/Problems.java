package net.reactory.workflow.definitions;

import java.util.ArrayList;
import java.util.List;

/** What is wrong with one definition document so far, each problem with its path ({@code $.steps[2].duration: ...}). */
final class Problems {

    private final List<String> list = new ArrayList<>();

    void add(String path, String problem) {
        list.add(path + ": " + problem);
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    List<String> list() {
        return List.copyOf(list);
    }
}
