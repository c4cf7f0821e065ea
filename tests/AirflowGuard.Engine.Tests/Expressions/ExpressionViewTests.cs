using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Expressions;
using AirflowGuard.Engine.Expressions.Cel;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>
/// The <c>airflow</c> view's objects, as expressions reach them on the pods of real chart renders. A field accessor takes
/// its object as the class the type's fields are declared for without a cast (<see cref="CelObjectType.Field"/>), so
/// every object must be of that class; Release builds do not check it when an object is made, this test does.
/// </summary>
public sealed class ExpressionViewTests
{
    public static TheoryData<string> Renders() =>
        [.. new[] { "official-1.19", "community-8.9", "bitnami-25.1" }.Select(chart => Directory.GetFiles(Repo.Path("tests", "charts", chart), "*.yaml")
            .Where(f => !f.EndsWith(".values.yaml", StringComparison.Ordinal) && !f.EndsWith(".extra.yaml", StringComparison.Ordinal)).Order().First())];

    [Theory]
    [MemberData(nameof(Renders))]
    public void EveryObjectOfTheView_IsOfTheClassItsTypesFieldsAreDeclaredFor(string render)
    {
        var bundle = Bundle.FromFile(render);
        var pack = Packs.Default;
        var objects = 0;
        foreach (var (manifest, verdict) in bundle.Evaluate(PolicySet.Empty))
        {
            if (verdict.Pod is not { } pod)
            {
                continue;
            }
            var context = new EvaluationContext(pod, ComponentRecognizer.Recognize(pod, pack.Recognition), bundle.Cluster, pack.Drivers, pack.Recognition, manifest.Json);
            objects += Walk(CelValue.Map(AirflowView.Of(context)), $"{Path.GetFileName(render)}: {manifest.Kind} airflow");
        }
        // the view of a chart's pods has containers, their mounts, settings and folders, and the volumes' backing
        Assert.True(objects > 50, $"only {objects} view objects reached in {render}");
    }

    private static int Walk(CelValue value, string path)
    {
        switch (value.Kind)
        {
            case CelKind.List:
                var list = value.AsList;
                var count = 0;
                for (var i = 0; i < list.Count; i++)
                {
                    count += Walk(list[i], $"{path}[{i}]");
                }
                return count;
            case CelKind.Map when value.AsMap is CelObject view:
                Assert.True(view.ObjectType.ClassOfObjects is null || view.ObjectType.ClassOfObjects == view.GetType(),
                    $"{path} is a {view.GetType().Name}, and its type {view.ObjectType.Name} has fields for {view.ObjectType.ClassOfObjects?.Name}");
                var reached = 1;
                foreach (var name in view.ObjectType.Names)
                {
                    if (view.TryGetField(name, out var field))
                    {
                        reached += Walk(field, $"{path}.{name}");
                    }
                }
                return reached;
            default:
                return 0;
        }
    }
}
