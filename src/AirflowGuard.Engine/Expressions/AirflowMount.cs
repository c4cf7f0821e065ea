using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Expressions.Cel;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Storage;

namespace AirflowGuard.Engine.Expressions;

/// <summary>One volume mount of a container in the <c>airflow</c> view: where, how, what it holds and what backs it.</summary>
internal sealed class AirflowMount : CelObject
{
    public static readonly CelObjectType Type = new CelObjectType("a mount of the airflow view")
        .Field<AirflowMount>("volume", CelStaticType.String, m => CelValue.String(m._mount.Name))
        .Field<AirflowMount>("path", CelStaticType.String, m => CelValue.String(m._mount.MountPath))
        .Field<AirflowMount>("subPath", CelStaticType.Dyn, m => CelValue.StringOrNull(m._mount.SubPath))
        .Field<AirflowMount>("readOnly", CelStaticType.Bool, m => CelValue.Bool(!m.Writable()))
        .Field<AirflowMount>("access", CelStaticType.String, m => CelValue.String(m.Writable() ? "write" : "read"))
        .Field<AirflowMount>("holds", CelStaticType.String, m => CelValue.String(m.Holds()))
        .Field<AirflowMount>("backing", CelStaticType.ObjectOf(AirflowBacking.Type), m => CelValue.Map(m._backing ??= new AirflowBacking(m.Backing())));

    // the container's view holds what every mount of it shares (the evaluation, the container, its settings):
    // each mount object is two references, as the views are built for every pod an expression reads mounts of
    private readonly AirflowContainer _owner;
    private readonly MountView _mount;
    // what BackingAt says of the mount's path, kept as its two answers (not the whole PathBacking, which would make
    // every mount of the view larger whether or not an expression asks)
    private VolumeBacking? _pathBacking;
    private bool _writable;
    private AirflowBacking? _backing;

    internal AirflowMount(AirflowContainer owner, MountView mount)
        : base(Type)
    {
        _owner = owner;
        _mount = mount;
    }

    private VolumeBacking Backing()
    {
        if (_pathBacking is null)
        {
            var where = _owner.Context.BackingAt(_owner.Container, _mount.MountPath);
            _writable = where.Writable;
            _pathBacking = where.Backing;
        }
        return _pathBacking;
    }

    private bool Writable()
    {
        Backing();
        return _writable;
    }

    /// <summary>"logs" or "dags" when the mount is at, above or inside that folder.</summary>
    private string Holds()
    {
        // both sides already normal: the mount path since the mount view was made, the folders since the settings were resolved
        var path = _mount.MountPath;
        var settings = _owner.SettingsOrNull();
        return Around(settings?.LogsFolder, path) ? "logs" : Around(settings?.DagsFolder, path) ? "dags" : "";

        static bool Around(SettingValue? folder, string path) =>
            folder is { IsKnown: true, Value: { } value } && (PathText.IsSameOrUnderNormal(value, path) || PathText.IsSameOrUnderNormal(path, value));
    }
}
