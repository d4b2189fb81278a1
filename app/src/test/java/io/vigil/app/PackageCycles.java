package io.vigil.app;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cycles of an import graph: its strongly connected components of more than one package (Tarjan's
 * algorithm), each as its sorted package names, sorted by first name.
 */
final class PackageCycles {
    private final Map<String, Set<String>> imports;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> lowLink = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new HashSet<>();
    private final List<List<String>> cycles = new ArrayList<>();

    private PackageCycles(Map<String, Set<String>> imports) {
        this.imports = imports;
    }

    static List<List<String>> of(Map<String, Set<String>> imports) {
        PackageCycles search = new PackageCycles(imports);
        for (String node : new TreeSet<>(imports.keySet())) {
            if (!search.index.containsKey(node)) {
                search.visit(node);
            }
        }
        search.cycles.sort((left, right) -> left.getFirst().compareTo(right.getFirst()));
        return List.copyOf(search.cycles);
    }

    // recursion depth is bounded by the number of packages in one module (a few dozen)
    private void visit(String node) {
        int order = index.size();
        index.put(node, order);
        lowLink.put(node, order);
        stack.push(node);
        onStack.add(node);
        for (String next : imports.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                visit(next);
                lowLink.put(node, Math.min(lowLink.get(node), lowLink.get(next)));
            } else if (onStack.contains(next)) {
                lowLink.put(node, Math.min(lowLink.get(node), index.get(next)));
            }
        }
        if (lowLink.get(node).equals(index.get(node))) {
            List<String> component = new ArrayList<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                component.sort(null);
                cycles.add(List.copyOf(component));
            }
        }
    }
}
