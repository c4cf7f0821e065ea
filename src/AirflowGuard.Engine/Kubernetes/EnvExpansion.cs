using System.Text;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// How the kubelet expands <c>$(VAR)</c> in an env value: from the variables defined before it in the same container
/// (its <c>envFrom</c> sources first, then the <c>env</c> entries above it, each as already expanded); <c>$$</c> writes a
/// <c>$</c> and stops a reference; a reference to a variable defined nowhere stays as written; a <c>$</c> before anything
/// else is kept. Values given by reference (<c>valueFrom</c>) are not expanded.
/// </summary>
internal static class EnvExpansion
{
    /// <summary>Whether <paramref name="value"/> can hold a reference at all (most values cannot, and are used as written).</summary>
    public static bool MayReference(string value) => value.Contains("$(", StringComparison.Ordinal);

    /// <summary>
    /// What a reader of the pod spec learns from env var <paramref name="env"/>'s value: the value as the kubelet expands it,
    /// with every variable that is not written literally in the spec — from a Secret, a ConfigMap key, a field, or an
    /// <c>envFrom</c> source — left out (it holds no text the spec shows). So <c>postgresql://$(USER):$(PASSWORD)@db</c>,
    /// both from a Secret, reads <c>postgresql://:@db</c>: no password in plain text.
    /// </summary>
    public static string LiteralText(ContainerView container, EnvVarView env)
    {
        if (env.Value is not { } value || !MayReference(value))
        {
            return env.Value ?? "";
        }
        // the variables above it, each as the kubelet holds it; null: defined, but not by a literal
        var defined = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var earlier in container.Env)
        {
            if (ReferenceEquals(earlier, env))
            {
                break;
            }
            defined[earlier.Name] = earlier.IsLiteral ? Expand(earlier.Value ?? "", defined, container.EnvFrom.Count > 0) : null;
        }
        return Expand(value, defined, container.EnvFrom.Count > 0);
    }

    /// <summary>Expands <paramref name="text"/> against the variables defined so far (a null value: known, not literal).</summary>
    /// <param name="fromEnvFrom">The container has envFrom sources: a name not in <paramref name="defined"/> may come from one (and is not literal).</param>
    internal static string Expand(string text, IReadOnlyDictionary<string, string?> defined, bool fromEnvFrom)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$' || i + 1 >= text.Length)
            {
                result.Append(text[i]);
                continue;
            }
            var next = text[i + 1];
            if (next == '$')
            {
                result.Append('$'); // "$$" is an escaped "$"
                i++;
                continue;
            }
            if (next != '(')
            {
                result.Append('$').Append(next);
                i++;
                continue;
            }
            var close = text.IndexOf(')', i + 2);
            if (close < 0)
            {
                result.Append("$("); // an unclosed reference is kept as written
                i++;
                continue;
            }
            var name = text[(i + 2)..close];
            if (defined.TryGetValue(name, out var value))
            {
                result.Append(value); // a variable not given literally adds nothing a reader can see
            }
            else if (!fromEnvFrom)
            {
                result.Append("$(").Append(name).Append(')'); // defined nowhere: kept as written
            }
            i = close;
        }
        return result.ToString();
    }
}
