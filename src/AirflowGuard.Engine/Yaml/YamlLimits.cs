using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Yaml;

/// <summary>
/// Bounds on what a YAML document may cost to read, enforced before anything recursive walks it: how
/// deep collections nest, and how far anchors and aliases may multiply the document (an "alias bomb"
/// of a few hundred bytes otherwise expands to gigabytes). Kubernetes objects and policies nest a few
/// dozen levels at most and use aliases sparingly, so the limits never touch a real file.
/// </summary>
internal static class YamlLimits
{
    /// <summary>Deepest nesting of mappings and sequences, counted in the text and again after aliases are expanded.</summary>
    public const int MaxDepth = 100;

    /// <summary>Aliases may make a document at most this many times larger than it is written…</summary>
    public const int MaxExpansionFactor = 10;

    /// <summary>…plus this many nodes (small documents may alias freely).</summary>
    public const int ExpansionAllowance = 10_000;

    /// <summary>
    /// Checks the document behind <paramref name="root"/> as aliases would expand it, without expanding
    /// it: sizes and depths are computed once per distinct node (aliases share nodes), iteratively.
    /// Returns where and why the document is refused, or null.
    /// </summary>
    public static (Mark Start, string Message)? CheckExpansion(YamlNode root)
    {
        var memo = new Dictionary<YamlNode, (long Size, int Depth)>(ReferenceEqualityComparer.Instance);
        var open = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(YamlNode Node, bool ChildrenDone)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (node, childrenDone) = stack.Pop();
            if (!childrenDone)
            {
                if (memo.ContainsKey(node))
                {
                    continue;
                }
                if (!open.Add(node))
                {
                    return (node.Start, "an alias refers to a node that contains it (a recursive structure)");
                }
                stack.Push((node, true));
                foreach (var child in Children(node))
                {
                    if (open.Contains(child))
                    {
                        return (child.Start, "an alias refers to a node that contains it (a recursive structure)");
                    }
                    if (!memo.ContainsKey(child))
                    {
                        stack.Push((child, false));
                    }
                }
                continue;
            }
            long size = 1;
            var depth = 0;
            foreach (var child in Children(node))
            {
                var (childSize, childDepth) = memo[child];
                size += childSize;
                depth = Math.Max(depth, childDepth);
            }
            if (node is not YamlScalarNode)
            {
                depth++;
            }
            if (depth > MaxDepth)
            {
                return (node.Start, $"nested deeper than {MaxDepth} levels once aliases are expanded");
            }
            open.Remove(node);
            memo[node] = (Math.Min(size, long.MaxValue / 4), depth);
        }
        var expanded = memo[root].Size;
        var written = memo.Count;
        var allowed = (long)written * MaxExpansionFactor + ExpansionAllowance;
        return expanded > allowed
            ? (root.Start, $"aliases expand this document to {expanded:N0} nodes from {written:N0} written (at most {MaxExpansionFactor}× plus {ExpansionAllowance:N0} are read): too much aliasing")
            : null;
    }

    private static IEnumerable<YamlNode> Children(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    yield return key;
                    yield return value;
                }
                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children)
                {
                    yield return item;
                }
                break;
        }
    }
}
