using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AirflowGuard.Webhook;

/// <summary>
/// A value of each thread's own, made on the thread's first use: what a request thread writes without sharing a
/// cache line with the other cores (<see cref="ThreadTallies"/>' counts, <see cref="Hosting.LogOutput"/>'s lines).
/// Found without a lock or a table lookup when the thread last used this same instance, as a server's threads always
/// do; several instances in one process (tests) each keep their own values. Unlike <see cref="ThreadLocal{T}"/> it
/// owns nothing to dispose: a thread's values go with the thread, and an instance's with the instance.
/// </summary>
// the annotation is ConditionalWeakTable's (for GetOrCreateValue, which is not used here), carried for the trimmer
internal sealed class PerThread<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(Func<T> create) where T : class
{
    [ThreadStatic]
    private static PerThread<T>? t_last;
    [ThreadStatic]
    private static T? t_lastValue;
    [ThreadStatic]
    private static ConditionalWeakTable<PerThread<T>, T>? t_values;

    public T Value => ReferenceEquals(t_last, this) ? t_lastValue! : Switch();

    private T Switch()
    {
        var values = t_values ??= [];
        if (!values.TryGetValue(this, out var value))
        {
            value = create();
            values.Add(this, value);
        }
        (t_last, t_lastValue) = (this, value);
        return value;
    }
}
