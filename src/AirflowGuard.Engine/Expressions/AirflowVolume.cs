using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Expressions.Cel;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Expressions;

/// <summary>One volume of the pod in the <c>airflow</c> view: name, source type and backing.</summary>
internal sealed class AirflowVolume : CelObject
{
    public static readonly CelObjectType Type = new CelObjectType("a volume of the airflow view")
        .Field<AirflowVolume>("name", CelStaticType.String, v => CelValue.String(v._volume.Name))
        .Field<AirflowVolume>("type", CelStaticType.String, v => CelValue.String(v._volume.Source.Kind.ToString()))
        .Field<AirflowVolume>("backing", CelStaticType.ObjectOf(AirflowBacking.Type), v => CelValue.Map(v._backing ??= new AirflowBacking(v._context.BackingOf(v._volume))));

    private readonly EvaluationContext _context;
    private readonly VolumeView _volume;
    private AirflowBacking? _backing;

    internal AirflowVolume(EvaluationContext context, VolumeView volume)
        : base(Type)
    {
        _context = context;
        _volume = volume;
    }
}
