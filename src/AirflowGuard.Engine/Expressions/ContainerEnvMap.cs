using AirflowGuard.Engine.Expressions.Cel;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Expressions;

/// <summary>
/// <c>c.env</c> of the <c>airflow</c> view: the container's env as a map of names to literal values (null for a value
/// from a ConfigMap, Secret or field). A name is looked up in the container's own list, as the settings resolver does
/// (the last duplicate wins, as in Kubernetes), so <c>'X' in c.env</c> and <c>c.env['X']</c> build nothing; the set of
/// names is made only when an expression counts or walks them.
/// </summary>
internal sealed class ContainerEnvMap(ContainerView container) : CelStringKeyedMap
{
    private List<string>? _names;

    public override int Count => Names().Count;

    public override bool TryGetField(string name, out CelValue value)
    {
        if (container.FindEnv(name) is { } variable)
        {
            value = CelValue.StringOrNull(variable.IsLiteral ? variable.Value : null);
            return true;
        }
        value = default;
        return false;
    }

    public override IEnumerable<CelValue> Keys() => Names().Select(CelValue.String);

    /// <summary>Each name once, in the order it first appears.</summary>
    private List<string> Names()
    {
        if (_names is null)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            _names = [];
            foreach (var variable in container.Env)
            {
                if (seen.Add(variable.Name))
                {
                    _names.Add(variable.Name);
                }
            }
        }
        return _names;
    }
}
