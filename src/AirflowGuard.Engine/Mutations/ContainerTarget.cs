using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Engine.Mutations;

/// <summary>Which containers a mutation changes.</summary>
internal sealed record ContainerTarget(ContainerTargetKind Kind, IReadOnlyList<Glob> Names, bool IncludeInit)
{
    public static ContainerTarget AirflowOnly { get; } = new(ContainerTargetKind.Airflow, [], false);

    /// <summary>A mutation's <c>target</c> (airflow-containers, all-containers) or <c>containers</c> (names), and <c>includeInitContainers</c>.</summary>
    internal static ContainerTarget Read(YamlNodeReader reader, MapNode map)
    {
        var includeInit = map.Bool("includeInitContainers") ?? false;
        var names = map.StringList("containers").Select(n => new Glob(n.Value)).ToList();
        var target = map.String("target");
        if (names.Count > 0)
        {
            if (target is not null)
            {
                reader.Error(map.Get("target")!, "give either target or containers, not both");
            }
            return new ContainerTarget(ContainerTargetKind.Named, names, includeInit);
        }
        switch (target)
        {
            case null or "airflow-containers":
                return new ContainerTarget(ContainerTargetKind.Airflow, [], includeInit);
            case "all-containers":
                return new ContainerTarget(ContainerTargetKind.All, [], includeInit);
            default:
                reader.Error(map.Get("target")!, $"target must be airflow-containers or all-containers (or list containers by name), found \"{target}\"");
                return AirflowOnly;
        }
    }

    public IEnumerable<ContainerView> Select(EvaluationContext context)
    {
        IEnumerable<ContainerView> containers = IncludeInit ? context.Pod.AllContainers : context.Pod.Containers;
        foreach (var container in containers)
        {
            var selected = Kind switch
            {
                ContainerTargetKind.Airflow => context.RoleOf(container) == Airflow.ContainerRole.Airflow,
                ContainerTargetKind.All => true,
                _ => Glob.AnyMatch(Names, container.Name),
            };
            if (selected)
            {
                yield return container;
            }
        }
    }
}
