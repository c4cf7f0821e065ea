using AirflowGuard.Engine.Rules;

namespace AirflowGuard.Engine.Policies;

/// <summary>
/// One kind of rule, as policy files name it (<c>forbidVolume</c>): everything the loader, the JSON Schema and the docs
/// know of it. Each is declared in its rule's own file under <c>Rules/Kinds/</c>, beside the rule's logic, and
/// <see cref="RuleKinds"/> lists every file there: adding a kind is adding a file.
/// </summary>
internal sealed record RuleKind(string Key, string Summary)
{
    /// <summary>The <c>{placeholders}</c> its message and fix may use.</summary>
    public required IReadOnlyCollection<string> Placeholders { get; init; }

    /// <summary>The message when the rule writes none (null: the kind's reader makes one).</summary>
    public string? DefaultMessage { get; init; }

    /// <summary>The fix when the rule writes none.</summary>
    public string? DefaultFix { get; init; }

    /// <summary>
    /// Why rules of this kind cannot run in the API server alone (<c>export vap</c> lists it with each one left out);
    /// null for a kind whose rules are exported as CEL.
    /// </summary>
    public required string? ApiServerGap { get; init; }

    /// <summary>The JSON Schema of the kind's body (the value under its key), as editors complete it.</summary>
    public required string BodySchema { get; init; }

    /// <summary>Reads the body into a rule, reporting every mistake with its place; null when it cannot be read.</summary>
    public required Func<KindBody, Rule?> Read { get; init; }
}
