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
    private readonly EffectiveAirflowSettings? _settings;
    private PathBacking? _where;
    private AirflowBacking? _backing;

    internal AirflowMount(EvaluationContext context, ContainerView container, MountView mount, EffectiveAirflowSettings? settings)
        : base(Type)
    {
        _context = context;
        _container = container;
        _mount = mount;
        _settings = settings;
    }

    private PathBacking Where() => _where ??= _context.BackingAt(_container, _mount.MountPath);

    /// <summary>"logs" or "dags" when the mount is at, above or inside that folder.</summary>
    private string Holds()
    {
        // both sides already normal: the mount path since the mount view was made, the folders since the settings were resolved
        var path = _mount.MountPath;
        return Around(_settings?.LogsFolder, path) ? "logs" : Around(_settings?.DagsFolder, path) ? "dags" : "";

        static bool Around(SettingValue? folder, string path) =>
            folder is { IsKnown: true, Value: { } value } && (PathText.IsSameOrUnderNormal(value, path) || PathText.IsSameOrUnderNormal(path, value));
    }
}
