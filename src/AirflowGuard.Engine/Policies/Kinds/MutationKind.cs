using AirflowGuard.Engine.Mutations;

namespace AirflowGuard.Engine.Policies;

/// <summary>
/// One kind of mutation, as policy files name it (<c>setEnv</c>): its key, what it does, its JSON Schema and its reader.
/// Each is declared in its mutation's own file under <c>Mutations/Kinds/</c>, and <see cref="MutationKinds"/> lists every
/// file there.
/// </summary>
internal sealed record MutationKind(string Key, string Summary)
{
    /// <summary>The JSON Schema of the kind's body (the value under its key).</summary>
    public required string BodySchema { get; init; }

    /// <summary>Reads the body into a mutation, reporting every mistake with its place; null when it cannot be read.</summary>
    public required Func<KindBody, Mutation?> Read { get; init; }
}
