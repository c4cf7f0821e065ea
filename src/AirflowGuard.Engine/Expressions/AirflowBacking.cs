using AirflowGuard.Engine.Expressions.Cel;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Storage;

namespace AirflowGuard.Engine.Expressions;

/// <summary>What backs a volume in the <c>airflow</c> view: class, driver, claim, PersistentVolume, access modes.</summary>
internal sealed class AirflowBacking(VolumeBacking backing) : CelObject(Type)
{
    public static readonly CelObjectType Type = new CelObjectType("a backing of the airflow view")
        .Field<AirflowBacking>("class", CelStaticType.String, b => CelValue.String(b._backing.Class.ToName()))
        .Field<AirflowBacking>("driver", CelStaticType.Dyn, b => CelValue.StringOrNull(b._backing.Driver))
        .Field<AirflowBacking>("claim", CelStaticType.Dyn, b => CelValue.StringOrNull(b._backing.Claim))
        .Field<AirflowBacking>("persistentVolume", CelStaticType.Dyn, b => CelValue.StringOrNull(b._backing.PersistentVolume))
        .Field<AirflowBacking>("accessModes", CelStaticType.ListOf(CelStaticType.String), b => CelValue.List(AccessModesOf(b._backing.AccessModes)))
        .Field<AirflowBacking>("description", CelStaticType.String, b => CelValue.String(b._backing.Description))
        .Field<AirflowBacking>("known", CelStaticType.Bool, b => CelValue.Bool(b._backing.Class != BackingClass.Unknown));

    private static readonly AccessModes[] Modes = [.. Enum.GetValues<AccessModes>().Where(m => m != AccessModes.None)];

    private readonly VolumeBacking _backing = backing;

    private static CelList AccessModesOf(AccessModes modes)
    {
        if (modes == AccessModes.None)
        {
            return CelList.Empty;
        }
        var items = new List<CelValue>();
        foreach (var mode in Modes)
        {
            if ((modes & mode) != 0)
            {
                items.Add(CelValue.String(mode.ToString()));
            }
        }
        return CelList.Of([.. items]);
    }
}
