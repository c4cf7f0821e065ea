using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Expressions.Cel;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Expressions;

/// <summary>
/// The <c>airflow</c> variable of expression rules: what the built-in rules see of a pod, as typed
/// objects that CEL reads through accessors. Built once per pod and shared by its expression rules;
/// each part (containers, settings, mounts, backing) is resolved only when an expression reads it.
/// <code>
/// airflow.component, .executor, .version (major, or null), .namespace, .kind
/// airflow.containers[]: name, image, role (airflow | git-sync | sidecar), init, resources, env (literal values),
///   settings: home, dagsFolder, logsFolder, remoteLogging, remoteBaseLogFolder, executor, each { value, source, known, assumed }
///   folders: { logs, dags } (null when unknown)
///   mounts[]: volume, path, subPath, readOnly, access (read | write), holds (logs | dags | ""),
///     backing: { class, driver, claim, persistentVolume, accessModes[], description, known }
/// airflow.volumes[]: name, type, backing (as above)
/// </code>
/// </summary>
internal sealed class AirflowView : CelObject
{
    public static readonly CelObjectType Type = new CelObjectType("the airflow view")
        .Field<AirflowView>("kind", CelStaticType.String, v => CelValue.String(v._kind))
        .Field<AirflowView>("component", CelStaticType.String, v => CelValue.String(v._component))
        .Field<AirflowView>("namespace", CelStaticType.Dyn, v => CelValue.StringOrNull(v._namespace))
        .Field<AirflowView>("executor", CelStaticType.Dyn, v => v.Executor())
        .Field<AirflowView>("version", CelStaticType.Dyn, v => v.Version())
        .Field<AirflowView>("containers", CelStaticType.ListOf(CelStaticType.ObjectOf(AirflowContainer.Type)), v => CelValue.List(v.Containers()))
        .Field<AirflowView>("volumes", CelStaticType.ListOf(CelStaticType.ObjectOf(AirflowVolume.Type)), v => CelValue.List(v.Volumes()));

    /// <summary>The names of the view's top-level fields.</summary>
    public static IReadOnlyList<string> Fields => Type.Names;

    private readonly EvaluationContext? _context;
    private readonly string _kind;
    private readonly string _component;
    private readonly string? _namespace;
    private CelList? _containers;
    private CelList? _volumes;

    private AirflowView(EvaluationContext? context, string kind, string component, string? @namespace)
        : base(Type)
    {
        _context = context;
        _kind = kind;
        _component = component;
        _namespace = @namespace;
    }

    public static AirflowView Of(EvaluationContext context) =>
        new(context, context.Pod.SourceKind, context.Component.ToName(), context.Namespace);

    /// <summary>The view of an object that is no pod (a ConfigMap or Secret matched by kind).</summary>
    public static AirflowView OfObject(string kind, string? @namespace) => new(null, kind, "", @namespace);

    private CelValue Executor()
    {
        var first = _context?.AirflowContainers is [var airflow, ..] ? airflow : null;
        return first is not null && _context!.SettingsOf(first).Executor is { IsKnown: true } executor ? CelValue.StringOrNull(executor.Value) : CelValue.Null;
    }

    private CelValue Version()
    {
        var first = _context?.AirflowContainers is [var airflow, ..] ? airflow : null;
        return first is not null && AirflowVersion.MajorOf(first) is { } major ? CelValue.Int(major) : CelValue.Null;
    }

    private CelList Containers()
    {
        if (_containers is null)
        {
            if (_context is null)
            {
                _containers = CelList.Empty;
            }
            else
            {
                var pod = _context.Pod;
                var items = new AirflowContainer[pod.Containers.Count + pod.InitContainers.Count];
                var i = 0;
                foreach (var container in pod.Containers.AsReadOnlySpan())
                {
                    items[i++] = new AirflowContainer(_context, container);
                }
                foreach (var container in pod.InitContainers.AsReadOnlySpan())
                {
                    items[i++] = new AirflowContainer(_context, container);
                }
                _containers = new ObjectList(items);
            }
        }
        return _containers;
    }

    private CelList Volumes()
    {
        if (_volumes is null)
        {
            if (_context is null)
            {
                _volumes = CelList.Empty;
            }
            else
            {
                var volumes = _context.Pod.Volumes.AsReadOnlySpan();
                var items = new AirflowVolume[volumes.Length];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = new AirflowVolume(_context, volumes[i]);
                }
                _volumes = new ObjectList(items);
            }
        }
        return _volumes;
    }
}
