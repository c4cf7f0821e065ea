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
        .Field<AirflowMount>("backing", CelStaticType.ObjectOf(AirflowBacking.Type), m => CelValue.Map(m.BackingView()));

    // the container's view holds what every mount of it shares (the evaluation, the container, its settings):
    // each mount object holds three references of its own, as the views are built for every pod an expression reads mounts of
    private readonly AirflowContainer _owner;
    private readonly MountView _mount;
    private PathBackingView? _backing;

    internal AirflowMount(AirflowContainer owner, MountView mount)
        : base(Type)
    {
        _owner = owner;
        _mount = mount;
    }

    /// <summary>
    /// What BackingAt says of the mount's path, and its view, kept apart from the mount and made when first asked: the
    /// expressions that read a mount's backing or access read it for the DAG or log mounts, so most mounts never make it.
    /// </summary>
    private sealed class PathBackingView(VolumeBacking backing, bool writable)
    {
        public readonly VolumeBacking Backing = backing;
        public readonly bool Writable = writable;
        public AirflowBacking? View;
    }

    private PathBackingView Backing()
    {
        if (_backing is null)
        {
            var where = _owner.Context.BackingAt(_owner.Container, _mount.MountPath);
            _backing = new PathBackingView(where.Backing, where.Writable);
        }
        return _backing;
    }

    private bool Writable() => Backing().Writable;

    private AirflowBacking BackingView()
    {
        var backing = Backing();
        return backing.View ??= new AirflowBacking(backing.Backing);
    }

    /// <summary>"logs" or "dags" when the mount is at, above or inside that folder.</summary>
    private string Holds()
    {
        // both sides already normal: the mount path since the mount view was made, the folders since the settings were resolved
        var path = _mount.MountPath;
        var settings = _owner.SettingsOrNull();
        return Around(settings?.LogsFolder, path) ? "logs" : Around(settings?.DagsFolder, path) ? "dags" : "";

        static bool Around(SettingValue? folder, string path) =>
            folder is { IsKnown: true, Value: { } value } && PathText.AreNestedNormal(value, path);
    }
}
