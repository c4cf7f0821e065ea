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
/// every object must be of that class; Release builds do not check it when an object is made, this test does, on
/// every view class of the engine (it fails when one is not reached).
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
        var reached = new HashSet<Type>();
        foreach (var (manifest, verdict) in bundle.Evaluate(PolicySet.Empty))
        {
            if (verdict.Pod is not { } pod)
            {
                continue;
            }
            var context = new EvaluationContext(pod, ComponentRecognizer.Recognize(pod, pack.Recognition), bundle.Cluster, pack.Drivers, pack.Recognition, manifest.Json);
            // every variable an expression sees, as the expression rules get them: request and airflow hold the view objects
            var variables = context.Variables;
            foreach (var (index, name) in (ReadOnlySpan<(int, string)>)[(ExpressionVariables.RequestIndex, "request"), (ExpressionVariables.AirflowIndex, "airflow")])
            {
                Walk(variables.Variable(index), $"{Path.GetFileName(render)}: {manifest.Kind} {name}", reached);
            }
        }
        // every view class the engine has, so that a class added later is walked too (or this fails until it is)
        var viewClasses = typeof(CelObject).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CelObject)) && !t.IsAbstract).ToHashSet();
        Assert.Empty(viewClasses.Except(reached).Select(t => t.Name));
    }

    private static void Walk(CelValue value, string path, HashSet<Type> reached)
    {
        switch (value.Kind)
        {
            case CelKind.List:
                var list = value.AsList;
                for (var i = 0; i < list.Count; i++)
                {
                    Walk(list[i], $"{path}[{i}]", reached);
                }
                return;
            case CelKind.Map when value.AsMap is CelObject view:
                Assert.True(view.ObjectType.ClassOfObjects is null || view.ObjectType.ClassOfObjects == view.GetType(),
                    $"{path} is a {view.GetType().Name}, and its type {view.ObjectType.Name} has fields for {view.ObjectType.ClassOfObjects?.Name}");
                reached.Add(view.GetType());
                foreach (var name in view.ObjectType.Names)
                {
                    if (view.TryGetField(name, out var field))
                    {
                        Walk(field, $"{path}.{name}", reached);
                    }
                }
                return;
            default:
                return;
        }
    }
}
