namespace AirflowGuard.Engine.Kubernetes;

/// <summary>POSIX path helpers for mount paths, which Kubernetes never normalises for us.</summary>
internal static class PathText
{
    public static string Normalize(string path)
    {
        if (IsNormal(path))
        {
            return path; // what the readers already made of every mount path: the rules ask about them over and over
        }
        if (path.Length > 1 && path.EndsWith('/'))
        {
            path = path.TrimEnd('/');
            if (path.Length == 0)
            {
                return "/";
            }
        }
        return path.Contains("//", StringComparison.Ordinal) ? CollapseSlashes(path) : path;
    }

    /// <summary>
    /// Neither a trailing slash (but "/") nor "//": one pass over the characters, which for paths this short
    /// costs less than a call to the vectorised searches (several times less in the Native AOT binary).
    /// </summary>
    internal static bool IsNormal(string path)
    {
        if (path.Length > 1 && path[^1] == '/')
        {
            return false;
        }
        for (var i = 1; i < path.Length; i++)
        {
            if (path[i] == '/' && path[i - 1] == '/')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or lies beneath it.</summary>
    public static bool IsSameOrUnder(string path, string root) => IsSameOrUnderNormal(Normalize(path), Normalize(root));

    /// <summary>
    /// <see cref="IsSameOrUnder"/> for paths already normalised, such as every <see cref="MountView.MountPath"/>:
    /// for the loops that compare one path with each mount of a container.
    /// </summary>
    public static bool IsSameOrUnderNormal(string path, string root)
    {
        if (root == "/")
        {
            return path.StartsWith('/');
        }
        return path.Length == root.Length
            ? string.Equals(path, root, StringComparison.Ordinal)
            : path.Length > root.Length && path[root.Length] == '/' && path.StartsWith(root, StringComparison.Ordinal);
    }

    /// <summary>
    /// True when either normal path is the other or lies beneath it: a mount at, above or inside a folder. One
    /// comparison of the shorter with the longer's start, where two calls of <see cref="IsSameOrUnderNormal"/> would make two.
    /// </summary>
    public static bool AreNestedNormal(string a, string b)
    {
        var (shorter, longer) = a.Length <= b.Length ? (a, b) : (b, a);
        if (shorter == "/")
        {
            return longer.StartsWith('/');
        }
        return longer.StartsWith(shorter, StringComparison.Ordinal) && (longer.Length == shorter.Length || longer[shorter.Length] == '/');
    }

    /// <summary>The part of <paramref name="path"/> below <paramref name="root"/>, without a leading slash ("" when equal); both normal, the path at or under the root.</summary>
    public static string RelativeToNormal(string path, string root)
    {
        if (path.Length == root.Length)
        {
            return "";
        }
        return root == "/" ? path[1..] : path[(root.Length + 1)..];
    }

    public static string Combine(string root, string relative) =>
        relative.Length == 0 ? root : root.EndsWith('/') ? root + relative : root + "/" + relative;

    private static string CollapseSlashes(string path)
    {
        while (path.Contains("//", StringComparison.Ordinal))
        {
            path = path.Replace("//", "/", StringComparison.Ordinal);
        }
        return path;
    }
}
