namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A syntax or check error at an offset of the expression text.</summary>
internal sealed class CelSyntaxException(int offset, string message) : Exception(message)
{
    public int Offset { get; } = offset;
}
