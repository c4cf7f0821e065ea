namespace AirflowGuard.Engine.Rules;

/// <summary>A rule that also checks objects that are not pods (ConfigMaps, Secrets) against its policy's <c>match.kinds</c>; only <see cref="Rule"/>s implement it.</summary>
internal interface IObjectRule
{
    string Name { get; }

    void Check(Expressions.ExpressionVariables variables, string subject, string component, string kind, RuleReport report);
}
