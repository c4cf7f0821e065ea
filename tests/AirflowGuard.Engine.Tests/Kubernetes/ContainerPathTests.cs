using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Tests.Support;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Engine.Tests;

/// <summary>
/// Findings name a container, and the mount or env var of it they are about, by <see cref="ContainerView.Path"/> and
/// <see cref="ContainerView.PathOf"/>, made from the path kept on the container instead of a pointer converted for each
/// finding. They must read exactly as the pointer converted (<see cref="JsonPathText.FromPointer"/>) on every container
/// of the real renders: bare pods, templates of Deployments, StatefulSets and Jobs, init containers.
/// </summary>
public sealed class ContainerPathTests
{
    public static TheoryData<string> Charts() => [.. Directory.GetDirectories(Repo.Path("tests", "charts")).Select(d => Path.GetFileName(d)).Order()];

    [Theory]
    [MemberData(nameof(Charts))]
    public void Paths_read_as_the_pointer_converted(string chart)
    {
        var containers = 0;
        foreach (var render in Directory.GetFiles(Repo.Path("tests", "charts", chart), "*.yaml").Where(f => !f.EndsWith(".values.yaml", StringComparison.Ordinal)))
        {
            // read as `check` reads it: a render with a duplicate key (one of stable-7.5's) still has its objects
            var (objects, _) = ManifestBundle.Read(render, File.ReadAllText(render));
            var cluster = new ManifestClusterState(objects);
            foreach (var manifest in objects)
            {
                if (ObjectEvaluator.Evaluate(manifest.Json, "", PolicySet.Empty, cluster, "default", owner: manifest.EmbeddedIn?.Owner("default")).Pod is not { } pod)
                {
                    continue;
                }
                foreach (var container in pod.AllContainers)
                {
                    containers++;
                    Assert.Equal(JsonPathText.FromPointer(container.Pointer), container.Path);
                    foreach (var (list, count) in new[] { ("volumeMounts", container.Mounts.Count), ("env", container.Env.Count), ("envFrom", container.EnvFrom.Count) })
                    {
                        for (var i = 0; i < Math.Max(count, 1); i++)
                        {
                            Assert.Equal(JsonPathText.FromPointer($"{container.Pointer}/{list}/{i}"), container.PathOf(list, i));
                        }
                    }
                }
            }
        }
        Assert.True(containers > 0, $"no container read in tests/charts/{chart}");
    }
}
