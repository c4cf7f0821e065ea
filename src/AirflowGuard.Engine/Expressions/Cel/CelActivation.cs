namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>
/// The values of the variables for one evaluation, and the scratch space the compiled program needs:
/// comprehension variables live in <see cref="Slots"/>, lent by the thread for the evaluation, so
/// neither an activation nor a program allocates anything of its own to run.
/// </summary>
internal abstract class CelActivation
{
    internal CelValue[] Slots = [];
    internal long Budget;

    /// <summary>The value of the variable declared at <paramref name="index"/>.</summary>
    public abstract CelValue Variable(int index);

    /// <summary>An activation over fixed values, in the order the environment declared them.</summary>
    public static CelActivation Of(params CelValue[] values) => new Fixed(values);

    private sealed class Fixed(CelValue[] values) : CelActivation
    {
        public override CelValue Variable(int index) => index < values.Length ? values[index] : CelValue.Error("no value for the variable");
    }
}
