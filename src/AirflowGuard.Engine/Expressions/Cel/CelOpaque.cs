namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A value of an extension type (<see cref="CelKind.Opaque"/>): its CEL type, and its equality.</summary>
internal abstract class CelOpaque
{
    public abstract CelType Type { get; }

    public abstract bool ValueEquals(CelOpaque other);
}
