using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace AirflowGuard.Engine.Expressions;

/// <summary>
/// The variables of one evaluation, shared by every expression rule that runs on the object. Each is
/// built on first use: an expression that reads only <c>airflow</c> never pays for converting the raw
/// object, and one that reads only <c>object</c> never resolves settings and backing.
/// </summary>
public sealed class ExpressionVariables(JsonElement? raw, ExpressionRequest request, Func<Dictionary<string, object?>> airflow)
{
    private LazyVariables? _values;

    public IDictionary<string, object?> Values => _values ??= new LazyVariables(raw, request, airflow);

    private sealed class LazyVariables(JsonElement? raw, ExpressionRequest request, Func<Dictionary<string, object?>> airflow) : IDictionary<string, object?>
    {
        private static readonly string[] Names = ["object", "oldObject", "request", "airflow"];
        private readonly object?[] _values = new object?[4];
        private readonly bool[] _built = new bool[4];

        public object? this[string key]
        {
            get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);
            set => throw new NotSupportedException();
        }

        public ICollection<string> Keys => Names;

        public ICollection<object?> Values => [.. Names.Select(n => this[n])];

        public int Count => Names.Length;

        public bool IsReadOnly => true;

        public bool ContainsKey(string key) => Array.IndexOf(Names, key) >= 0;

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
        {
            var index = Array.IndexOf(Names, key);
            if (index < 0)
            {
                value = null;
                return false;
            }
            if (!_built[index])
            {
                _values[index] = index switch
                {
                    0 => raw is { } obj ? CelValues.FromJson(obj) : null,
                    1 => request.OldObject is { } old ? CelValues.FromJson(old) : null,
                    2 => new Dictionary<string, object?>
                    {
                        ["operation"] = request.Operation,
                        ["namespace"] = request.Namespace,
                        ["dryRun"] = request.DryRun,
                    },
                    _ => airflow(),
                };
                _built[index] = true;
            }
            value = _values[index];
            return true;
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            foreach (var name in Names)
            {
                yield return new KeyValuePair<string, object?>(name, this[name]);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public bool Contains(KeyValuePair<string, object?> item) => TryGetValue(item.Key, out var value) && Equals(value, item.Value);

        public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex)
        {
            foreach (var pair in this)
            {
                array[arrayIndex++] = pair;
            }
        }

        public void Add(string key, object? value) => throw new NotSupportedException();

        public void Add(KeyValuePair<string, object?> item) => throw new NotSupportedException();

        public bool Remove(string key) => throw new NotSupportedException();

        public bool Remove(KeyValuePair<string, object?> item) => throw new NotSupportedException();

        public void Clear() => throw new NotSupportedException();
    }
}
