using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Expressions.Cel;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Expressions;

/// <summary>One volume mount of a container in the <c>airflow</c> view: where, how, what it holds and what backs it.</summary>
internal sealed class AirflowMount : CelObject
{
    public static readonly CelObjectType Type = new CelObjectType("a mount of the airflow view")
        .Field<AirflowMount>("volume", CelStaticType.String, m => CelValue.String(m._mount.Name))
        .Field<AirflowMount>("path", CelStaticType.String, m => CelValue.String(m._mount.MountPath))
        .Field<AirflowMount>("subPath", CelStaticType.Dyn, m => CelValue.StringOrNull(m._mount.SubPath))
        .Field<AirflowMount>("readOnly", CelStaticType.Bool, m => CelValue.Bool(!m.Where().Writable))
        .Field<AirflowMount>("access", CelStaticType.String, m => CelValue.String(m.Where().Writable ? "write" : "read"))
        .Field<AirflowMount>("holds", CelStaticType.String, m => CelValue.String(m.Holds()))
        .Field<AirflowMount>("backing", CelStaticType.ObjectOf(AirflowBacking.Type), m => CelValue.Map(m._backing ??= new AirflowBacking(m.Where().Backing)));

    private readonly EvaluationContext _context;
    private readonly ContainerView _container;
    private readonly MountView _mount;
    private readonly FolderPaths _folders;
    private PathBacking? _where;
    private AirflowBacking? _backing;

    internal AirflowMount(EvaluationContext context, ContainerView container, MountView mount, FolderPaths folders)
    {
        _context = context;
        _container = container;
        _mount = mount;
        _folders = folders;
    }

    public override CelObjectType ObjectType => Type;

    private PathBacking Where() => _where ??= _context.BackingAt(_container, _mount.MountPath);

    /// <summary>"logs" or "dags" when the mount is at, above or inside that folder.</summary>
    private string Holds()
    {
        if (_folders.Logs is null && _folders.Dags is null)
        {
            return "";
        }
        var path = _mount.MountPath; // normalised when the mount view was made
        return Around(_folders.Logs, path) ? "logs" : Around(_folders.Dags, path) ? "dags" : "";

        static bool Around(string? folder, string path) =>
            folder is not null && (PathText.IsSameOrUnderNormal(folder, path) || PathText.IsSameOrUnderNormal(path, folder));
    }

    /// <summary>
    /// A container's logs and DAGs folders, normalised once for all its mounts (null when not known, or not an Airflow
    /// container): every mount asks whether it holds one.
    /// </summary>
    internal readonly record struct FolderPaths(string? Logs, string? Dags)
    {
        public static FolderPaths Of(EffectiveAirflowSettings? settings) => settings is null
            ? default
            : new FolderPaths(Known(settings.LogsFolder), Known(settings.DagsFolder));

        private static string? Known(SettingValue folder) => folder is { IsKnown: true, Value: { } value } ? PathText.Normalize(value) : null;
    }
}
