using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Engine.Tests.Support;

/// <summary>Paths into the repository, so tests read the very files that ship.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "AirflowGuard.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("AirflowGuard.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The shipped policy packs, loaded once.</summary>
public static class Packs
{
    private static readonly Lazy<PolicySet> DefaultPack = new(() => Load(Repo.Path("policies")));
    private static readonly Lazy<PolicySet> ExamplePack = new(() => Load(Repo.Path("policies", "examples")));

    public static PolicySet Default => DefaultPack.Value;

    public static PolicySet Examples => ExamplePack.Value;

    public static PolicySet Load(params string[] paths)
    {
        var result = PolicyLoader.LoadPaths(paths);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Set!;
    }

    public static PolicySet FromYaml(string yaml)
    {
        var result = PolicyLoader.LoadText("test.yaml", yaml);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Set!;
    }
}

/// <summary>A manifest file (or text) read as one bundle, as `airflowguard check` reads it.</summary>
public sealed class Bundle
{
    private Bundle(IReadOnlyList<ManifestObject> objects)
    {
        Objects = objects;
        Cluster = new ManifestClusterState(objects);
    }

    public IReadOnlyList<ManifestObject> Objects { get; }

    public ManifestClusterState Cluster { get; }

    public static Bundle FromFile(string path) => FromText(path, File.ReadAllText(path));

    public static Bundle Seed(string name) => FromFile(Repo.Path("examples", "seeds", name));

    public static Bundle FromText(string file, string yaml)
    {
        var (objects, errors) = ManifestBundle.Read(file, yaml);
        Assert.Empty(errors);
        return new Bundle(objects);
    }

    /// <summary>Every object evaluated against <paramref name="policies"/>, keyed by its location.</summary>
    public IReadOnlyList<(ManifestObject Object, ObjectVerdict Verdict)> Evaluate(PolicySet policies) =>
        Objects.Select(o => (o, ObjectEvaluator.Evaluate(o.Json, "", policies, Cluster, "default", owner: o.EmbeddedIn?.Owner("default")))).ToList();

    /// <summary>The verdict on the single object of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    public ObjectVerdict Verdict(PolicySet policies, string kind, string name)
    {
        var obj = Objects.Single(o => o.Kind == kind && o.Json.GetProperty("metadata").GetProperty("name").GetString() == name);
        var verdict = ObjectEvaluator.Evaluate(obj.Json, "", policies, Cluster, "default", owner: obj.EmbeddedIn?.Owner("default"));
        Assert.Empty(verdict.Errors);
        return verdict;
    }

    public PodView Pod(string kind, string name) => Verdict(PolicySet.Empty, kind, name).Pod!;
}
