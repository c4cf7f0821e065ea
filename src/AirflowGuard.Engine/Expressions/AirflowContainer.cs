using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Expressions.Cel;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Expressions;

/// <summary>One container in the <c>airflow</c> view (<see cref="AirflowView"/>): each field resolved when read, once.</summary>
internal sealed class AirflowContainer : CelObject
{
    public static readonly CelObjectType Type = new CelObjectType("a container of the airflow view")
        .Field<AirflowContainer>("name", CelStaticType.String, c => CelValue.String(c._container.Name))
        .Field<AirflowContainer>("image", CelStaticType.Dyn, c => CelValue.StringOrNull(c._container.Image))
        .Field<AirflowContainer>("role", CelStaticType.String, c => c.Role())
        .Field<AirflowContainer>("init", CelStaticType.Bool, c => CelValue.Bool(c._container.IsInit))
        .Field<AirflowContainer>("resources", CelStaticType.Map, c => CelValue.Map(c.Made.Resources ??= c._container.Resources is { } resources ? CelJson.From(resources).AsMap : CelMap.Empty))
        .Field<AirflowContainer>("env", CelStaticType.MapOf(CelStaticType.Dyn), c => c.Env())
        .Field<AirflowContainer>("settings", CelStaticType.ObjectOf(AirflowSettings.Type), c => c.Settings())
        .Field<AirflowContainer>("folders", CelStaticType.ObjectOf(AirflowFolders.Type), c => CelValue.Map(c.Made.Folders ??= new AirflowFolders(c.SettingsOrNull())))
        .Field<AirflowContainer>("mounts", CelStaticType.ListOf(CelStaticType.ObjectOf(AirflowMount.Type)), c => CelValue.List(c.Mounts()));

    private static readonly CelValue AirflowRole = CelValue.String("airflow");
    private static readonly CelValue GitSyncRole = CelValue.String("git-sync");
    private static readonly CelValue SidecarRole = CelValue.String("sidecar");

    private readonly EvaluationContext _context;
    private readonly ContainerView _container;
    private MadeViews? _made;
    private CelList? _mounts;
    private EffectiveAirflowSettings? _settings;
    private bool _settingsResolved;

    internal AirflowContainer(EvaluationContext context, ContainerView container)
        : base(Type)
    {
        _context = context;
        _container = container;
    }

    /// <summary>
    /// The container's nested views, each made when first read, kept apart from the container: an expression reads
    /// one or two of them for its Airflow container, and the view makes a container object for every container.
    /// </summary>
    private sealed class MadeViews
    {
        public CelMap? Resources, Env, Settings;
        public AirflowFolders? Folders;
    }

    private MadeViews Made => _made ??= new MadeViews();

    private CelValue Role() => _context.RoleOf(_container) switch
    {
        ContainerRole.Airflow => AirflowRole,
        ContainerRole.GitSync => GitSyncRole,
        _ => SidecarRole,
    };

    private CelValue Env() => CelValue.Map(Made.Env ??= new ContainerEnvMap(_container));

    /// <summary>The evaluation the view belongs to, for the container's mounts.</summary>
    internal EvaluationContext Context => _context;

    internal ContainerView Container => _container;

    /// <summary>The resolved settings of an Airflow container; null for the others (worked out once).</summary>
    internal EffectiveAirflowSettings? SettingsOrNull()
    {
        if (!_settingsResolved)
        {
            _settings = _context.RoleOf(_container) == ContainerRole.Airflow ? _context.SettingsOf(_container) : null;
            _settingsResolved = true;
        }
        return _settings;
    }

    private CelValue Settings() =>
        CelValue.Map(Made.Settings ??= SettingsOrNull() is { } settings ? new AirflowSettings(settings) : CelMap.Empty);

    private CelList Mounts()
    {
        if (_mounts is null)
        {
            var mounts = _container.Mounts.AsReadOnlySpan();
            var items = new AirflowMount[mounts.Length];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = new AirflowMount(this, mounts[i]);
            }
            _mounts = new ObjectList(items);
        }
        return _mounts;
    }
}
