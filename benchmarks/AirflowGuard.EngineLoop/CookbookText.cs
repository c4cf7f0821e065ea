namespace AirflowGuard.Benchmarks;

/// <summary>
/// The CEL cookbook as the benchmarks run it: every rule on the scheduler pod. Kept beside the engine loop, which
/// ab.sh copies into the other commit's tree, and linked into AirflowGuard.Benchmarks (ExpressionBenchmarks).
/// </summary>
internal static class CookbookText
{
    /// <summary>The text with its <c>match</c> blocks removed.</summary>
    public static string WithoutMatch(string text)
    {
        var lines = new List<string>();
        var skipIndent = -1;
        foreach (var line in text.Split('\n'))
        {
            var indent = line.Length - line.TrimStart().Length;
            if (skipIndent >= 0 && (indent > skipIndent || line.Trim().Length == 0))
            {
                continue;
            }
            skipIndent = -1;
            if (line.TrimStart().StartsWith("match:", StringComparison.Ordinal))
            {
                skipIndent = indent;
                continue;
            }
            lines.Add(line);
        }
        return string.Join('\n', lines);
    }
}
